package org.tcsim.core.gemm;

import java.util.Objects;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;

/**
 * How a GEMM is executed: the kernel-level choices that change its numerics, each one named so the
 * same GEMM can be rerun under each. See {@link Gemm} for the order of operations.
 *
 * @param mmaK K of one tensor-core instruction (32 for Hopper FP8 {@code wgmma} m64nNk32 and for
 *     Blackwell {@code tcgen05.mma} kind::f8f6f4; PTX ISA "Matrix shape"); must be a multiple of the
 *     datapath's products per step
 * @param promotionInterval instructions between promotions of the tensor-core partial sum into the
 *     FP32 register accumulator; 4 on Hopper (CUTLASS {@code mma_promotion_interval = 4}, DeepGEMM
 *     BLOCK_K = 128 = 4 x k32; docs/hardware-facts.md, Library GEMM semantics); 0 = never: fast
 *     accumulation (cuBLASLt
 *     {@code CUBLASLT_MATMUL_DESC_FAST_ACCUM}, PyTorch {@code use_fast_accum=True})
 * @param promotionRule how the partial joins the FP32 accumulator
 * @param splitK number of K slices computed independently and summed in FP32 in slice order (1 =
 *     no split-K)
 * @param alpha the FP32 {@code alpha}
 * @param beta the FP32 {@code beta} (C is read only when it is not zero)
 * @param outputFormat the format of D: FP32, BF16, FP16, E4M3 or E5M2, or E2M1 (block-scaled
 *     only)
 * @param scaleD the FP32 scale D is multiplied by before a narrow output conversion (cuBLASLt
 *     {@code D_SCALE_POINTER}: with a scalar output scale, FP8 outputs only; with
 *     {@code VEC16_UE4M3} output scales it is the tensor-wide {@code scale_D^in}; with
 *     {@code VEC32_UE8M0} it must be 1, cuBLAS documentation, "16/32-Element 1D Block Scaling for
 *     FP8 and FP4 Data Types"); must be 1 for the other outputs
 * @param bias one FP32 value per column of D (length N) added in the epilogue, or null
 * @param threads worker threads; the result does not depend on it
 * @param epilogueOrder the order of the epilogue's FP32 multiplications
 * @param outputScaleMode how a narrow D is scaled: {@code SCALAR_32F} (by {@code scaleD}), or
 *     {@code VEC32_UE8M0} / {@code VEC16_UE4M3} (quantised in blocks along M with block scales
 *     computed from D, {@link DBlockScales}); must be {@code SCALAR_32F} for FP32, BF16 and FP16
 */
public record GemmConfig(int mmaK, int promotionInterval, PromotionRule promotionRule, int splitK,
    float alpha, float beta, FpFormat outputFormat, float scaleD, float[] bias, int threads,
    EpilogueOrder epilogueOrder, ScaleMode outputScaleMode) {

  /** Hopper FP8 {@code wgmma} K. */
  public static final int WGMMA_FP8_K = 32;
  /** CUTLASS / DeepGEMM promotion interval on Hopper. */
  public static final int HOPPER_PROMOTION_INTERVAL = 4;

  public GemmConfig {
    Objects.requireNonNull(promotionRule, "promotionRule");
    Objects.requireNonNull(outputFormat, "outputFormat");
    Objects.requireNonNull(epilogueOrder, "epilogueOrder");
    Objects.requireNonNull(outputScaleMode, "outputScaleMode");
    if (mmaK < 1) {
      throw new IllegalArgumentException("mmaK must be positive, got " + mmaK);
    }
    if (promotionInterval < 0) {
      throw new IllegalArgumentException(
          "promotionInterval must be >= 0 (0 = fast accumulation), got " + promotionInterval);
    }
    if (splitK < 1) {
      throw new IllegalArgumentException("splitK must be >= 1, got " + splitK);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    switch (outputFormat) {
      case FP32, BF16, FP16, E4M3, E5M2, E2M1 -> { }
      default -> throw new IllegalArgumentException(
          "outputFormat must be fp32, bf16, fp16, e4m3, e5m2 or e2m1, got " + outputFormat);
    }
    requireFinite("alpha", alpha);
    requireFinite("beta", beta);
    requireFinite("scaleD", scaleD);
    checkOutputScaling(outputFormat, scaleD, outputScaleMode);
    if (bias != null) {
      bias = bias.clone();
      for (int j = 0; j < bias.length; j++) {
        if (!Float.isFinite(bias[j])) {
          throw new IllegalArgumentException("bias[" + j + "] is " + bias[j]);
        }
      }
    }
  }

  /**
   * The configuration before epilogue orders and block-scaled outputs: scales folded first
   * ({@link EpilogueOrder#SCALES_THEN_ACC}) and a scalar output scale ({@code SCALAR_32F}).
   */
  public GemmConfig(int mmaK, int promotionInterval, PromotionRule promotionRule, int splitK,
      float alpha, float beta, FpFormat outputFormat, float scaleD, float[] bias, int threads) {
    this(mmaK, promotionInterval, promotionRule, splitK, alpha, beta, outputFormat, scaleD, bias,
        threads, EpilogueOrder.SCALES_THEN_ACC, ScaleMode.SCALAR_32F);
  }

  /**
   * Hopper defaults: k32 instructions, promotion every 4, FMA promotion, no split-K, alpha 1,
   * beta 0, FP32 output, one thread per available processor.
   */
  public static GemmConfig hopper() {
    return new GemmConfig(WGMMA_FP8_K, HOPPER_PROMOTION_INTERVAL, PromotionRule.FMA, 1, 1f, 0f,
        FpFormat.FP32, 1f, null, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Which output scale modes go with which outputs. A scalar scaleD applies to FP8 outputs only;
   * block-scaled D (cuBLAS documentation, "16/32-Element 1D Block Scaling for FP8 and FP4 Data
   * Types") needs a narrow output, and FP4 has no other kind of scaling; the tensor-wide
   * {@code scale_D^in} exists only with UE4M3 block scales.
   */
  private static void checkOutputScaling(FpFormat out, float scaleD, ScaleMode mode) {
    switch (mode) {
      case SCALAR_32F -> {
        if (out == FpFormat.E2M1) {
          throw new IllegalArgumentException("an e2m1 output is block-scaled only: use output "
              + "scale mode VEC16_UE4M3 or VEC32_UE8M0, not SCALAR_32F");
        }
        if (!out.isFp8() && scaleD != 1f) {
          throw new IllegalArgumentException("scaleD applies to FP8 outputs only; got scaleD="
              + scaleD + " with outputFormat " + out);
        }
      }
      case VEC32_UE8M0, VEC16_UE4M3 -> {
        if (!isNarrow(out)) {
          throw new IllegalArgumentException("output scale mode " + mode + " quantises D in "
              + "blocks, which needs an FP8 or FP4 output; got " + out);
        }
        if (mode == ScaleMode.VEC32_UE8M0 && scaleD != 1f) {
          throw new IllegalArgumentException("scaleD (scale_D^in) exists only with VEC16_UE4M3 "
              + "output scales; with VEC32_UE8M0 it must be 1, got " + scaleD);
        }
        if (!(scaleD > 0f)) {
          throw new IllegalArgumentException("scaleD must be positive, got " + scaleD);
        }
      }
      default -> throw new IllegalArgumentException("output scale mode must be SCALAR_32F, "
          + "VEC32_UE8M0 or VEC16_UE4M3, got " + mode);
    }
  }

  /** Whether D is quantised in blocks with scales computed from it. */
  public boolean blockScaledOutput() {
    return outputScaleMode != ScaleMode.SCALAR_32F;
  }

  /** Fast accumulation: no promotion at all, the tensor-core accumulator runs over all of K. */
  public boolean fastAccumulation() {
    return promotionInterval == 0;
  }

  /** FP8 or FP4: the outputs that are scaled before conversion. */
  static boolean isNarrow(FpFormat f) {
    return f.isFp8() || f == FpFormat.E2M1;
  }

  private static void requireFinite(String name, float v) {
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite, got " + v);
    }
  }

  @Override
  public float[] bias() {
    return bias == null ? null : bias.clone();
  }

  float[] biasView() {
    return bias;
  }

  public GemmConfig withMmaK(int v) {
    return new GemmConfig(v, promotionInterval, promotionRule, splitK, alpha, beta, outputFormat,
        scaleD, bias, threads, epilogueOrder, outputScaleMode);
  }

  public GemmConfig withPromotionInterval(int v) {
    return new GemmConfig(mmaK, v, promotionRule, splitK, alpha, beta, outputFormat, scaleD, bias,
        threads, epilogueOrder, outputScaleMode);
  }

  /** Fast accumulation (promotion interval 0). */
  public GemmConfig withFastAccumulation() {
    return withPromotionInterval(0);
  }

  public GemmConfig withPromotionRule(PromotionRule v) {
    return new GemmConfig(mmaK, promotionInterval, v, splitK, alpha, beta, outputFormat, scaleD,
        bias, threads, epilogueOrder, outputScaleMode);
  }

  public GemmConfig withSplitK(int v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, v, alpha, beta, outputFormat,
        scaleD, bias, threads, epilogueOrder, outputScaleMode);
  }

  public GemmConfig withAlpha(float v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, v, beta, outputFormat,
        scaleD, bias, threads, epilogueOrder, outputScaleMode);
  }

  public GemmConfig withBeta(float v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, alpha, v, outputFormat,
        scaleD, bias, threads, epilogueOrder, outputScaleMode);
  }

  /** Output format and its scalar scaleD (use 1 for non-FP8 outputs). */
  public GemmConfig withOutput(FpFormat format, float scale) {
    return withOutput(format, scale, ScaleMode.SCALAR_32F);
  }

  public GemmConfig withBias(float[] v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, alpha, beta, outputFormat,
        scaleD, v, threads, epilogueOrder, outputScaleMode);
  }

  /** Output format, its scaleD and how D is scaled (scalar or computed block scales). */
  public GemmConfig withOutput(FpFormat format, float scale, ScaleMode mode) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, alpha, beta, format,
        scale, bias, threads, epilogueOrder, mode);
  }

  public GemmConfig withEpilogueOrder(EpilogueOrder v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, alpha, beta, outputFormat,
        scaleD, bias, threads, v, outputScaleMode);
  }

  public GemmConfig withThreads(int v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, alpha, beta, outputFormat,
        scaleD, bias, v, epilogueOrder, outputScaleMode);
  }

  /** One line naming every choice. */
  public String describe() {
    return "mmaK " + mmaK + ", "
        + (fastAccumulation() ? "fast accumulation (no promotion)"
            : "promotion every " + promotionInterval + " MMAs (" + promotionInterval * mmaK
                + " K) by " + promotionRule)
        + (splitK > 1 ? ", split-K " + splitK : "") + ", alpha " + alpha + ", beta " + beta
        + (epilogueOrder == EpilogueOrder.SCALES_THEN_ACC ? ""
            : ", epilogue " + epilogueOrder.formula())
        + ", out " + outputFormat + (outputFormat.isFp8() && !blockScaledOutput()
            ? " scaleD " + scaleD : "")
        + (blockScaledOutput() ? " with " + outputScaleMode + " block scales"
            + (scaleD != 1f ? " (scale_D^in " + scaleD + ")" : "") : "")
        + (bias != null ? ", bias" : "");
  }
}

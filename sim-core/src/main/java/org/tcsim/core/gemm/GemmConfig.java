package org.tcsim.core.gemm;

import java.util.Objects;
import org.tcsim.core.format.FpFormat;

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
 * @param outputFormat the format of D: FP32, BF16, FP16, E4M3 or E5M2
 * @param scaleD the FP32 scale D is multiplied by before an FP8 output conversion (cuBLASLt
 *     {@code D_SCALE_POINTER}); must be 1 for the other outputs
 * @param bias one FP32 value per column of D (length N) added in the epilogue, or null
 * @param threads worker threads; the result does not depend on it
 */
public record GemmConfig(int mmaK, int promotionInterval, PromotionRule promotionRule, int splitK,
    float alpha, float beta, FpFormat outputFormat, float scaleD, float[] bias, int threads) {

  /** Hopper FP8 {@code wgmma} K. */
  public static final int WGMMA_FP8_K = 32;
  /** CUTLASS / DeepGEMM promotion interval on Hopper. */
  public static final int HOPPER_PROMOTION_INTERVAL = 4;

  public GemmConfig {
    Objects.requireNonNull(promotionRule, "promotionRule");
    Objects.requireNonNull(outputFormat, "outputFormat");
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
      case FP32, BF16, FP16, E4M3, E5M2 -> { }
      default -> throw new IllegalArgumentException(
          "outputFormat must be fp32, bf16, fp16, e4m3 or e5m2, got " + outputFormat);
    }
    requireFinite("alpha", alpha);
    requireFinite("beta", beta);
    requireFinite("scaleD", scaleD);
    if (!isFp8(outputFormat) && scaleD != 1f) {
      throw new IllegalArgumentException("scaleD applies to FP8 outputs only; got scaleD=" + scaleD
          + " with outputFormat " + outputFormat);
    }
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
   * Hopper defaults: k32 instructions, promotion every 4, FMA promotion, no split-K, alpha 1,
   * beta 0, FP32 output, one thread per available processor.
   */
  public static GemmConfig hopper() {
    return new GemmConfig(WGMMA_FP8_K, HOPPER_PROMOTION_INTERVAL, PromotionRule.FMA, 1, 1f, 0f,
        FpFormat.FP32, 1f, null, Runtime.getRuntime().availableProcessors());
  }

  /** Fast accumulation: no promotion at all, the tensor-core accumulator runs over all of K. */
  public boolean fastAccumulation() {
    return promotionInterval == 0;
  }

  static boolean isFp8(FpFormat f) {
    return f == FpFormat.E4M3 || f == FpFormat.E5M2;
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
        scaleD, bias, threads);
  }

  public GemmConfig withPromotionInterval(int v) {
    return new GemmConfig(mmaK, v, promotionRule, splitK, alpha, beta, outputFormat, scaleD, bias,
        threads);
  }

  /** Fast accumulation (promotion interval 0). */
  public GemmConfig withFastAccumulation() {
    return withPromotionInterval(0);
  }

  public GemmConfig withPromotionRule(PromotionRule v) {
    return new GemmConfig(mmaK, promotionInterval, v, splitK, alpha, beta, outputFormat, scaleD,
        bias, threads);
  }

  public GemmConfig withSplitK(int v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, v, alpha, beta, outputFormat,
        scaleD, bias, threads);
  }

  public GemmConfig withAlpha(float v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, v, beta, outputFormat,
        scaleD, bias, threads);
  }

  public GemmConfig withBeta(float v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, alpha, v, outputFormat,
        scaleD, bias, threads);
  }

  /** Output format and its scaleD (use 1 for non-FP8 outputs). */
  public GemmConfig withOutput(FpFormat format, float scale) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, alpha, beta, format,
        scale, bias, threads);
  }

  public GemmConfig withBias(float[] v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, alpha, beta, outputFormat,
        scaleD, v, threads);
  }

  public GemmConfig withThreads(int v) {
    return new GemmConfig(mmaK, promotionInterval, promotionRule, splitK, alpha, beta, outputFormat,
        scaleD, bias, v);
  }

  /** One line naming every choice. */
  public String describe() {
    return "mmaK " + mmaK + ", "
        + (fastAccumulation() ? "fast accumulation (no promotion)"
            : "promotion every " + promotionInterval + " MMAs (" + promotionInterval * mmaK
                + " K) by " + promotionRule)
        + (splitK > 1 ? ", split-K " + splitK : "") + ", alpha " + alpha + ", beta " + beta
        + ", out " + outputFormat + (isFp8(outputFormat) ? " scaleD " + scaleD : "")
        + (bias != null ? ", bias" : "");
  }
}

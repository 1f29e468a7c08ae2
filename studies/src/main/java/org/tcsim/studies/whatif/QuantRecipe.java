package org.tcsim.studies.whatif;

import org.tcsim.gpu.GemmRecipe;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.CurrentScaling;
import org.tcsim.core.quant.DelayedScaling;
import org.tcsim.core.quant.ElementRounding;
import org.tcsim.core.quant.GroupScaling;
import org.tcsim.core.quant.MxScaleRule;
import org.tcsim.core.quant.MxScaling;
import org.tcsim.core.quant.Nvfp4Scaling;
import org.tcsim.core.quant.Recipe;
import org.tcsim.core.quant.RowwiseScaling;
import org.tcsim.core.quant.ScaleMode;

/**
 * The scaling recipes a what-if study or a training run can pick by name (docs/hardware-facts.md,
 * Block scaling), plus the
 * two high-precision baselines. Each maps to the {@link Recipe} classes of
 * {@code org.tcsim.core.quant}; a recipe can treat weights differently from activations and
 * gradients (DeepSeek-V3: 128x128 weight blocks, 1x128 activation groups).
 */
public enum QuantRecipe {
  /** No quantisation: FP32 operands, products summed in double and rounded once to FP32. */
  FP32("fp32"),
  /** Operands rounded to BF16 (RNE), summed by the BF16 tensor-core datapath into FP32. */
  BF16("bf16"),
  /** Per-tensor current scaling (Transformer Engine {@code Float8CurrentScaling}). */
  TENSOR("tensor"),
  /** Per-tensor delayed scaling: amax history of 16, max, margin 0 (Transformer Engine). */
  TENSOR_DELAYED("tensor-delayed"),
  /** One scale per row of A / column of B (PyTorch row-wise {@code _scaled_mm}). */
  ROWWISE("rowwise"),
  /** 1x128 groups along K on both operands (DeepSeek-V3 activation scaling). */
  GROUP_1X128("1x128"),
  /** 128x128 blocks on both operands (DeepSeek-V3 weight scaling). */
  BLOCK_128X128("128x128"),
  /** DeepSeek-V3: 1x128 groups for activations and gradients, 128x128 blocks for weights. */
  DEEPSEEK("deepseek"),
  /** MXFP8 (OCP MX v1.0): E8M0 scale per 32 along K, floor rule of the spec. */
  MX_FLOOR("mx-floor"),
  /** MXFP8 with torchao's CEIL rule. */
  MX_CEIL("mx-ceil"),
  /** MXFP8 with NVIDIA's RCEIL rule (Transformer Engine, Blackwell cvt). */
  MX_RCEIL("mx-rceil"),
  /** NVFP4: E2M1 elements, UE4M3 scale per 16, FP32 tensor scale (element format ignored). */
  NVFP4("nvfp4");

  /** History length of {@link #TENSOR_DELAYED}; Transformer Engine's default is 1024, training
   * runs here are a few hundred steps, so a shorter window keeps the scale responsive. */
  public static final int DELAYED_HISTORY = 16;

  private final String label;

  QuantRecipe(String label) {
    this.label = label;
  }

  /** The name used in study files and on the command line. */
  public String label() {
    return label;
  }

  /** Whether operands stay in high precision (no FP8/FP4 quantisation). */
  public boolean highPrecision() {
    return this == FP32 || this == BF16;
  }

  /**
   * The GEMM recipe this quantisation runs as on a GPU (the timing model's view of it), or null for
   * the high-precision baselines.
   */
  public GemmRecipe gemmRecipe() {
    return switch (this) {
      case FP32, BF16 -> null;
      case TENSOR, TENSOR_DELAYED -> GemmRecipe.TENSOR;
      case ROWWISE -> GemmRecipe.ROWWISE;
      case GROUP_1X128, BLOCK_128X128, DEEPSEEK -> GemmRecipe.BLOCK;
      case MX_FLOOR, MX_CEIL, MX_RCEIL -> GemmRecipe.MXFP8;
      case NVFP4 -> GemmRecipe.NVFP4;
    };
  }

  /** Whether the scales are applied inside the MMA (block-scaled MMA: Blackwell only). */
  public boolean scalesInMma() {
    return switch (this) {
      case MX_FLOOR, MX_CEIL, MX_RCEIL, NVFP4 -> true;
      default -> false;
    };
  }

  /** Whether the scales vary along K and are applied at promotion (no fast accumulation). */
  public boolean scalesAtPromotion() {
    return this == GROUP_1X128 || this == BLOCK_128X128 || this == DEEPSEEK;
  }

  /** K must be a multiple of this (a padded K is filled with zeros). */
  public int kMultiple() {
    return kMultiple(0);
  }

  /** As {@link #kMultiple()} with a what-if block size along K (0 = the recipe's own). */
  public int kMultiple(int blockSize) {
    if (blockSize != 0) {
      requireBlockSize(blockSize);
      return blockSize;
    }
    return switch (this) {
      case FP32, BF16, TENSOR, TENSOR_DELAYED, ROWWISE -> 1;
      case GROUP_1X128, BLOCK_128X128, DEEPSEEK -> GroupScaling.BLOCK;
      case MX_FLOOR, MX_CEIL, MX_RCEIL -> MxScaling.BLOCK;
      case NVFP4 -> Nvfp4Scaling.BLOCK;
    };
  }

  /**
   * Whether the block size along K can be changed as a what-if: the MX recipes (OCP: 32) and the
   * FP32 group recipes (DeepSeek-V3: 128). NVFP4's 16 is left as the hardware has it; the other
   * recipes have no blocks along K.
   */
  public boolean blockSizeAdjustable() {
    return switch (this) {
      case GROUP_1X128, BLOCK_128X128, DEEPSEEK, MX_FLOOR, MX_CEIL, MX_RCEIL -> true;
      case FP32, BF16, TENSOR, TENSOR_DELAYED, ROWWISE, NVFP4 -> false;
    };
  }

  /** Throws naming the recipe unless it takes this what-if block size. */
  public void requireBlockSize(int blockSize) {
    if (!blockSizeAdjustable()) {
      throw new IllegalArgumentException("block_size applies to the recipes with blocks along K "
          + "(mx-floor, mx-ceil, mx-rceil, 1x128, 128x128, deepseek), not to " + label);
    }
    MxScaling.checkBlockSize(blockSize);
  }

  /**
   * A fresh quantiser for one tensor (stateful for {@link #TENSOR_DELAYED}; keep one per tensor
   * role), or null for the high-precision baselines.
   *
   * @param element E4M3 or E5M2 (ignored by NVFP4)
   * @param weight whether the tensor is a weight (DeepSeek-V3 gives weights 128x128 blocks)
   */
  public Recipe newQuantiser(FpFormat element, boolean weight) {
    return newQuantiser(element, weight, 0);
  }

  /**
   * As {@link #newQuantiser(FpFormat, boolean)} with a what-if block size along K (0 = the
   * recipe's own: 32 for MX, 128 for the group recipes); refused for the recipes without blocks
   * along K.
   */
  public Recipe newQuantiser(FpFormat element, boolean weight, int blockSize) {
    Recipe r = newQuantiser0(element, weight);
    if (blockSize == 0) {
      return r;
    }
    requireBlockSize(blockSize);
    if (r instanceof MxScaling mx) {
      return mx.withBlockSize(blockSize);
    }
    return ((GroupScaling) r).withBlockSize(blockSize);
  }

  private Recipe newQuantiser0(FpFormat element, boolean weight) {
    return switch (this) {
      case FP32, BF16 -> null;
      case TENSOR -> new CurrentScaling(element);
      case TENSOR_DELAYED -> new DelayedScaling(element, DELAYED_HISTORY,
          DelayedScaling.AmaxAlgorithm.MAX, 0);
      case ROWWISE -> new RowwiseScaling(element);
      case GROUP_1X128 -> new GroupScaling(element, ScaleMode.VEC128_32F);
      case BLOCK_128X128 -> new GroupScaling(element, ScaleMode.BLK128x128_32F);
      case DEEPSEEK -> new GroupScaling(element,
          weight ? ScaleMode.BLK128x128_32F : ScaleMode.VEC128_32F);
      case MX_FLOOR -> new MxScaling(element, MxScaleRule.FLOOR, ElementRounding.RNE);
      case MX_CEIL -> new MxScaling(element, MxScaleRule.CEIL, ElementRounding.RNE);
      case MX_RCEIL -> new MxScaling(element, MxScaleRule.RCEIL, ElementRounding.RNE);
      case NVFP4 -> new Nvfp4Scaling();
    };
  }

  /** Looks a recipe up by its label (case-insensitive; {@code _} for {@code -} accepted). */
  public static QuantRecipe parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (QuantRecipe r : values()) {
      if (r.label.equals(t)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown recipe '" + text + "'; known: " + labels());
  }

  /** Every label, comma separated. */
  public static String labels() {
    return Arrays.stream(values()).map(QuantRecipe::label).collect(Collectors.joining(", "));
  }
}

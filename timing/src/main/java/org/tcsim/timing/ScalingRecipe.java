package org.tcsim.timing;

import java.util.Locale;

/**
 * How a GEMM's FP8 inputs are scaled, which decides the CUDA-core work of the main loop
 * (docs/hardware-facts.md, Block scaling and Library GEMM semantics).
 */
public enum ScalingRecipe {
  /** One FP32 scale per tensor; the partial sums are still promoted to FP32 every 128 K (CUTLASS
   * {@code mma_promotion_interval} = 4 wgmma k32), because the tensor core keeps about 13 bits. */
  PER_TENSOR,
  /** cuBLASLt {@code FAST_ACCUM}: per-tensor scales and no promotion at all. */
  PER_TENSOR_FAST_ACCUM,
  /** DeepSeek-V3 / DeepGEMM: 1x128 activation groups and 128x128 weight blocks with FP32 scales,
   * applied on the CUDA cores when a 128-K block is promoted. */
  BLOCKWISE,
  /** OCP MX: E8M0 scales per 32 elements; needs block scaling in the MMA itself (Blackwell). */
  MXFP8;

  /** True if the main loop promotes the tensor-core partial sum once per 128-K block on the CUDA
   * cores, on a machine whose MMA does not apply block scales itself. */
  public boolean promotes(boolean hardwareBlockScaling) {
    return switch (this) {
      case PER_TENSOR_FAST_ACCUM -> false;
      case PER_TENSOR, BLOCKWISE -> !hardwareBlockScaling;
      case MXFP8 -> false;
    };
  }

  /** Bytes of scale factors loaded per row of a {@code blockK}-deep operand block. */
  public double scaleBytesPerRow(int blockK) {
    return switch (this) {
      case PER_TENSOR, PER_TENSOR_FAST_ACCUM -> 0;
      case BLOCKWISE -> 4.0 * blockK / 128; // one FP32 per 1x128 group (the 128x128 B scales are negligible)
      case MXFP8 -> blockK / 32.0; // one E8M0 byte per 32 elements
    };
  }

  /** Parses {@code per-tensor}, {@code fast-accum}, {@code blockwise}, {@code mxfp8}. */
  public static ScalingRecipe parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "per-tensor", "tensor" -> PER_TENSOR;
      case "fast-accum", "per-tensor-fast-accum" -> PER_TENSOR_FAST_ACCUM;
      case "blockwise", "block", "deepseek" -> BLOCKWISE;
      case "mxfp8", "mx" -> MXFP8;
      default -> throw new IllegalArgumentException(
          "unknown scaling recipe '" + name + "' (expected per-tensor, fast-accum, blockwise or mxfp8)");
    };
  }
}

package org.tcsim.timing;

import java.util.Locale;
import java.util.Optional;

/**
 * How a GEMM's low-precision inputs are scaled, which decides the element width, the scale bytes
 * loaded with each operand block, the CUDA-core work of the main loop and which GPUs can run it.
 * The labels are the names {@code tcsim gemm --scaling} uses.
 */
public enum ScalingRecipe {
  /** One FP32 scale per tensor; on Hopper the partial sums are still promoted to FP32 every 128 K
   * (CUTLASS {@code mma_promotion_interval} = 4 wgmma k32), because the tensor core keeps about 13 bits. */
  PER_TENSOR,
  /** cuBLASLt {@code FAST_ACCUM}: per-tensor scales and no promotion at all. */
  PER_TENSOR_FAST_ACCUM,
  /** One FP32 scale per row of A and per column of B, applied in the epilogue (cuBLASLt
   * OUTER_VEC_32F; PyTorch {@code _scaled_mm} row-wise). */
  ROWWISE,
  /** DeepSeek-V3 / DeepGEMM: 1x128 activation groups and 128x128 weight blocks with FP32 scales,
   * applied on the CUDA cores when a 128-K block is promoted. */
  BLOCKWISE,
  /** OCP MX: FP8 elements, an E8M0 scale per 32 elements of A and of B; applied by the MMA itself. */
  MXFP8,
  /** NVFP4: E2M1 elements, a UE4M3 scale per 16 elements of A and of B; applied by the MMA itself. */
  NVFP4,
  /** OCP MXFP4: E2M1 elements, an E8M0 scale per 32 elements; applied by the MMA itself. */
  MXFP4;

  /** The name {@code tcsim gemm} and {@code tcsim time} use. */
  public String label() {
    return switch (this) {
      case PER_TENSOR -> "tensor";
      case PER_TENSOR_FAST_ACCUM -> "fast-accum";
      case ROWWISE -> "rowwise";
      case BLOCKWISE -> "block";
      case MXFP8 -> "mxfp8";
      case NVFP4 -> "nvfp4";
      case MXFP4 -> "mxfp4";
    };
  }

  /** True for the recipes whose elements are 4-bit E2M1. */
  public boolean fp4() {
    return this == NVFP4 || this == MXFP4;
  }

  /** Bytes per input element: 1 for FP8, 0.5 for FP4. */
  public double elementBytes() {
    return fp4() ? 0.5 : 1.0;
  }

  /** True if the MMA must apply the scales itself (hardware block scaling). */
  public boolean needsHardwareBlockScaling() {
    return this == MXFP8 || this == NVFP4 || this == MXFP4;
  }

  /** True if the main loop promotes the tensor-core partial sum once per 128-K block on the CUDA
   * cores, on a machine whose MMA does not apply block scales itself. */
  public boolean promotes(boolean hardwareBlockScaling) {
    return switch (this) {
      case PER_TENSOR_FAST_ACCUM, MXFP8, NVFP4, MXFP4 -> false;
      case PER_TENSOR, ROWWISE, BLOCKWISE -> !hardwareBlockScaling;
    };
  }

  /** Bytes of scale factors loaded per row of a {@code blockK}-deep block of A. */
  public double scaleBytesPerRow(int blockK) {
    return switch (this) {
      case PER_TENSOR, PER_TENSOR_FAST_ACCUM, ROWWISE -> 0;
      case BLOCKWISE -> 4.0 * blockK / 128; // one FP32 per 1x128 group
      case MXFP8, MXFP4 -> blockK / 32.0; // one E8M0 byte per 32 elements
      case NVFP4 -> blockK / 16.0; // one UE4M3 byte per 16 elements
    };
  }

  /** Bytes of scale factors loaded per row (column of the product) of a {@code blockK}-deep block of B. */
  public double scaleBytesPerRowB(int blockK) {
    return switch (this) {
      case PER_TENSOR, PER_TENSOR_FAST_ACCUM, ROWWISE -> 0;
      case BLOCKWISE -> 4.0 * blockK / 128 / 128; // one FP32 per 128x128 block
      case MXFP8, MXFP4, NVFP4 -> scaleBytesPerRow(blockK);
    };
  }

  /** CUDA-core instructions per output element the epilogue spends on scales beyond the conversion. */
  public double epilogueScaleOps() {
    return this == ROWWISE ? 1 : 0;
  }

  /**
   * Why {@code spec} cannot run this recipe, or empty if it can: FP8 needs an FP8 MMA (the A100
   * has none), FP4 an FP4 MMA, the MX and
   * NVFP4 recipes need scales applied inside the MMA, and 1x128/128x128 FP32 block scaling needs
   * a library that promotes with them on that GPU.
   */
  public Optional<String> unsupportedReason(MachineSpec spec) {
    boolean hw = spec.getInt(MachineParam.HW_BLOCK_SCALING) == 1;
    if (!fp4() && spec.get(MachineParam.MMA_FLOPS_PER_CLK) <= 0) {
      return Optional.of(spec.name() + " has no FP8 tensor-core MMA (mma_flops_per_clk = 0)");
    }
    if (fp4() && spec.get(MachineParam.FP4_FLOPS_PER_CLK) <= 0) {
      return Optional.of(spec.name() + " has no FP4 tensor-core MMA (fp4_flops_per_clk = 0)");
    }
    if (needsHardwareBlockScaling() && !hw) {
      return Optional.of(spec.name() + " has no hardware block scaling: its MMA takes no scale"
          + " operands (hw_block_scaling = 0), so " + label() + " cannot run there");
    }
    if (this == BLOCKWISE && spec.getInt(MachineParam.FP32_BLOCK_SCALES) == 0) {
      return Optional.of("no tuned kernel applies 1x128/128x128 FP32 block scales on " + spec.name()
          + " (fp32_block_scales = 0)");
    }
    return Optional.empty();
  }

  /** Throws with the reason if {@code spec} cannot run this recipe. */
  public void requireSupported(MachineSpec spec) {
    unsupportedReason(spec).ifPresent(r -> {
      throw new IllegalArgumentException("recipe " + label() + " refused: " + r);
    });
  }

  /**
   * Parses the {@code tcsim gemm} names {@code tensor, rowwise, block, mxfp8, nvfp4, mxfp4} and
   * {@code fast-accum}, the older spellings {@code per-tensor, blockwise, deepseek, mx}, and
   * Transformer Engine's recipe class names ({@code transformer_engine.common.recipe}), as
   * {@code tcsim gemm} takes them.
   */
  public static ScalingRecipe parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "per-tensor", "tensor", "float8currentscaling", "delayedscaling" -> PER_TENSOR;
      case "fast-accum", "per-tensor-fast-accum" -> PER_TENSOR_FAST_ACCUM;
      case "rowwise", "row-wise", "per-row", "outer-vec" -> ROWWISE;
      case "blockwise", "block", "deepseek", "float8blockscaling" -> BLOCKWISE;
      case "mxfp8", "mx", "mxfp8blockscaling" -> MXFP8;
      case "nvfp4", "nvfp4blockscaling" -> NVFP4;
      case "mxfp4" -> MXFP4;
      default -> throw new IllegalArgumentException("unknown scaling recipe '" + name
          + "' (expected tensor, fast-accum, rowwise, block, mxfp8, nvfp4 or mxfp4)");
    };
  }
}

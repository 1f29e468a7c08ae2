package org.tcsim.core.gemm;

/**
 * The order in which the epilogue multiplies the FP32 accumulator by the scales that are constant
 * along K (alpha, A's per-tensor or per-row scale, B's per-tensor or per-column scale). Every
 * product is rounded to FP32 (RNE), so the order changes the last bit of about a third of the
 * results (docs/hardware-facts.md, torch._scaled_mm); which order a library runs is part of its
 * semantics, chosen per library and recipe by {@code org.tcsim.gpu.Simulation}.
 */
public enum EpilogueOrder {
  /**
   * {@code ((alpha * sA) * sB) * acc}: the scales folded first, then one multiplication of the
   * accumulator. cuBLASLt does not publish its epilogue order; this is tcsim's reading of
   * {@code D = alpha * scaleA * scaleB * (A B)} (cuBLAS documentation, {@code cublasLtMatmul()}),
   * and the default.
   */
  SCALES_THEN_ACC,
  /**
   * {@code sB * (sA * acc)}: PyTorch's CUTLASS row-wise kernel for {@code torch._scaled_mm}
   * (pytorch/pytorch {@code aten/src/ATen/native/cuda/RowwiseScaledMM.cu}, commit 01386a0:
   * {@code Sm90EVT<Multiply, WScale, Sm90EVT<Multiply, XScale, Accum>>}, xScale being A's per-row
   * scale and wScale B's per-column scale). There is no alpha: it must be 1.
   */
  TORCH_ROWWISE,
  /**
   * {@code sA * (sB * acc)}: the same kernel launched on the transposed problem
   * ({@code handle_transposition} with {@code Transposed = true} swaps the operands and their
   * scales, so B's scale is applied first), which RowwiseScaledMM.cu chooses for some shapes.
   * There is no alpha: it must be 1.
   */
  TORCH_ROWWISE_TRANSPOSED;

  /** The scaled accumulator in FP32, every product rounded to nearest even. */
  public float apply(float alpha, float rowScale, float colScale, float acc) {
    return switch (this) {
      case SCALES_THEN_ACC -> alpha * rowScale * colScale * acc;
      case TORCH_ROWWISE -> colScale * (rowScale * acc);
      case TORCH_ROWWISE_TRANSPOSED -> rowScale * (colScale * acc);
    };
  }

  /** Whether the order has a place for alpha (the torch kernels take none). */
  public boolean hasAlpha() {
    return switch (this) {
      case SCALES_THEN_ACC -> true;
      case TORCH_ROWWISE, TORCH_ROWWISE_TRANSPOSED -> false;
    };
  }

  /** The formula, as {@code describe()} lines print it. */
  public String formula() {
    return switch (this) {
      case SCALES_THEN_ACC -> "((alpha*sA)*sB)*acc";
      case TORCH_ROWWISE -> "sB*(sA*acc)";
      case TORCH_ROWWISE_TRANSPOSED -> "sA*(sB*acc)";
    };
  }
}

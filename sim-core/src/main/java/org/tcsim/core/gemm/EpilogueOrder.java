package org.tcsim.core.gemm;

/**
 * The order in which the epilogue multiplies the FP32 accumulator by the scales that are constant
 * along K (alpha, A's per-tensor or per-row scale, B's per-tensor or per-column scale), and adds
 * {@code beta * C}. Every product is rounded to FP32 (RNE), so the order changes the last bit of
 * about a third of the results; which order a library runs is part of its semantics, chosen per
 * library and recipe by {@code org.tcsim.gpu.LibraryRules}.
 *
 * <p>The last multiplication and the addition of {@code beta * C} are one fused multiply-add:
 * cuBLASLt's captured outputs on an H200 with alpha 0.7, beta 1 and an FP32 C match
 * {@code fma(s, acc, beta * C)} in 256 of 256 elements and the product rounded before the addition
 * in 182 (docs/hardware-facts.md, Library GEMM semantics). Without C (beta 0) there is no addition,
 * so a product of -0 stays -0.
 */
public enum EpilogueOrder {
  /**
   * {@code ((alpha * sA) * sB) * acc}: the scales folded first, then one multiplication of the
   * accumulator. cuBLASLt with scalar scales: its captured FP32 outputs on an H200 match this in
   * 256 of 256 elements and {@code alpha * (sA * (sB * acc))} in 152.
   */
  SCALES_THEN_ACC,
  /**
   * {@code (alpha * sB) * (sA * acc)}: A's per-row scale first. cuBLASLt with OUTER_VEC_32F scales
   * on sm_90: its captured FP32 outputs on an H200 match this in 256 of 256 elements, the scales
   * folded first in 163 (alpha was 1 there, so where alpha enters is not measured). Also PyTorch's
   * CUTLASS row-wise kernel ({@code aten/src/ATen/native/cuda/RowwiseScaledMM.cu} at commit
   * 01386a0: {@code Sm90EVT<Multiply, WScale, Sm90EVT<Multiply, XScale, Accum>>}).
   */
  ROW_SCALE_FIRST,
  /**
   * {@code (alpha * sA) * (sB * acc)}: B's per-column scale first. cuBLASLt's row-wise order seen
   * from PyTorch, which computes {@code D = A B} as the column-major {@code D^T = B^T A^T}, so
   * cuBLASLt's first operand is B: {@code torch._scaled_mm} with row-wise scales and an FP32 output
   * on an H200 (PyTorch 2.11) matches this in 256 of 256 elements. Also the CUTLASS kernel above
   * launched on the transposed problem.
   */
  COLUMN_SCALE_FIRST;

  /** The scaled accumulator in FP32, every product rounded to nearest even; no C. */
  public float apply(float alpha, float rowScale, float colScale, float acc) {
    return switch (this) {
      case SCALES_THEN_ACC -> alpha * rowScale * colScale * acc;
      case ROW_SCALE_FIRST -> (alpha * colScale) * (rowScale * acc);
      case COLUMN_SCALE_FIRST -> (alpha * rowScale) * (colScale * acc);
    };
  }

  /**
   * {@code scaled accumulator + addend} in FP32, the last multiplication fused with the addition
   * (one rounding): {@code addend} is {@code beta * C}, already rounded to FP32.
   */
  public float applyFused(float alpha, float rowScale, float colScale, float acc, float addend) {
    return switch (this) {
      case SCALES_THEN_ACC -> Math.fma(alpha * rowScale * colScale, acc, addend);
      case ROW_SCALE_FIRST -> Math.fma(alpha * colScale, rowScale * acc, addend);
      case COLUMN_SCALE_FIRST -> Math.fma(alpha * rowScale, colScale * acc, addend);
    };
  }

  /** The formula, as {@code describe()} lines print it. */
  public String formula() {
    return switch (this) {
      case SCALES_THEN_ACC -> "fma((alpha*sA)*sB, acc, beta*C)";
      case ROW_SCALE_FIRST -> "fma(alpha*sB, sA*acc, beta*C)";
      case COLUMN_SCALE_FIRST -> "fma(alpha*sA, sB*acc, beta*C)";
    };
  }
}

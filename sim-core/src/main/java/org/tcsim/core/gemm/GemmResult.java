package org.tcsim.core.gemm;

import org.tcsim.core.datapath.BlockFmaParams;

/**
 * What a GEMM produced.
 *
 * @param d the output D in the configured output format (for FP8 outputs: saturate(RNE(D * scaleD)))
 * @param dFp32 D in FP32 before the output conversion (and before scaleD), row-major
 * @param amaxD max |D| over D in FP32, before scaleD (cuBLASLt {@code AMAX_D_POINTER};
 *     docs/hardware-facts.md, cuBLASLt)
 * @param saturated elements whose D * scaleD lay beyond the FP8 output's largest finite value and
 *     were clamped to it (0 for other outputs)
 * @param kernel which kernel computed the tensor-core part ({@code fp8-row-batch},
 *     {@code truncated-sum-row-batch}, {@code fp8-truncating-fast}, {@code datapath},
 *     {@code block-scaled-datapath})
 * @param params the datapath parameters
 * @param config the execution choices
 */
public record GemmResult(CodeMatrix d, float[] dFp32, float amaxD, long saturated, String kernel,
    BlockFmaParams params, GemmConfig config) {

  @Override
  public float[] dFp32() {
    return dFp32.clone();
  }

  /** D in FP32 at (row, col), before the output conversion. */
  public float fp32(int row, int col) {
    return dFp32[row * d.cols() + col];
  }

  /** The exact value of the output code at (row, col). */
  public double value(int row, int col) {
    return d.value(row, col);
  }
}

package org.tcsim.core.gemm;

import org.tcsim.core.datapath.BlockFmaParams;

/**
 * What a GEMM produced.
 *
 * @param d the output D in the configured output format (for FP8 outputs with a scalar scale:
 *     saturate(RNE(D * scaleD)); for block-scaled outputs the elements of {@link DBlockScales})
 * @param dFp32 D in FP32 before the output conversion (and before scaleD), row-major
 * @param amaxD max |D| over D in FP32, before scaleD (cuBLASLt {@code AMAX_D_POINTER};
 *     docs/hardware-facts.md, cuBLASLt)
 * @param saturated elements whose D * scaleD (block-scaled: D * scaleD * R) lay beyond the narrow
 *     output's largest finite value and were clamped to it (0 for other outputs)
 * @param kernel which kernel computed the tensor-core part ({@code fp8-row-batch},
 *     {@code truncated-sum-row-batch}, {@code fp8-truncating-fast}, {@code datapath},
 *     {@code block-scaled-datapath})
 * @param params the datapath parameters
 * @param config the execution choices
 * @param dScales D's computed block scales when the output is block-scaled
 *     ({@link GemmConfig#outputScaleMode}), else null
 */
public record GemmResult(CodeMatrix d, float[] dFp32, float amaxD, long saturated, String kernel,
    BlockFmaParams params, GemmConfig config, DBlockScales dScales) {

  /** A result without block scales for D. */
  public GemmResult(CodeMatrix d, float[] dFp32, float amaxD, long saturated, String kernel,
      BlockFmaParams params, GemmConfig config) {
    this(d, dFp32, amaxD, saturated, kernel, params, config, null);
  }

  @Override
  public float[] dFp32() {
    return dFp32.clone();
  }

  /** D in FP32 at (row, col), before the output conversion. */
  public float fp32(int row, int col) {
    return dFp32[row * d.cols() + col];
  }

  /** The exact value of the output code at (row, col) (for a block-scaled D, before its scale). */
  public double value(int row, int col) {
    return d.value(row, col);
  }

  /**
   * What D's element (row, col) stands for: the code's value, times its block scale and divided by
   * scale_D^in for a block-scaled D ({@link DBlockScales#dequantize}), divided by scaleD for an FP8
   * output with a scalar scale.
   */
  public double dequantized(int row, int col) {
    if (dScales != null) {
      return dScales.dequantize(d, row, col);
    }
    return d.format().isFp8() ? d.value(row, col) / config.scaleD() : d.value(row, col);
  }
}

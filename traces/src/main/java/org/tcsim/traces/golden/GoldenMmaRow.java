package org.tcsim.traces.golden;

import org.tcsim.core.format.FpFormat;

/**
 * One measured dot product: D = sum_k a[k]*b[k] + c as the GPU's tensor core computed it
 * (docs/hardware-facts.md, Golden data format). Codes are packed (see {@link FpFormat}); TF32 codes
 * arrive in FP32 containers.
 *
 * @param source the file it came from
 * @param line its 1-based line number there
 */
public record GoldenMmaRow(String gpu, FpFormat aFormat, FpFormat bFormat, FpFormat cFormat,
    FpFormat dFormat, int k, int[] a, int[] b, int c, int d, String source, long line) {

  /** "h100 e4m3 x e4m3 + fp32 -> fp32", the kind of MMA this row measures. */
  public String kind() {
    return gpu + " " + aFormat + "x" + bFormat + "+" + cFormat + "->" + dFormat;
  }
}

package org.tcsim.traces.golden;

import org.tcsim.core.format.FpFormat;

/**
 * One measured dot product: D = sum_k a[k]*b[k] + c as the GPU's tensor core computed it
 * (docs/hardware-facts.md, Golden data format). Codes are packed (see {@link FpFormat}); TF32 codes
 * arrive in FP32 containers.
 *
 * @param source the file it came from
 * @param line its 1-based line number there
 * @param instruction the MMA instruction family that computed it ({@code mma.sync} unless the file's
 *     {@code instruction} column says otherwise): {@code wgmma} and {@code mma.sync} take different
 *     datapaths into FP16 on Hopper
 */
public record GoldenMmaRow(String gpu, FpFormat aFormat, FpFormat bFormat, FpFormat cFormat,
    FpFormat dFormat, int k, int[] a, int[] b, int c, int d, String source, long line,
    String instruction) {

  /** The instruction families a golden row can name. */
  public static final java.util.List<String> INSTRUCTIONS =
      java.util.List.of("mma.sync", "wgmma.mma_async", "tcgen05.mma");

  /** The family of rows whose file has no {@code instruction} column. */
  public static final String DEFAULT_INSTRUCTION = "mma.sync";

  /** "h100 e4m3 x e4m3 + fp32 -> fp32", the kind of MMA this row measures. */
  public String kind() {
    return gpu + " " + aFormat + "x" + bFormat + "+" + cFormat + "->" + dFormat
        + (instruction.equals(DEFAULT_INSTRUCTION) ? "" : " " + instruction);
  }
}

package org.tcsim.traces.golden;

import org.tcsim.core.format.FpFormat;
import org.tcsim.isa.InstructionFamily;

/**
 * One measured dot product: D = sum_k a[k]*b[k] + c as the GPU's tensor core computed it
 * (docs/hardware-facts.md, Golden data format). Codes are packed (see {@link FpFormat}); TF32 codes
 * arrive in FP32 containers.
 *
 * @param source the file it came from
 * @param line its 1-based line number there
 * @param instruction the MMA instruction family that computed it ({@code mma.sync} unless the file's
 *     {@code instruction} column names another by its PTX opcode): {@code wgmma} and
 *     {@code mma.sync} take different datapaths into FP16 on Hopper
 */
public record GoldenMmaRow(String gpu, FpFormat aFormat, FpFormat bFormat, FpFormat cFormat,
    FpFormat dFormat, int k, int[] a, int[] b, int c, int d, String source, long line,
    InstructionFamily instruction) {

  /** The family of rows whose file has no {@code instruction} column. */
  public static final InstructionFamily DEFAULT_INSTRUCTION = InstructionFamily.MMA_SYNC;

  /** "h100 e4m3 x e4m3 + fp32 -> fp32", the kind of MMA this row measures. */
  public String kind() {
    return gpu + " " + aFormat + "x" + bFormat + "+" + cFormat + "->" + dFormat
        + (instruction == DEFAULT_INSTRUCTION ? "" : " " + instruction.ptxOpcode());
  }
}

package org.tcsim.traces.trace;

import java.util.Locale;

/**
 * How an operand is stored, in the mathematical view {@code D[m x n] = A[m x k] * B[k x n]}: A is
 * always the m x k matrix and B the k x n one, whatever the library called them.
 *
 * <p>{@code ROW} is row-major, {@code COL} column-major. The FP8 default is A row-major and B
 * column-major, i.e. both K-major, because FP8 {@code wgmma} reads only K-major operands from
 * shared memory (PTX ISA, wgmma.mma_async: the transpose immediates are valid only for
 * .f16/.bf16) and cuBLASLt's FP8 matmul on Hopper wants the "TN" layout (docs/hardware-facts.md,
 * cuBLASLt).
 */
public enum Layout {
  ROW,
  COL;

  /** The name used in trace files: {@code row} or {@code col}. */
  public String traceName() {
    return switch (this) {
      case ROW -> "row";
      case COL -> "col";
    };
  }

  /** The other layout: transposing a matrix's storage order. */
  public Layout transposed() {
    return switch (this) {
      case ROW -> COL;
      case COL -> ROW;
    };
  }

  /** Parses {@code row}/{@code row-major} or {@code col}/{@code column}/{@code col-major}. */
  public static Layout parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "row", "row-major" -> ROW;
      case "col", "column", "col-major", "column-major" -> COL;
      default -> throw new IllegalArgumentException(
          "unknown layout '" + text + "' (expected row or col)");
    };
  }
}

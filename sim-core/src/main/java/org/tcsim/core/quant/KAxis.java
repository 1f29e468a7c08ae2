package org.tcsim.core.quant;

/**
 * Which index of a matrix is the reduction dimension K, along which scaling blocks run. A GEMM
 * {@code D = A B} reduces over K, and every block-scaled format (MX, NVFP4, DeepSeek 1x128) groups
 * elements along K so that one scale multiplies one partial dot product (docs/hardware-facts.md,
 * Block scaling; cuTile
 * {@code mma_scaled}).
 */
public enum KAxis {
  /**
   * Blocks run along each row: K is the column index. Operand A stored M x K, or operand B stored
   * transposed (N x K, the "TN" layout cuBLASLt wants for FP8).
   */
  ALONG_ROWS,
  /** Blocks run down each column: K is the row index. Operand B stored K x N. */
  ALONG_COLUMNS;

  /** The extent of K in a matrix of this shape. */
  public int kExtent(int rows, int cols) {
    return switch (this) {
      case ALONG_ROWS -> cols;
      case ALONG_COLUMNS -> rows;
    };
  }

  /** The extent of the other (M or N) dimension. */
  public int outerExtent(int rows, int cols) {
    return switch (this) {
      case ALONG_ROWS -> rows;
      case ALONG_COLUMNS -> cols;
    };
  }
}

package org.tcsim.core.quant;

/**
 * The shape of one scaling block in matrix coordinates.
 *
 * @param rows rows per block
 * @param cols columns per block
 */
public record BlockShape(int rows, int cols) {
  public BlockShape {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("block shape must be positive: " + rows + "x" + cols);
    }
  }

  /** Number of block rows covering {@code matrixRows} (the last one may be partial). */
  public int gridRows(int matrixRows) {
    return (matrixRows + rows - 1) / rows;
  }

  /** Number of block columns covering {@code matrixCols} (the last one may be partial). */
  public int gridCols(int matrixCols) {
    return (matrixCols + cols - 1) / cols;
  }
}

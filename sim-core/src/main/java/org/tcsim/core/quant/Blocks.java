package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;

/** Walks the blocks of a matrix: amaxes and checks for non-finite elements. */
final class Blocks {

  private Blocks() {}

  /**
   * The largest |x| over the finite elements of rows [r0, r1) x cols [c0, c1). Under
   * {@link NonFinite#REJECT} a NaN or Inf throws, naming its (row, col).
   */
  static float amax(Matrix m, int r0, int r1, int c0, int c1, NonFinite policy) {
    float[] v = m.values();
    int cols = m.cols();
    float amax = 0f;
    for (int r = r0; r < r1; r++) {
      int base = r * cols;
      for (int c = c0; c < c1; c++) {
        float a = Math.abs(v[base + c]);
        if (!(a <= Float.MAX_VALUE)) {
          if (policy == NonFinite.REJECT) {
            throw nonFinite(r, c, v[base + c]);
          }
          continue;
        }
        if (a > amax) {
          amax = a;
        }
      }
    }
    return amax;
  }

  /** Whether rows [r0, r1) x cols [c0, c1) hold a NaN or an infinity. */
  static boolean hasNonFinite(Matrix m, int r0, int r1, int c0, int c1) {
    float[] v = m.values();
    for (int r = r0; r < r1; r++) {
      for (int c = c0; c < c1; c++) {
        if (!Float.isFinite(v[r * m.cols() + c])) {
          return true;
        }
      }
    }
    return false;
  }

  static IllegalArgumentException nonFinite(int row, int col, float x) {
    return new IllegalArgumentException("input element (row " + row + ", col " + col + ") is "
        + x + "; quantisation needs finite inputs (pass NonFinite.PROPAGATE to carry it through)");
  }

  /** FP32-scaled recipes produce FP8 elements only (as Transformer Engine, PyTorch, DeepGEMM). */
  static FpFormat requireFp8(FpFormat f) {
    return switch (f) {
      case E4M3, E5M2 -> f;
      default -> throw new IllegalArgumentException(
          "element format " + f + " is not FP8 (expected e4m3 or e5m2)");
    };
  }

  /** What a quantiser does with one block: its index in the grid and its row and column ranges. */
  @FunctionalInterface
  interface BlockVisitor {
    void visit(int index, int r0, int r1, int c0, int c1);
  }

  /** The code of one element, given its FP32 value. */
  @FunctionalInterface
  interface ElementEncoder {
    int encode(float x);
  }

  /**
   * Visits every block of the grid that {@code shape} lays over {@code m}, row-major; the last
   * block along a dimension the block size does not divide is partial.
   */
  static void forEach(Matrix m, BlockShape shape, BlockVisitor visitor) {
    int gridRows = shape.gridRows(m.rows());
    int gridCols = shape.gridCols(m.cols());
    for (int br = 0; br < gridRows; br++) {
      int r0 = br * shape.rows();
      int r1 = Math.min(m.rows(), r0 + shape.rows());
      for (int bc = 0; bc < gridCols; bc++) {
        int c0 = bc * shape.cols();
        int c1 = Math.min(m.cols(), c0 + shape.cols());
        visitor.visit(br * gridCols + bc, r0, r1, c0, c1);
      }
    }
  }

  /** Encodes every element of one block into {@code codes} (row-major, one byte each). */
  static void encode(Matrix m, byte[] codes, int r0, int r1, int c0, int c1,
      ElementEncoder encoder) {
    float[] v = m.values();
    int cols = m.cols();
    for (int r = r0; r < r1; r++) {
      for (int c = c0; c < c1; c++) {
        codes[r * cols + c] = (byte) encoder.encode(v[r * cols + c]);
      }
    }
  }
}

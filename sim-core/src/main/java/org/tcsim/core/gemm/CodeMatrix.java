package org.tcsim.core.gemm;

import java.util.Objects;
import org.tcsim.core.format.FpFormat;

/**
 * A matrix of codes in one format, row-major: the C input and the D output of a GEMM.
 *
 * @param format FP32, BF16, FP16, E4M3 or E5M2
 * @param rows rows (M)
 * @param cols columns (N)
 * @param codes {@code rows * cols} codes, row-major
 */
public record CodeMatrix(FpFormat format, int rows, int cols, int[] codes) {

  public CodeMatrix {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(codes, "codes");
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("shape must be positive, got " + rows + "x" + cols);
    }
    if ((long) rows * cols != codes.length) {
      throw new IllegalArgumentException(
          "codes holds " + codes.length + " values, shape is " + rows + "x" + cols);
    }
    codes = codes.clone();
  }

  /** FP32 values as a matrix of FP32 codes. */
  public static CodeMatrix ofFloats(int rows, int cols, float[] values) {
    int[] codes = new int[values.length];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = Float.floatToRawIntBits(values[i]);
    }
    return new CodeMatrix(FpFormat.FP32, rows, cols, codes);
  }

  @Override
  public int[] codes() {
    return codes.clone();
  }

  int[] view() {
    return codes;
  }

  public int code(int row, int col) {
    return codes[row * cols + col];
  }

  /** The exact value of (row, col). */
  public double value(int row, int col) {
    return format.decode(code(row, col));
  }
}

package org.tcsim.core.quant;

import java.util.Arrays;

/**
 * A row-major FP32 matrix: the high-precision tensor a recipe quantises. BF16 data is held as the
 * FP32 values it widens to exactly ({@link #fromBf16Bits}).
 *
 * @param rows number of rows
 * @param cols number of columns
 * @param data {@code rows * cols} values, row-major (copied, so the record stays immutable)
 */
public record Matrix(int rows, int cols, float[] data) {

  public Matrix {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException(
          "matrix shape must be positive, got rows=" + rows + ", cols=" + cols);
    }
    if (data == null || (long) rows * cols != data.length) {
      throw new IllegalArgumentException("data holds " + (data == null ? "null" : data.length)
          + " values but rows * cols = " + ((long) rows * cols));
    }
    data = data.clone();
  }

  /** A matrix from values listed row by row. */
  public static Matrix of(int rows, int cols, float... values) {
    return new Matrix(rows, cols, values);
  }

  /** A matrix from BF16 bit patterns (the high 16 bits of an FP32), row-major. */
  public static Matrix fromBf16Bits(int rows, int cols, short[] bits) {
    float[] v = new float[bits.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = Float.intBitsToFloat((bits[i] & 0xFFFF) << 16);
    }
    return new Matrix(rows, cols, v);
  }

  public float get(int row, int col) {
    return data[row * cols + col];
  }

  /** A copy of the values, row-major. */
  @Override
  public float[] data() {
    return data.clone();
  }

  /** The values without a copy, for the recipes in this package (never written to). */
  float[] values() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Matrix[" + rows + "x" + cols + "]";
  }
}

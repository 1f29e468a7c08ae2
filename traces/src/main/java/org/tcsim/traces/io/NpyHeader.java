package org.tcsim.traces.io;

import java.util.Arrays;

/**
 * The header of a {@code .npy} file (NEP 1, {@code numpy.lib.format}): element type, order and
 * shape, plus where the data starts.
 *
 * @param version major format version (1, 2 or 3)
 * @param dtype the element type
 * @param fortranOrder true if the data is column-major (Fortran order)
 * @param shape the dimensions (empty for a 0-d array, which holds one element)
 * @param dataOffset the byte offset of the first element
 */
public record NpyHeader(int version, NpyDtype dtype, boolean fortranOrder, long[] shape,
    long dataOffset) {

  public NpyHeader {
    shape = shape.clone();
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    elementCount(shape); // refuses overflow
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int ndim() {
    return shape.length;
  }

  /** Number of elements; refuses shapes whose element or byte count overflows a long. */
  public long size() {
    return elementCount(shape);
  }

  /** Bytes of data the header promises. */
  public long dataBytes() {
    return Math.multiplyExact(size(), (long) dtype.itemSize());
  }

  static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape)
            + " has more elements than a 64-bit count holds");
      }
    }
    return n;
  }

  /** The shape as NumPy prints it: {@code (3, 4)}, {@code (5,)}, {@code ()}. */
  public String shapeText() {
    return tuple(shape);
  }

  static String tuple(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(shape[i]);
    }
    if (shape.length == 1) {
      sb.append(',');
    }
    return sb.append(')').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyHeader h && h.version == version && h.dtype == dtype
        && h.fortranOrder == fortranOrder && Arrays.equals(h.shape, shape)
        && h.dataOffset == dataOffset;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + dtype.hashCode() + Long.hashCode(dataOffset);
  }

  @Override
  public String toString() {
    return "NpyHeader[v" + version + ", " + dtype.descr() + ", "
        + (fortranOrder ? "fortran" : "C") + " order, shape " + shapeText() + "]";
  }
}

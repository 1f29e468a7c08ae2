package org.tcsim.traces.io;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.InputFormatException;

/**
 * An open {@code .npy} file whose data is memory-mapped in windows of at most 1 GiB, so that
 * rows of a large operand can be read one at a time without the whole array in memory. Reads
 * return raw bits ({@link #bits}) that the caller decodes in the format it knows the data holds
 * (an FP8 code, BF16 bits), or values for the float types ({@link #value}).
 */
public final class NpyArray implements AutoCloseable {

  /** Window size: a multiple of every item size, below the 2 GiB limit of one mapping. */
  private static final long WINDOW = 1L << 30;

  private final String source;
  private final NpyHeader header;
  private final FileChannel channel;
  private final MappedByteBuffer[] windows;
  private final long[] shape;
  private final long size;

  private NpyArray(String source, NpyHeader header, FileChannel channel,
      MappedByteBuffer[] windows) {
    this.source = source;
    this.header = header;
    this.channel = channel;
    this.windows = windows;
    this.shape = header.shape();
    this.size = header.size();
  }

  static NpyArray open(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      NpyHeader h = Npy.readHeader(ch, file.toString());
      long bytes = h.dataBytes();
      int count = (int) ((bytes + WINDOW - 1) / WINDOW);
      MappedByteBuffer[] w = new MappedByteBuffer[count];
      for (int i = 0; i < count; i++) {
        long start = (long) i * WINDOW;
        w[i] = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset() + start,
            Math.min(WINDOW, bytes - start));
        w[i].order(ByteOrder.LITTLE_ENDIAN);
      }
      return new NpyArray(file.toString(), h, ch, w);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  public NpyHeader header() {
    return header;
  }

  /** The file name, for messages. */
  public String source() {
    return source;
  }

  /** Number of elements. */
  public long size() {
    return size;
  }

  /** Rows of a 2-D array. */
  public long rows() {
    requireMatrix();
    return shape[0];
  }

  /** Columns of a 2-D array. */
  public long cols() {
    requireMatrix();
    return shape[1];
  }

  /**
   * Checks that the array is a {@code rows x cols} matrix, naming the file and both shapes if
   * not (a 1-D array of {@code rows} elements passes when {@code cols} is 1).
   */
  public void requireShape(long rows, long cols, String what) {
    long[] s = shape;
    boolean ok = (s.length == 2 && s[0] == rows && s[1] == cols)
        || (s.length == 1 && cols == 1 && s[0] == rows);
    if (!ok) {
      throw new InputFormatException(source, 0, "shape", what + " must be " + rows + "x" + cols
          + " but the file holds shape " + header.shapeText());
    }
  }

  /** The storage index of element (row, col) of a 2-D array, honouring its order. */
  public long index(long row, long col) {
    long r = rows();
    long c = cols();
    if (row < 0 || row >= r || col < 0 || col >= c) {
      throw new IndexOutOfBoundsException("(" + row + ", " + col + ") outside " + r + "x" + c);
    }
    return header.fortranOrder() ? col * r + row : row * c + col;
  }

  /**
   * The raw bits of the element at storage index {@code i}: the byte for {@code |u1}, {@code <V1}
   * and {@code <f1}, the 16-bit pattern for {@code <u2}, {@code <f2} and {@code <V2}
   * (little-endian, as ml_dtypes writes them), the FP32 pattern for {@code <f4}.
   */
  public int bits(long i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("element " + i + " of " + size);
    }
    long byteIndex = i * header.dtype().itemSize();
    MappedByteBuffer w = windows[(int) (byteIndex / WINDOW)];
    int at = (int) (byteIndex % WINDOW);
    return switch (header.dtype()) {
      case U1, V1, F1 -> w.get(at) & 0xFF;
      case U2, F2, V2 -> w.getShort(at) & 0xFFFF;
      case F4 -> w.getInt(at);
    };
  }

  /** The value at storage index {@code i} of a float array ({@code <f2} or {@code <f4}). */
  public double value(long i) {
    return switch (header.dtype()) {
      case F4 -> Float.intBitsToFloat(bits(i));
      case F2 -> FpFormat.FP16.decode(bits(i));
      case U1, U2, V1, F1, V2 -> throw new IllegalStateException(source + " holds " + header.dtype().descr()
          + " codes, not values: decode them with the format they are in");
    };
  }

  /** The bits of one row of a 2-D array, in column order, whatever the storage order. */
  public int[] rowBits(long row) {
    long c = cols();
    if (c > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("row of " + c + " elements is too long for one array");
    }
    int[] out = new int[(int) c];
    for (int j = 0; j < out.length; j++) {
      out[j] = bits(index(row, j));
    }
    return out;
  }

  /**
   * Every element's bits in storage order. Refused, before anything is allocated, when the array
   * would not fit in a Java array or in half of the heap this JVM may use.
   */
  public int[] allBits() {
    long n = size();
    long heapBudget = Runtime.getRuntime().maxMemory() / 2;
    if (n > Integer.MAX_VALUE - 8 || n * 4 > heapBudget) {
      throw new InputFormatException(source, 0, "shape", "shape " + header.shapeText() + " ("
          + n + " elements) is too large to read at once (limit " + Math.min(Integer.MAX_VALUE
          - 8, heapBudget / 4) + " elements); read it row by row");
    }
    int[] out = new int[(int) n];
    for (int i = 0; i < out.length; i++) {
      out[i] = bits(i);
    }
    return out;
  }

  private void requireMatrix() {
    if (shape.length != 2) {
      throw new InputFormatException(source, 0, "shape", "expected a 2-D array, the file holds"
          + " shape " + header.shapeText());
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

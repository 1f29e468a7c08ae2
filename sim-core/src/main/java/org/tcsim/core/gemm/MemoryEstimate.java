package org.tcsim.core.gemm;

import java.util.Locale;

/**
 * The heap a GEMM needs beyond its inputs, estimated before anything is allocated, so that a GEMM
 * that cannot fit is refused with a message naming the size rather than failing half way.
 *
 * @param m rows of D
 * @param n columns of D
 * @param k the reduction length
 * @param operandBytes packed copies of A and B (one byte per element, up to two copies each while
 *     packing)
 * @param outputBytes D as FP32 values and as codes, and the result's copy of the codes
 * @param workBytes per-thread tile buffers
 * @param inputBytes what the caller still has to allocate for the inputs (0 when they exist)
 */
public record MemoryEstimate(int m, int n, int k, long operandBytes, long outputBytes,
    long workBytes, long inputBytes) {

  /** The estimate for an M x N x K GEMM run on {@code threads} threads. */
  public static MemoryEstimate of(int m, int n, int k, int threads) {
    long operands = 2L * ((long) m * k + (long) k * n);
    long outputs = 12L * m * n;
    // The kernel is chosen after this estimate, so take the largest working set of any kernel.
    long perThread = Math.max(Math.max(TileShape.DEFAULT.bytesPerThread(),
        RowBatchFp8Kernel.SHAPE.bytesPerThread()), HalfAccumulatorKernel.SHAPE.bytesPerThread());
    return new MemoryEstimate(m, n, k, operands, outputs, perThread * threads, 0);
  }

  /** The same estimate with the inputs the caller has yet to create (e.g. generated data). */
  public MemoryEstimate withInputBytes(long bytes) {
    return new MemoryEstimate(m, n, k, operandBytes, outputBytes, workBytes, bytes);
  }

  public long totalBytes() {
    return operandBytes + outputBytes + workBytes + inputBytes;
  }

  /** The heap the JVM can still give: max heap less what is in use now. */
  public static long availableHeap() {
    Runtime r = Runtime.getRuntime();
    return r.maxMemory() - (r.totalMemory() - r.freeMemory());
  }

  /** Throws {@link GemmTooLargeException} when the estimate exceeds {@code availableBytes}. */
  public void requireFits(long availableBytes) {
    if (totalBytes() > availableBytes) {
      throw new GemmTooLargeException(String.format(Locale.ROOT,
          "GEMM %dx%dx%d needs about %s of heap (inputs %s, operands %s, outputs %s, work %s) but only %s "
              + "is available (max heap %s); raise -Xmx (TCSIM_JAVA_OPTS for ./tcsim) or use a "
              + "smaller shape",
          m, n, k, human(totalBytes()), human(inputBytes), human(operandBytes), human(outputBytes), human(workBytes),
          human(availableBytes), human(Runtime.getRuntime().maxMemory())));
    }
  }

  /** Bytes as B, KiB, MiB or GiB with one decimal. */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}

package org.tcsim.core.gemm;

import java.util.Random;
import org.tcsim.core.datapath.BlockFmaDatapath;

/** Drives a {@link TileKernel} over a whole problem as the GEMM engine does, for the kernel tests. */
final class KernelDriver {

  private KernelDriver() {}

  /**
   * The kernel over the whole problem as the engine drives it: tiles of the kernel's shape, K in
   * blocks of at most maxBlockK (whole steps), each block in random chunks of whole steps, and
   * each row's columns sometimes in two sub-ranges; the accumulator carried through.
   */
  static int[] run(TileKernel kernel, int m, int n, int k, int step, int[] c, Random r) {
    TileShape shape = kernel.shape();
    int blockK = Math.max(step, shape.maxBlockK() / step * step);
    TileKernel.Context ctx = kernel.newContext(shape.tileM(), shape.tileN(), blockK);
    int[] acc = c.clone();
    int[] row = new int[shape.tileN()];
    for (int i0 = 0; i0 < m; i0 += shape.tileM()) {
      int i1 = Math.min(m, i0 + shape.tileM());
      for (int j0 = 0; j0 < n; j0 += shape.tileN()) {
        int j1 = Math.min(n, j0 + shape.tileN());
        for (int kb = 0; kb < k; kb += blockK) {
          int ke = Math.min(k, kb + blockK);
          kernel.load(ctx, i0, i1, j0, j1, kb, ke);
          for (int cs = kb, ce; cs < ke; cs = ce) {
            ce = Math.min(ke, cs + step * (1 + r.nextInt(4)));
            for (int i = i0; i < i1; i++) {
              int split = r.nextBoolean() ? j0 + r.nextInt(j1 - j0 + 1) : j1;
              for (int[] range : new int[][] {{j0, split}, {split, j1}}) {
                int lo = range[0];
                int hi = range[1];
                if (lo == hi) {
                  continue;
                }
                System.arraycopy(acc, i * n + lo, row, 0, hi - lo);
                kernel.dotRow(ctx, i, lo, hi, cs, ce, row, 0);
                System.arraycopy(row, 0, acc, i * n + lo, hi - lo);
              }
            }
          }
        }
      }
    }
    return acc;
  }


  /**
   * What the generic datapath gives for every output: {@link BlockFmaDatapath#dot} over the whole
   * K of row i of A and row j of B (both outer x K), from the accumulator c[i * n + j].
   */
  static int[] expected(BlockFmaDatapath datapath, byte[] a, byte[] b, int m, int n, int k,
      int[] c) {
    return expected(datapath, a, b, m, n, k, c, Integer.MAX_VALUE);
  }

  /**
   * As {@link #expected(BlockFmaDatapath, byte[], byte[], int, int, int, int[])} with K cut into
   * MMA instructions of {@code instruction}, each a dot product from the previous result.
   */
  static int[] expected(BlockFmaDatapath datapath, byte[] a, byte[] b, int m, int n, int k,
      int[] c, int instruction) {
    int[] rowA = new int[k];
    int[] rowB = new int[k];
    int[] d = new int[m * n];
    for (int i = 0; i < m; i++) {
      for (int t = 0; t < k; t++) {
        rowA[t] = a[i * k + t] & 0xFF;
      }
      for (int j = 0; j < n; j++) {
        for (int t = 0; t < k; t++) {
          rowB[t] = b[j * k + t] & 0xFF;
        }
        int r = c[i * n + j];
        for (int s = 0, len; s < k; s += len) {
          len = Math.min(instruction, k - s);
          r = datapath.dot(rowA, s, 1, rowB, s, 1, len, r, null);
        }
        d[i * n + j] = r;
      }
    }
    return d;
  }
}

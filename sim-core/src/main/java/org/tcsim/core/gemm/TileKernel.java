package org.tcsim.core.gemm;

import org.tcsim.core.datapath.BlockFmaDatapath;

/**
 * The tensor-core part of a GEMM for one tile of outputs and one range of K: loads (decodes) the
 * tile's slices of A and B, then computes each output's tensor-core accumulator over that range,
 * starting from a given accumulator code, step by step as the datapath does. Implementations are
 * thread-safe; per-thread state lives in a {@link Context}.
 */
abstract class TileKernel {

  /** Per-thread buffers holding the decoded slices of the current tile. */
  static class Context {
    int i0;
    int j0;
    int k0;
    int kLen;
  }

  final OperandView a;
  final OperandView b;
  /**
   * K of one MMA instruction: a range given to {@link #dot} is a run of instructions of this
   * length, each one {@link BlockFmaDatapath#dot} over its K from the previous one's result. For
   * most datapaths that is the same as one dot over the whole range (an instruction is a run of
   * steps); it differs where C joins after all of an instruction's steps
   * ({@code AccumulatorJoin.AFTER_ALL_STEPS}) or where the steps take k out of order. The whole
   * range by default; the GEMM sets its {@code mmaK}.
   */
  int instructionK = Integer.MAX_VALUE;

  TileKernel(OperandView a, OperandView b) {
    this.a = a;
    this.b = b;
  }

  /** The K of one MMA instruction (see {@link #instructionK}); returns this kernel. */
  TileKernel instructions(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("instruction K must be positive: " + k);
    }
    instructionK = k;
    return this;
  }

  /** A name for reports. */
  abstract String name();

  /** The tiles and K blocks this kernel works in. */
  TileShape shape() {
    return TileShape.DEFAULT;
  }

  abstract Context newContext(int tileM, int tileN, int blockK);

  /** Loads rows [i0, i1) of A and columns [j0, j1) of B over K range [k0, k1). */
  abstract void load(Context ctx, int i0, int i1, int j0, int j1, int k0, int k1);

  /**
   * The tensor-core accumulator after the products of K range [k0, k1) (inside the loaded range)
   * of output (i, j) have been added to {@code c}, a code of the datapath's output format.
   */
  abstract int dot(Context ctx, int i, int j, int k0, int k1, int c);

  /**
   * {@link #dot} for outputs (i, j0) .. (i, j1 - 1), updating {@code acc[at + j - j0]} in place.
   * Kernels may compute several outputs at once; each output's arithmetic is unchanged.
   */
  void dotRow(Context ctx, int i, int j0, int j1, int k0, int k1, int[] acc, int at) {
    for (int j = j0; j < j1; j++) {
      acc[at + j - j0] = dot(ctx, i, j, k0, k1, acc[at + j - j0]);
    }
  }

  /**
   * One step of output (i, j) through the generic datapath, from the operands' codes for k in
   * [s, s + n) and accumulator bits {@code c}: the exact answer the fast kernels fall back to.
   * The scratch arrays hold at least n codes each.
   */
  int datapathStep(BlockFmaDatapath datapath, int[] scratchA, int[] scratchB, int i, int j,
      int s, int n, int c) {
    for (int t = 0; t < n; t++) {
      scratchA[t] = a.code(i, s + t);
      scratchB[t] = b.code(j, s + t);
    }
    return datapath.step(scratchA, 0, 1, scratchB, 0, 1, n, c, 0, null);
  }

  static void begin(Context ctx, int i0, int j0, int k0, int k1) {
    ctx.i0 = i0;
    ctx.j0 = j0;
    ctx.k0 = k0;
    ctx.kLen = k1 - k0;
  }
}

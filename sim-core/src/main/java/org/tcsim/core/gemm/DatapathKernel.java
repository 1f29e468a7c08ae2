package org.tcsim.core.gemm;

import org.tcsim.core.datapath.BlockFmaDatapath;

/** Any datapath preset, through the generic {@link BlockFmaDatapath} (exact but not fast). */
final class DatapathKernel extends TileKernel {
  private final BlockFmaDatapath datapath;

  DatapathKernel(OperandView a, OperandView b, BlockFmaDatapath datapath) {
    super(a, b);
    this.datapath = datapath;
  }

  @Override
  String name() {
    return "datapath";
  }

  static final class Codes extends Context {
    final int[] a;
    final int[] b;

    Codes(int tileM, int tileN, int blockK) {
      a = new int[tileM * blockK];
      b = new int[tileN * blockK];
    }
  }

  @Override
  Context newContext(int tileM, int tileN, int blockK) {
    return new Codes(tileM, tileN, blockK);
  }

  @Override
  void load(Context ctx, int i0, int i1, int j0, int j1, int k0, int k1) {
    begin(ctx, i0, j0, k0, k1);
    Codes c = (Codes) ctx;
    copy(a, c.a, i0, i1, k0, k1);
    copy(b, c.b, j0, j1, k0, k1);
  }

  static void copy(OperandView v, int[] into, int o0, int o1, int k0, int k1) {
    int len = k1 - k0;
    for (int o = o0; o < o1; o++) {
      int src = o * v.k + k0;
      int dst = (o - o0) * len;
      for (int t = 0; t < len; t++) {
        into[dst + t] = v.packed[src + t] & 0xFF;
      }
    }
  }

  @Override
  int dot(Context ctx, int i, int j, int k0, int k1, int c) {
    Codes codes = (Codes) ctx;
    int r = c;
    for (int s = k0; s < k1; s += Math.min(instructionK, k1 - s)) {
      int rel = s - ctx.k0;
      r = datapath.dot(codes.a, (i - ctx.i0) * ctx.kLen + rel, 1, codes.b,
          (j - ctx.j0) * ctx.kLen + rel, 1, Math.min(instructionK, k1 - s), r, null);
    }
    return r;
  }
}

package org.tcsim.core.gemm;

import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;

/**
 * Block-scaled MMA (MXFP8 {@code VEC32_UE8M0}, NVFP4 {@code VEC16_UE4M3}; Blackwell
 * {@code tcgen05.mma.kind::mxf8f6f4 / mxf4nvf4}) through the generic datapath's
 * {@link BlockFmaDatapath#dotScaled}, output by output: the exact answer for every block-scaled
 * datapath the fast {@link TruncatedSumKernel} does not take (the what-if variants, or scale
 * blocks it cannot join exactly). Where the scale enters a datapath that loses bits on alignment
 * is not public (docs/hardware-facts.md, Open questions), so block scales are modelled only for
 * datapaths that sum a step's products exactly.
 */
final class BlockScaledDatapathKernel extends TileKernel {
  private final BlockFmaDatapath datapath;
  private final FpFormat scaleFormat;
  private final int scaleBlock;

  BlockScaledDatapathKernel(OperandView a, OperandView b, BlockFmaDatapath datapath,
      FpFormat scaleFormat, int scaleBlock) {
    super(a, b);
    this.datapath = datapath;
    this.scaleFormat = scaleFormat;
    this.scaleBlock = scaleBlock;
  }

  /** Whether the datapath sums a step's products exactly, so block scales can be modelled. */
  static boolean supports(BlockFmaParams p) {
    return p.alignment() == AlignmentMode.EXACT;
  }

  @Override
  String name() {
    return "block-scaled-datapath";
  }

  @Override
  Context newContext(int tileM, int tileN, int blockK) {
    return new Context();
  }

  @Override
  void load(Context ctx, int i0, int i1, int j0, int j1, int k0, int k1) {
    begin(ctx, i0, j0, k0, k1);
  }

  @Override
  int dot(Context ctx, int i, int j, int k0, int k1, int c) {
    return dotScaled(a, b, datapath, scaleFormat, scaleBlock, i, j, k0, k1, c);
  }

  /**
   * Output (i, j) over [k0, k1) from accumulator c through {@link BlockFmaDatapath#dotScaled},
   * step by step: a step that starts on a scale block's boundary passes its blocks as they are;
   * one that starts inside a block (a block longer than the step) passes each product's scales
   * (blocks of 1), which is the same under the default placement, where every product is scaled
   * on its own.
   */
  static int dotScaled(OperandView a, OperandView b, BlockFmaDatapath datapath,
      FpFormat scaleFormat, int scaleBlock, int i, int j, int k0, int k1, int c) {
    int step = datapath.params().productsPerStep();
    int r = c;
    for (int s = k0; s < k1; s += step) {
      int n = Math.min(step, k1 - s);
      int block = s % scaleBlock == 0 ? scaleBlock : 1;
      int blocks = (n + block - 1) / block;
      int[] ca = new int[n];
      int[] cb = new int[n];
      int[] sa = new int[blocks];
      int[] sb = new int[blocks];
      for (int t = 0; t < n; t++) {
        ca[t] = a.code(i, s + t);
        cb[t] = b.code(j, s + t);
      }
      for (int x = 0; x < blocks; x++) {
        sa[x] = a.scaleCode(i, s + x * block);
        sb[x] = b.scaleCode(j, s + x * block);
      }
      r = datapath.dotScaled(ca, sa, cb, sb, scaleFormat, block, n, r);
    }
    return r;
  }
}

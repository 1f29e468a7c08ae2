package org.tcsim.core.gemm;

/**
 * A {@link TileKernel} that computes a whole row of a tile at once ({@link #dotRow}), its loops
 * running across the tile's columns; one output is a row of one.
 */
abstract class RowBatchKernel extends TileKernel {

  RowBatchKernel(OperandView a, OperandView b) {
    super(a, b);
  }

  @Override
  final int dot(Context ctx, int i, int j, int k0, int k1, int c) {
    int[] one = {c};
    dotRow(ctx, i, j, j + 1, k0, k1, one, 0);
    return one[0];
  }

  @Override
  abstract void dotRow(Context ctx, int i, int j0, int j1, int k0, int k1, int[] acc, int at);
}

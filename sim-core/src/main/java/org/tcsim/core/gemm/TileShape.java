package org.tcsim.core.gemm;

/**
 * The blocking a {@link TileKernel} works in: outputs are computed in tiles of {@code tileM} rows
 * by {@code tileN} columns, and operands are decoded {@code maxBlockK} elements of K at a time.
 * Each kernel picks the shape that suits its inner loops and caches; the shape never changes a
 * result (every output is computed by itself), only the speed and the working memory.
 *
 * @param tileM rows of D per tile
 * @param tileN columns of D per tile
 * @param maxBlockK most K elements decoded at once
 * @param bytesPerElement bytes the kernel keeps per decoded operand element
 */
record TileShape(int tileM, int tileN, int maxBlockK, int bytesPerElement) {

  /** The shape of the generic kernels: integer codes (4 bytes) and room for the decoded values. */
  static final TileShape DEFAULT = new TileShape(32, 64, 512, 8);

  /** Working memory per thread: decoded operand slices plus the engine's three tile buffers. */
  long bytesPerThread() {
    return (long) (tileM + tileN) * maxBlockK * bytesPerElement + 12L * tileM * tileN;
  }
}

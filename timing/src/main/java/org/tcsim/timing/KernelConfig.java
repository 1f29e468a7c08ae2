package org.tcsim.timing;

/**
 * The launch choices of a warp-specialised persistent GEMM kernel (DeepGEMM's sm90_fp8_gemm_1d2d.cuh
 * structure): a CTA tile of blockM x blockN, K consumed blockK at a time through a ring of
 * {@code stages} shared-memory buffers filled by a TMA producer, {@code mathWarpgroups} consumer
 * warpgroups splitting the tile's rows, and a cluster of clusterM x clusterN CTAs: along M the
 * CTAs share B (TMA multicast of B), along N they share A. With {@code splitK} above 1 each
 * output tile's K range is cut into that many slices computed by different CTAs, whose FP32 partial
 * tiles are reduced through L2 (CUTLASS split-K / stream-K fix-up; cuBLASLt's split-K algorithms).
 */
public record KernelConfig(int blockM, int blockN, int blockK, int stages, int clusterM, int clusterN,
    int mathWarpgroups, int splitK) {

  /** A launch without split-K. */
  public KernelConfig(int blockM, int blockN, int blockK, int stages, int clusterM, int clusterN,
      int mathWarpgroups) {
    this(blockM, blockN, blockK, stages, clusterM, clusterN, mathWarpgroups, 1);
  }

  public KernelConfig {
    if (blockM <= 0 || blockM % 64 != 0) {
      throw new IllegalArgumentException("block M must be a positive multiple of 64 (wgmma M): " + blockM);
    }
    if (blockN <= 0 || blockN % 8 != 0 || blockN > 256) {
      throw new IllegalArgumentException("block N must be a multiple of 8 in 8..256 (wgmma N): " + blockN);
    }
    if (blockK <= 0 || blockK % 32 != 0) {
      throw new IllegalArgumentException("block K must be a positive multiple of 32: " + blockK);
    }
    if (stages < 1) {
      throw new IllegalArgumentException("stages must be at least 1: " + stages);
    }
    if (clusterM < 1 || clusterN < 1 || clusterM > 2 || clusterN > 2) {
      throw new IllegalArgumentException("cluster must be 1x1, 2x1, 1x2 or 2x2: " + clusterM + "x" + clusterN);
    }
    if (splitK < 1) {
      throw new IllegalArgumentException("split-K must be at least 1: " + splitK);
    }
    if (mathWarpgroups < 1 || mathWarpgroups > 2 || blockM % (64 * mathWarpgroups) != 0) {
      throw new IllegalArgumentException("math warpgroups must be 1 or 2 and split block M into multiples of 64: "
          + mathWarpgroups + " for block M " + blockM);
    }
  }

  /** Rows of the tile each math warpgroup owns. */
  public int rowsPerWarpgroup() {
    return blockM / mathWarpgroups;
  }

  /** CTAs per cluster. */
  public int clusterSize() {
    return clusterM * clusterN;
  }

  /** {@code 128x128x128}-style tile text. */
  public String tileText() {
    return blockM + "x" + blockN + "x" + blockK;
  }

  /** This launch with its K range cut into {@code slices}. */
  public KernelConfig withSplitK(int slices) {
    return new KernelConfig(blockM, blockN, blockK, stages, clusterM, clusterN, mathWarpgroups, slices);
  }

  /** {@code 2x1}-style cluster text. */
  public String clusterText() {
    return clusterM + "x" + clusterN;
  }
}

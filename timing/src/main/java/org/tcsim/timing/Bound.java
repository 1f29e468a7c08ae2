package org.tcsim.timing;

/** What limits a GEMM's time, as the timing model explains it. */
public enum Bound {
  /** The tensor cores are busy most of the time. */
  MMA,
  /** HBM bandwidth, shared by all SMs, is the bottleneck. */
  HBM,
  /** L2-to-SM bandwidth is the bottleneck (many SMs re-reading the same operand). */
  L2,
  /** The busiest SMs are MMA-bound but others idle: too few tiles, or a partial last wave. */
  WAVE_QUANTISATION,
  /** The math warpgroups spend the time promoting partial sums on the CUDA cores. */
  PROMOTION,
  /**
   * The CUDA cores spend the time converting and storing output tiles: few K blocks per tile, or
   * one tile per SM whose epilogue nothing overlaps.
   */
  EPILOGUE,
  /** No unit is saturated: pipeline fill, memory latency and fixed costs dominate. */
  LATENCY;

  /** Lower-case CLI/CSV spelling. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

package org.tcsim.h100;

/**
 * Issue and latency of Hopper's {@code wgmma.mma_async} for FP8 inputs (m64nNk32), the figures the
 * timing model's MMA unit is built from.
 *
 * <p>Measured by Luo et al. (arXiv 2402.13499, 2501.12084; docs/hardware-facts.md, Latencies):
 * m64n256k32 FP8
 * completes in 128 cycles and smaller N in about N/2 cycles, which is exactly the time the SM's four
 * tensor cores need at the dense rate of 8192 FP8 FLOP/clk (2 x 64 x N x 32 / 8192 = N/2). So a
 * wgmma's latency is its occupancy: dependent wgmmas on one accumulator pipeline back to back, and
 * {@code wgmma.wait_group 0} returns as soon as the last one's occupancy ends.
 */
public final class WgmmaPipeline {
  /** Rows of one wgmma (PTX ISA: wgmma shapes are m64nNk*). */
  public static final int M = 64;
  /** K of one FP8 wgmma (PTX ISA: .e4m3/.e5m2 shapes are m64nNk32). */
  public static final int K_FP8 = 32;
  /**
   * Dense FP8 FLOPs per clock per SM (H100 datasheet;
   * docs/hardware-facts.md, Rates and clocks).
   */
  public static final int FP8_FLOPS_PER_CLK = 8192;
  /** Latency beyond occupancy: none measurable (see class comment). */
  public static final double TAIL_CYCLES = 0;
  /**
   * wgmma per 128-K promotion interval (CUTLASS mma_promotion_interval; docs/hardware-facts.md,
   * Library GEMM semantics).
   */
  public static final int PROMOTION_INTERVAL = 4;

  private WgmmaPipeline() {}

  /** Cycles the SM's tensor cores are busy with one m64nNk32 FP8 wgmma. */
  public static double occupancyCycles(int n) {
    if (n < 8 || n > 256 || n % 8 != 0) {
      throw new IllegalArgumentException("wgmma N must be a multiple of 8 in 8..256: " + n);
    }
    return 2.0 * M * n * K_FP8 / FP8_FLOPS_PER_CLK;
  }

  /** Cycles from issue to completion of one m64nNk32 FP8 wgmma (about N/2, M: Luo et al.). */
  public static double latencyCycles(int n) {
    return occupancyCycles(n) + TAIL_CYCLES;
  }
}

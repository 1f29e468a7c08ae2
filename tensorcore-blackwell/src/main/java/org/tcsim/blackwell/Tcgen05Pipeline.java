package org.tcsim.blackwell;

/**
 * Blackwell's {@code tcgen05.mma} as the timing model sees it (PTX ISA, tcgen05 chapter):
 * issued by a single thread, accumulating in tensor memory (TMEM: 128 lanes x 512 columns x 32 bit
 * = 256 KB per SM, PTX ISA, tensor memory), so a CTA can double-buffer its accumulator and overlap
 * the
 * epilogue of one tile with the MMAs of the next; {@code cta_group::2} spans the two SMs of a
 * cluster pair, each holding half the A rows and half of B; {@code kind::mxf8f6f4} applies E8M0 block
 * scales inside the MMA, so MXFP8 needs no CUDA-core promotion.
 */
public final class Tcgen05Pipeline {
  /**
   * Dense FP8 / MXFP8 FLOPs per clock per SM (I from cuDNN-frontend; docs/hardware-facts.md, Rates
   * and clocks).
   */
  public static final int FP8_FLOPS_PER_CLK = 16384;
  /** K of one FP8 tcgen05.mma (PTX ISA: kind::f8f6f4 has K = 32). */
  public static final int K_FP8 = 32;
  /** TMEM columns per SM (128 lanes x 512 columns x 4 bytes = 256 KB). */
  public static final int TMEM_COLUMNS = 512;
  /** SMs one cta_group::2 MMA spans. */
  public static final int CTA_GROUP = 2;
  /** Accumulator buffers a persistent kernel keeps in TMEM (two 256-column tiles fill it). */
  public static final int ACCUM_BUFFERS = 2;
  /** Latency beyond occupancy; not measured publicly, taken as Hopper's (none). */
  public static final double TAIL_CYCLES = 0;

  private Tcgen05Pipeline() {}
}

package org.tcsim.core.datapath;

/**
 * Where the block scales of a block-scaled MMA (OCP MX, NVFP4; Blackwell
 * {@code tcgen05.mma ... .block_scale}) enter the datapath: D = sum_k a[k]*sa[k/B] * b[k]*sb[k/B]
 * + C (docs/hardware-facts.md, Block scaling). The public record does not say where
 * (docs/hardware-facts.md, Open questions), so it is a parameter.
 */
public enum ScalePlacement {
  /**
   * Each product is multiplied by its block's two scales before alignment, so the scales take part
   * in finding the step's largest exponent. The default: an E8M0 scale is a pure exponent, and an
   * exponent adder in front of the alignment shifter is the cheapest place for it; with the B200's
   * exact-sum datapath both placements agree away from overflow and underflow, so this choice
   * cannot contradict the B200 FP8 measurements.
   */
  PRODUCT,
  /**
   * Each block's products are summed by the datapath without scales (from a zero accumulator) and
   * rounded; that block result is multiplied by the two scales and added to the accumulator with
   * one more rounding. A what-if for a datapath that scales after the reduction.
   */
  BLOCK_RESULT
}

package org.tcsim.core.datapath;

/** Where the accumulator input C enters a block fused multiply-add step. */
public enum AccumulatorJoin {
  /**
   * C is one more term of the step: it takes part in finding the largest exponent and is aligned
   * and truncated like the products. The published model of every NVIDIA tensor core
   * (Khattak & Mikaitis, doi 10.1145/3830409: a step sums its products together with the
   * accumulator; docs/hardware-facts.md, The block FMA model).
   */
  WITH_PRODUCTS,
  /**
   * The products are aligned among themselves and summed; C is added to that sum exactly, before
   * the single rounding (the model's {@code late_partial_sum}). A what-if knob.
   */
  AFTER_PRODUCTS,
  /**
   * The steps accumulate from zero; C is added to the last step's result at the very end, exactly,
   * with one more rounding ({@code resultRounding} into the output format). What FP8
   * {@code mma.sync} with an FP16 accumulator does on H100 and B200 (a separate half-precision add
   * after two HMMA steps; inferred from the golden data, see {@link StepOrder#PAIRS_BY_K_MOD_4}).
   */
  AFTER_ALL_STEPS
}

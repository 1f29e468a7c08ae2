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
  AFTER_ALL_STEPS,
  /**
   * The B200 FP8 datapath: the products are aligned among themselves (exactly, with
   * {@link AlignmentMode#EXACT}) and summed; the sum is normalised and truncated toward zero to
   * {@code normalisedMantissaBits} (a 24-bit significand for FP32: a value P of the output format);
   * then C is added to P as an ordinary IEEE addition in the output format, rounded with
   * {@code resultRounding}: D = RNE_fp32(RZ_24(sum of the products) + C). C keeps its full
   * precision and takes no part in the products' alignment. It reproduces all 10,000 B200 FP8
   * rows of this project's analysis of {@code mma.sync} m16n8k32 (docs/hardware-facts.md,
   * section "B200 FP8"), among them the one row that rounding the exact sum plus C once gets wrong.
   */
  AFTER_TRUNCATED_SUM,
  /**
   * As {@link #AFTER_TRUNCATED_SUM}, but P carries a sticky bit into the final addition: when the
   * truncation dropped anything, the addition rounds P + C as if P were a little larger in
   * magnitude (an infinitesimal of the sum's sign below every bit of P and C). The B200 data
   * cannot tell it from {@link #AFTER_TRUNCATED_SUM} (docs/hardware-facts.md, "B200 FP8"); a
   * what-if knob.
   */
  AFTER_TRUNCATED_SUM_STICKY,
  /**
   * As {@link #AFTER_TRUNCATED_SUM}, but the step's products are summed in two halves (k in the
   * first and in the second half of the step, 16 and 16 for a step of 32), each half truncated to
   * {@code normalisedMantissaBits}, then their sum truncated again, before C is added. The B200
   * data cannot tell it from {@link #AFTER_TRUNCATED_SUM} either; a what-if knob.
   */
  AFTER_TRUNCATED_HALVES;

  /** Whether C is added, with one IEEE rounding, to the step's truncated product sum. */
  public boolean addsToTruncatedSum() {
    return switch (this) {
      case AFTER_TRUNCATED_SUM, AFTER_TRUNCATED_SUM_STICKY, AFTER_TRUNCATED_HALVES -> true;
      case WITH_PRODUCTS, AFTER_PRODUCTS, AFTER_ALL_STEPS -> false;
    };
  }
}

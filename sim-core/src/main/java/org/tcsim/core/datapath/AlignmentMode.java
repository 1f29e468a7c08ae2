package org.tcsim.core.datapath;

import org.tcsim.core.format.Rounding;
import org.tcsim.core.format.RoundingDecision;

/**
 * How a term loses the bits that fall below the alignment window when it is shifted right to the
 * largest exponent of its step.
 */
public enum AlignmentMode {
  /**
   * Bits below the window are dropped (the magnitude is truncated, toward zero). What every NVIDIA
   * tensor core since Volta does in the published model (Khattak &amp; Mikaitis, ACM TACO,
   * doi 10.1145/3830409; docs/hardware-facts.md, The block FMA model), and what reproduces the H100
   * golden data.
   */
  TRUNCATE,
  /**
   * As {@link #TRUNCATE}, plus one extra bit per term below the window that is set when any
   * dropped bit was non-zero (the model's {@code stkbitenabled}). A what-if knob.
   */
  TRUNCATE_STICKY,
  /** Each term is rounded to the window, to nearest with ties to even. A what-if knob. */
  ROUND_NEAREST_EVEN,
  /**
   * No bit is lost: the step sums exactly and only the normalisation rounds. With C joining the
   * products it is one rounding of the exact sum plus C (the B200 FP8 model shipped before); the
   * B200 FP8 preset pairs it with {@link AccumulatorJoin#AFTER_TRUNCATED_SUM}
   * (docs/hardware-facts.md, B200 FP8).
   */
  EXACT;

  /**
   * The align stage: a term's magnitude shifted right by {@code shift} bits onto the adder's grid
   * (left when {@code shift} is negative), losing bits as this mode says; with
   * {@link #TRUNCATE_STICKY} the result has one more bit, the sticky bit, below the grid.
   */
  public long align(long magnitude, int shift) {
    return switch (this) {
      case TRUNCATE -> shift <= 0 ? magnitude << -shift : shift >= 63 ? 0 : magnitude >>> shift;
      case ROUND_NEAREST_EVEN ->
          RoundingDecision.shiftRight(magnitude, shift, false, Rounding.RNE, false);
      case TRUNCATE_STICKY -> {
        if (shift <= 0) {
          yield magnitude << (1 - shift);
        }
        long kept = shift >= 63 ? 0 : magnitude >>> shift;
        boolean dropped = shift >= 63 ? magnitude != 0 : (magnitude & ((1L << shift) - 1)) != 0;
        yield (kept << 1) | (dropped ? 1 : 0);
      }
      case EXACT -> throw new AssertionError("exact steps do not align");
    };
  }
}

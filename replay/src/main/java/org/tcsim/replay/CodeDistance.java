package org.tcsim.replay;

import org.tcsim.core.format.FpFormat;

/**
 * The distance in units in the last place between two codes of one format: how many
 * representable values lie between them, counting +0 and -0 as one value. Codes are ranked on
 * the number line (negative codes mirrored below zero), so one flipped low mantissa bit is 1 ULP
 * and the step from the largest finite value to infinity is 1 ULP too. Two codes with different
 * bits where either is a NaN have no distance ({@link #NOT_COMPARABLE}).
 */
public final class CodeDistance {

  /** The distance reported when one code is NaN and the other is not, or two NaNs differ. */
  public static final long NOT_COMPARABLE = Long.MAX_VALUE;

  private CodeDistance() {}

  /** The rank of a non-NaN code on the number line: 0 for both zeros, negative below. */
  static long rank(FpFormat f, int code) {
    long magnitude = code & ~f.signMask();
    return f.signed() && f.isNegative(code) ? -magnitude : magnitude;
  }

  /**
   * ULPs between {@code a} and {@code b}: 0 when the bits are equal, {@link #NOT_COMPARABLE} when
   * they differ and either is NaN.
   */
  public static long of(FpFormat f, int a, int b) {
    if (a == b) {
      return 0;
    }
    if (f.isNaN(a) || f.isNaN(b)) {
      return NOT_COMPARABLE;
    }
    return Math.abs(rank(f, a) - rank(f, b));
  }
}

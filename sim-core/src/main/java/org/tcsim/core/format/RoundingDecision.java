package org.tcsim.core.format;

/**
 * The one decision every rounding makes: given the kept part's last bit, the first discarded bit
 * (half) and whether any later discarded bit is set (rest), does the kept magnitude go up by one
 * unit? Shared by the format encoder and the tensor-core datapaths so that both round alike.
 */
public final class RoundingDecision {
  private RoundingDecision() {}

  public static boolean roundsUp(Rounding rounding, boolean negative, boolean keptOdd,
      boolean half, boolean rest) {
    boolean inexact = half || rest;
    return switch (rounding) {
      case RNE -> half && (rest || keptOdd);
      case RZ -> false;
      case RU -> inexact && !negative;
      case RD -> inexact && negative;
    };
  }

  /**
   * Rounds a non-negative magnitude to a multiple of 2^shift and returns it divided by 2^shift.
   * {@code sticky} tells of non-zero bits below the magnitude's last bit (only used when
   * {@code shift > 0}).
   */
  public static long shiftRight(long magnitude, int shift, boolean sticky, Rounding rounding,
      boolean negative) {
    if (shift <= 0) {
      return magnitude << -shift;
    }
    long kept;
    boolean half;
    boolean rest;
    if (shift >= 64) {
      kept = 0;
      half = false; // the magnitude is below 2^63
      rest = magnitude != 0 || sticky;
    } else {
      kept = magnitude >>> shift;
      half = ((magnitude >>> (shift - 1)) & 1L) != 0;
      rest = (magnitude & ((1L << (shift - 1)) - 1)) != 0 || sticky;
    }
    return roundsUp(rounding, negative, (kept & 1L) != 0, half, rest) ? kept + 1 : kept;
  }
}

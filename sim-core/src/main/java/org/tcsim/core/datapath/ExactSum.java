package org.tcsim.core.datapath;

import java.math.BigInteger;
import org.tcsim.core.format.Rounding;

/**
 * The exact-sum stage of the datapath: terms ±magnitude[i] * 2^lsb[i] summed without loss (in a
 * long when their span allows, else a BigInteger), then handed to the {@link Normaliser} once.
 */
final class ExactSum {

  private ExactSum() {}

  /**
   * The sum of the terms i in [from, to), rounded once by {@code normaliser} to {@code keptBits}
   * mantissa bits with {@code rounding}; an exact zero sum is +0. {@code report}, when not null,
   * learns whether the rounding dropped anything and the sum's sign.
   */
  static int round(boolean[] negative, long[] magnitude, int[] lsb, int from, int to,
      Normaliser normaliser, int keptBits, Rounding rounding, RoundingReport report) {
    if (report != null) {
      report.clear();
    }
    int minLsb = Integer.MAX_VALUE;
    int maxTop = Integer.MIN_VALUE;
    for (int i = from; i < to; i++) {
      if (magnitude[i] != 0) {
        minLsb = Math.min(minLsb, lsb[i]);
        maxTop = Math.max(maxTop, lsb[i] + 64 - Long.numberOfLeadingZeros(magnitude[i]));
      }
    }
    if (minLsb == Integer.MAX_VALUE) {
      return 0;
    }
    int guard = 64 - Long.numberOfLeadingZeros(to - from);
    if (maxTop - minLsb + guard < 62) {
      long sum = 0;
      for (int i = from; i < to; i++) {
        if (magnitude[i] != 0) {
          long term = magnitude[i] << (lsb[i] - minLsb);
          sum += negative[i] ? -term : term;
        }
      }
      return normaliser.round(sum < 0, Math.abs(sum), minLsb, false, keptBits, rounding, report);
    }
    BigInteger wide = BigInteger.ZERO;
    for (int i = from; i < to; i++) {
      if (magnitude[i] != 0) {
        BigInteger term = BigInteger.valueOf(magnitude[i]).shiftLeft(lsb[i] - minLsb);
        wide = negative[i] ? wide.subtract(term) : wide.add(term);
      }
    }
    // Keep the top 62 bits and a sticky bit: far more than the result needs, so one rounding.
    BigInteger m = wide.abs();
    int drop = Math.max(0, m.bitLength() - 62);
    boolean sticky = drop > 0 && m.getLowestSetBit() < drop;
    return normaliser.round(wide.signum() < 0, m.shiftRight(drop).longValueExact(), minLsb + drop,
        sticky, keptBits, rounding, report);
  }
}

package org.tcsim.reports;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts of signed errors in ULPs, in bins a numerics person reads at a glance: exact, within half
 * an ULP either side (correct rounding), within one ULP (faithful: truncation or directed rounding),
 * and beyond. Non-finite errors (NaN or Inf results) have their own bin.
 */
public final class UlpHistogram {
  /** Bin labels, in order. */
  public static final String[] LABELS = {"<= -4", "(-4,-1]", "(-1,-0.5)", "[-0.5,0)", "0", "(0,0.5]",
      "(0.5,1)", "[1,4)", ">= 4", "non-finite"};

  private final long[] counts = new long[LABELS.length];

  public void add(double ulps) {
    counts[bin(ulps)]++;
  }

  static int bin(double u) {
    if (Double.isNaN(u) || Double.isInfinite(u)) {
      return 9;
    }
    if (u <= -4) {
      return 0;
    }
    if (u <= -1) {
      return 1;
    }
    if (u < -0.5) {
      return 2;
    }
    if (u < 0) {
      return 3;
    }
    if (u == 0) {
      return 4;
    }
    if (u <= 0.5) {
      return 5;
    }
    if (u < 1) {
      return 6;
    }
    if (u < 4) {
      return 7;
    }
    return 8;
  }

  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  public long count(int bin) {
    return counts[bin];
  }

  /** Label to count, in bin order. */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < LABELS.length; i++) {
      m.put(LABELS[i], (double) counts[i]);
    }
    return m;
  }
}

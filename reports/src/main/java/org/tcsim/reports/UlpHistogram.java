package org.tcsim.reports;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcsim.core.exact.UlpBins;

/**
 * Counts of signed errors in ULPs, in logarithmic bins so that every datapath's errors spread over
 * a few bins whatever their size: exact; within half an ULP (correct rounding); within one ULP
 * (faithful: truncation or directed rounding); then one bin per power of two, (1,2], (2,4], ...,
 * (2^23, 2^24], and beyond. A narrow accumulator's errors of hundreds of ULPs (an FP8 product sum
 * kept to fewer bits than the FP32 output has) land in (128,256], (256,512], (512,1024] rather
 * than all in one "large" bin. Negative errors mirror positive ones; non-finite errors (NaN or Inf
 * results) have their own bin. Labels write bounds above 4096 as powers of two: (4096,2^13].
 * The magnitude edges are those of {@link UlpBins}, which the unsigned histograms elsewhere use.
 */
public final class UlpHistogram {
  /** Upper bounds of the magnitude bins: 0.5, 1, 2, 4, ..., 2^24. */
  private static final double[] EDGES = UlpBins.edges();

  /** Magnitude bins per sign: one per edge and one beyond the last. */
  private static final int PER_SIGN = EDGES.length + 1;

  /** Bin labels, in order: the most negative first, then 0, the positive ones, non-finite. */
  public static final List<String> LABELS = labels();

  /** Index of the exact bin. */
  public static final int ZERO = PER_SIGN;

  /** Index of the non-finite bin (the last). */
  public static final int NON_FINITE = 2 * PER_SIGN + 1;

  private final long[] counts = new long[LABELS.size()];

  public void add(double ulps) {
    counts[bin(ulps)]++;
  }

  /** The bin of an error of {@code u} ULPs. */
  public static int bin(double u) {
    if (Double.isNaN(u) || Double.isInfinite(u)) {
      return NON_FINITE;
    }
    if (u == 0) {
      return ZERO;
    }
    // UlpBins' error bins are 0 then one per magnitude: magnitude m is error bin m + 1.
    int m = UlpBins.errorBin(u) - 1;
    return u > 0 ? ZERO + 1 + m : ZERO - 1 - m;
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

  /**
   * The bins worth showing for these histograms: from the first to the last finite bin any of them
   * uses (always including the exact bin), then the non-finite bin when any uses it.
   */
  public static List<Integer> shownBins(Collection<UlpHistogram> histograms) {
    int first = ZERO;
    int last = ZERO;
    boolean nonFinite = false;
    for (UlpHistogram h : histograms) {
      for (int b = 0; b < NON_FINITE; b++) {
        if (h.counts[b] > 0) {
          first = Math.min(first, b);
          last = Math.max(last, b);
        }
      }
      nonFinite |= h.counts[NON_FINITE] > 0;
    }
    List<Integer> bins = new ArrayList<>();
    for (int b = first; b <= last; b++) {
      bins.add(b);
    }
    if (nonFinite) {
      bins.add(NON_FINITE);
    }
    return bins;
  }

  /** Label to count over {@code bins}, in bin order. */
  public Map<String, Double> asMap(List<Integer> bins) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int b : bins) {
      m.put(LABELS.get(b), (double) counts[b]);
    }
    return m;
  }

  private static List<String> labels() {
    List<String> neg = new ArrayList<>();
    List<String> pos = new ArrayList<>();
    for (int m = 0; m < PER_SIGN; m++) {
      if (m == EDGES.length) {
        pos.add("> " + UlpBins.bound(EDGES[m - 1]));
        neg.add("< -" + UlpBins.bound(EDGES[m - 1]));
      } else {
        String lo = m == 0 ? "0" : UlpBins.bound(EDGES[m - 1]);
        String hi = UlpBins.bound(EDGES[m]);
        pos.add("(" + lo + "," + hi + "]");
        neg.add("[-" + hi + "," + (m == 0 ? "0" : "-" + lo) + ")");
      }
    }
    List<String> all = new ArrayList<>();
    for (int m = PER_SIGN - 1; m >= 0; m--) {
      all.add(neg.get(m));
    }
    all.add("0");
    all.addAll(pos);
    all.add("non-finite");
    return List.copyOf(all);
  }
}

package org.tcsim.core.exact;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one set of ULP bins every report uses: magnitude bins that double in width, so that each
 * datapath's errors spread over a few named bins whatever their size. An H100 FP8 sum kept to 13
 * mantissa bits misses an FP32 output by hundreds of ULPs (docs/hardware-facts.md, Datapaths,
 * Hopper FP8); with doubling bins 300 and 700 ULPs land in (256,512] and (512,1024], not in one
 * "large" bin.
 *
 * <p>Two kinds of error share the edges {@link #edges()} (0.5, 1, 2, 4, ..., 2^24):
 *
 * <ul>
 *   <li>distances between two codes, in whole ULPs (simulated against GPU bits): {@code +-0} (+0
 *       against -0: different bits, no distance), {@code 1}, {@code 2}, {@code 3-4}, {@code 5-8},
 *       ..., {@code 2049-4096}, {@code (4096,2^13]}, ..., {@code (2^23,2^24]}, {@code >2^24}, and
 *       {@code NaN} (a NaN against another code: no distance);
 *   <li>real-valued errors against the exact product: {@code 0}, {@code <=0.5}, {@code <=1},
 *       {@code <=2}, ..., {@code <=2^24}, {@code >2^24}. Non-finite outputs are counted apart.
 * </ul>
 *
 * <p>Bounds up to 4096 are written as plain numbers, larger ones as powers of two (2^13 reads
 * better than 8192 in a narrow label).
 */
public final class UlpBins {
  /** Largest power of two with its own bin: 2^24 ULPs; larger errors share the last bin. */
  public static final int TOP_EXPONENT = 24;

  /** Bounds up to this are written as plain numbers in labels, larger ones as powers of two. */
  private static final double PLAIN_UP_TO = 4096;

  /** Upper bounds of the magnitude bins: 0.5, 1, 2, 4, ..., 2^TOP_EXPONENT. */
  private static final double[] EDGES = makeEdges();

  /** Labels of the real-valued error bins: 0, ≤0.5, ≤1, ..., ≤2^24, >2^24. */
  public static final List<String> ERROR_LABELS = errorLabels();

  /** Labels of the code-distance bins: +-0, 1, 2, 3-4, 5-8, ..., >2^24, NaN. */
  public static final List<String> DISTANCE_LABELS = distanceLabels();

  /** Index of the code-distance bin for a NaN against another code (the last). */
  public static final int DISTANCE_NAN = DISTANCE_LABELS.size() - 1;

  private UlpBins() {}

  /** The upper bounds of the magnitude bins, ascending: 0.5, then 2^0 up to 2^24. */
  public static double[] edges() {
    return EDGES.clone();
  }

  /**
   * The bin of {@link #ERROR_LABELS} of a real-valued error of {@code ulps} (its sign ignored).
   *
   * An infinite error (a finite difference too large for a double) lands in the last bin.
   *
   * @throws IllegalArgumentException for NaN, which has no bin here
   */
  public static int errorBin(double ulps) {
    if (Double.isNaN(ulps)) {
      throw new IllegalArgumentException("no ULP bin for a NaN error");
    }
    double a = Math.abs(ulps);
    if (a == 0) {
      return 0;
    }
    return 1 + magnitude(a);
  }

  /**
   * The bin of {@link #DISTANCE_LABELS} of a distance of {@code ulps} whole ULPs (0 for +0 against
   * -0); {@link #DISTANCE_NAN} is the caller's for NaNs.
   */
  public static int distanceBin(long ulps) {
    if (ulps < 0) {
      throw new IllegalArgumentException("negative ULP distance: " + ulps);
    }
    if (ulps == 0) {
      return 0;
    }
    // Edge 0.5 has no integer in (0, 0.5]: the distance bins start at the edge 1.
    return magnitude(ulps);
  }

  /**
   * The non-empty bins as {@code label:count} separated by spaces ({@code 1:3 3-4:1}), or "" when
   * all are empty: a one-line form short enough for a terminal whatever the number of bins.
   */
  public static String nonEmpty(List<String> labels, long[] counts) {
    check(labels, counts);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        sb.append(sb.length() == 0 ? "" : " ").append(labels.get(i)).append(':').append(counts[i]);
      }
    }
    return sb.toString();
  }

  /**
   * Every bin from the first up to the last non-empty one as {@code label:count}: the bins past
   * the last count are left out so that the line stays short (28 bins would not fit a terminal),
   * while empty bins below it stay, to show where the errors are not.
   */
  public static String upToLast(List<String> labels, long[] counts) {
    check(labels, counts);
    int last = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        last = i;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i <= last; i++) {
      sb.append(i == 0 ? "" : " ").append(labels.get(i)).append(':').append(counts[i]);
    }
    return sb.toString();
  }

  /** Plain up to 4096, powers of two beyond. */
  public static String bound(double v) {
    if (v > PLAIN_UP_TO) {
      return "2^" + Math.getExponent(v);
    }
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%d", (long) v)
        : String.format(Locale.ROOT, "%s", v);
  }

  private static void check(List<String> labels, long[] counts) {
    if (labels.size() != counts.length) {
      throw new IllegalArgumentException(
          counts.length + " counts for " + labels.size() + " ULP bins");
    }
  }

  /** Index of the first edge at or above {@code a} (> 0), or EDGES.length beyond the last. */
  private static int magnitude(double a) {
    int m = 0;
    while (m < EDGES.length && a > EDGES[m]) {
      m++;
    }
    return m;
  }

  private static double[] makeEdges() {
    double[] e = new double[TOP_EXPONENT + 2];
    e[0] = 0.5;
    for (int i = 0; i <= TOP_EXPONENT; i++) {
      e[i + 1] = Math.scalb(1.0, i);
    }
    return e;
  }

  private static List<String> errorLabels() {
    List<String> l = new ArrayList<>();
    l.add("0");
    for (double e : EDGES) {
      l.add("<=" + bound(e));
    }
    l.add(">" + bound(EDGES[EDGES.length - 1]));
    return List.copyOf(l);
  }

  private static List<String> distanceLabels() {
    List<String> l = new ArrayList<>();
    l.add("+-0");
    l.add("1");
    l.add("2");
    for (int m = 3; m < EDGES.length; m++) {
      double lo = EDGES[m - 1];
      double hi = EDGES[m];
      l.add(hi > PLAIN_UP_TO ? "(" + bound(lo) + "," + bound(hi) + "]"
          : (long) lo + 1 + "-" + (long) hi);
    }
    l.add(">" + bound(EDGES[EDGES.length - 1]));
    l.add("NaN");
    return List.copyOf(l);
  }
}

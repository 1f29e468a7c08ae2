package org.tcsim.studies.whatif;

import java.util.Locale;

/**
 * How far computed GEMM outputs are from reference values, over the compared elements.
 *
 * <p>The headline figure is the normwise relative error {@code ||D - R||_2 / ||R||_2} over the
 * compared elements (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., §6.1): it
 * does not blow up where a reference element happens to be near zero, as the element-wise
 * relative error does when a dot product cancels. The element-wise mean and maximum are kept too.
 *
 * @param compared elements compared
 * @param normwise ||D - R||_2 / ||R||_2 (0 when R is all zero and D equals it)
 * @param meanRelative mean of |d - r| / |r| over the elements with r != 0
 * @param maxRelative max of the same
 * @param medianRelative median of the same: robust both to near-zero references and to a few
 *     large errors, so it shows what happens to a typical element
 * @param nonFinite computed elements that were NaN or infinite (left out of the figures)
 */
public record ErrorStats(long compared, double normwise, double meanRelative, double maxRelative,
    double medianRelative, long nonFinite) {

  /** Which figure a study plots. */
  public enum Metric {
    NORMWISE, MEAN_RELATIVE, MAX_RELATIVE, MEDIAN_RELATIVE;

    /** Parses {@code normwise}, {@code mean_rel}, {@code max_rel}. */
    public static Metric parse(String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
        case "normwise", "rel_fro" -> NORMWISE;
        case "mean_rel", "mean_relative" -> MEAN_RELATIVE;
        case "max_rel", "max_relative" -> MAX_RELATIVE;
        case "median_rel", "median_relative" -> MEDIAN_RELATIVE;
        default -> throw new IllegalArgumentException("unknown metric '" + text
            + "'; known: normwise, mean_rel, max_rel, median_rel");
      };
    }

    /** The CSV column / axis name. */
    public String label() {
      return switch (this) {
        case NORMWISE -> "normwise_rel_err";
        case MEAN_RELATIVE -> "mean_rel_err";
        case MAX_RELATIVE -> "max_rel_err";
        case MEDIAN_RELATIVE -> "median_rel_err";
      };
    }
  }

  /** The figure for {@code metric}. */
  public double get(Metric metric) {
    return switch (metric) {
      case NORMWISE -> normwise;
      case MEAN_RELATIVE -> meanRelative;
      case MAX_RELATIVE -> maxRelative;
      case MEDIAN_RELATIVE -> medianRelative;
    };
  }

  /** Collects (computed, reference) pairs. */
  public static final class Accumulator {
    private long compared;
    private long nonFinite;
    private double diff2;
    private double ref2;
    private double sumRel;
    private long relCount;
    private double maxRel;
    private final java.util.List<Double> rels = new java.util.ArrayList<>();

    public void add(double computed, double reference) {
      if (!Double.isFinite(computed)) {
        nonFinite++;
        return;
      }
      compared++;
      double d = computed - reference;
      diff2 += d * d;
      ref2 += reference * reference;
      if (reference != 0) {
        double rel = Math.abs(d) / Math.abs(reference);
        sumRel += rel;
        relCount++;
        maxRel = Math.max(maxRel, rel);
        rels.add(rel);
      }
    }

    public ErrorStats result() {
      double normwise = ref2 == 0 ? (diff2 == 0 ? 0 : Double.POSITIVE_INFINITY)
          : Math.sqrt(diff2 / ref2);
      double[] sorted = rels.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int h = sorted.length / 2;
      double median = sorted.length == 0 ? 0
          : sorted.length % 2 == 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
      return new ErrorStats(compared, normwise, relCount == 0 ? 0 : sumRel / relCount, maxRel,
          median, nonFinite);
    }
  }
}

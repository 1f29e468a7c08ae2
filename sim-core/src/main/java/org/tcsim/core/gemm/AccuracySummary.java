package org.tcsim.core.gemm;

import java.io.Serializable;
import java.util.Locale;

/**
 * How far a GEMM's output is from the exact product of its dequantised operands.
 *
 * @param compared elements compared
 * @param total elements in D
 * @param maxRelativeError largest |out - exact| / |exact| (elements whose exact value is 0 count
 *     as 0 when the output is 0 too, else are skipped and counted in {@code zeroExactNonZero})
 * @param meanRelativeError mean of the same
 * @param zeroExactNonZero elements whose exact value is 0 but whose output is not
 * @param ulpHistogram counts of |ULP error| in the bins of {@link #ULP_BINS}, in the output format
 *     (at the exact value times scaleD for FP8 outputs)
 * @param saturated FP8 or FP4 output elements clamped to the largest finite value (over all of D)
 * @param nonFinite output elements that are NaN or infinite (over the compared ones)
 */
public record AccuracySummary(long compared, long total, double maxRelativeError,
    double meanRelativeError, long zeroExactNonZero, long[] ulpHistogram, long saturated,
    long nonFinite) implements Serializable {
  // Serializable: a distributed replay (module tcsim-spark) sends per-band summaries back to its
  // driver; a record is read back through its canonical constructor, so the checks run again.
  private static final long serialVersionUID = 1L;

  /** Upper bounds of the ULP bins: 0, ≤0.5, ≤1, ≤2, ≤4, ≤16, ≤256, more. */
  public static final double[] ULP_BINS = {0, 0.5, 1, 2, 4, 16, 256, Double.POSITIVE_INFINITY};

  /** Labels of the ULP bins. */
  public static final String[] ULP_LABELS = {"0", "<=0.5", "<=1", "<=2", "<=4", "<=16", "<=256",
      ">256"};

  public AccuracySummary {
    ulpHistogram = ulpHistogram.clone();
  }

  @Override
  public long[] ulpHistogram() {
    return ulpHistogram.clone();
  }

  /** Whether only a sample of D was compared. */
  public boolean sampled() {
    return compared < total;
  }

  /** {@link #format()}: the summary as readable lines, not the record's array identity. */
  @Override
  public String toString() {
    return format();
  }

  /** A few lines for a terminal. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "accuracy vs exact (%s%d of %d elements): max rel err %.3e,"
            + " mean rel err %.3e%n", sampled() ? "random sample of " : "all ", compared, total,
        maxRelativeError, meanRelativeError));
    sb.append("ULP error histogram:");
    for (int b = 0; b < ULP_BINS.length; b++) {
      sb.append(' ').append(ULP_LABELS[b]).append(':').append(ulpHistogram[b]);
    }
    sb.append(System.lineSeparator());
    sb.append("saturated (FP8/FP4 output): ").append(saturated).append(", non-finite: ").append(nonFinite);
    if (zeroExactNonZero > 0) {
      sb.append(", exact zero but output non-zero: ").append(zeroExactNonZero);
    }
    return sb.toString();
  }
}

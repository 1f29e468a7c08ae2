package org.tcsim.core.gemm;

import java.io.Serializable;
import java.util.Locale;
import org.tcsim.core.exact.UlpBins;

/**
 * How far a GEMM's output is from the exact product of its dequantised operands.
 *
 * @param compared elements compared
 * @param total elements in D
 * @param maxRelativeError largest |out - exact| / |exact| (elements whose exact value is 0 count
 *     as 0 when the output is 0 too, else are skipped and counted in {@code zeroExactNonZero})
 * @param meanRelativeError mean of the same
 * @param zeroExactNonZero elements whose exact value is 0 but whose output is not
 * @param ulpHistogram counts of |ULP error| in the bins of {@link UlpBins#ERROR_LABELS}, in the
 *     output format (at the exact value times scaleD for FP8 outputs)
 * @param saturated FP8 or FP4 output elements clamped to the largest finite value (over all of D)
 * @param nonFinite output elements that are NaN or infinite (over the compared ones)
 */
public record AccuracySummary(long compared, long total, double maxRelativeError,
    double meanRelativeError, long zeroExactNonZero, long[] ulpHistogram, long saturated,
    long nonFinite) implements Serializable {
  // Serializable: a distributed replay (module tcsim-spark) sends per-band summaries back to its
  // driver; a record is read back through its canonical constructor, so the checks run again.
  private static final long serialVersionUID = 1L;

  public AccuracySummary {
    ulpHistogram = ulpHistogram.clone();
    if (ulpHistogram.length != UlpBins.ERROR_LABELS.size()) {
      throw new IllegalArgumentException("ULP histogram of " + ulpHistogram.length
          + " bins, expected " + UlpBins.ERROR_LABELS.size());
    }
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
    // Up to the last non-empty bin only: all 28 bins would not fit a terminal line.
    sb.append("ULP error histogram: ").append(UlpBins.upToLast(UlpBins.ERROR_LABELS, ulpHistogram));
    sb.append(System.lineSeparator());
    sb.append("saturated (FP8/FP4 output): ").append(saturated).append(", non-finite: ").append(nonFinite);
    if (zeroExactNonZero > 0) {
      sb.append(", exact zero but output non-zero: ").append(zeroExactNonZero);
    }
    return sb.toString();
  }
}

package org.tcsim.replay;

import java.util.List;

/**
 * How one simulated GEMM output compares, bit for bit, with the one a GPU produced.
 *
 * @param caseId the golden case compared against
 * @param compared output elements compared
 * @param bitExact elements whose bits are equal
 * @param ulpHistogram mismatches by ULP distance, in the bins of {@link #ULP_LABELS}
 * @param firstMismatches the first mismatches in row-major order (at most {@link #KEEP})
 * @param heatMap mismatch rate per block of the output (rows of D top to bottom), at most
 *     {@link MismatchGrid#MAX_CELLS} x {@link MismatchGrid#MAX_CELLS} blocks
 * @param blockRows rows of D per heat-map block
 * @param blockCols columns of D per heat-map block
 */
public record GoldenComparison(String caseId, long compared, long bitExact, long[] ulpHistogram,
    List<Mismatch> firstMismatches, double[][] heatMap, int blockRows, int blockCols) {

  /** Mismatches kept with their positions. */
  public static final int KEEP = 10;

  /**
   * ULP-distance bins of mismatches: +0 against -0 (different bits, no distance), 1, 2, 3-4,
   * 5-16, 17-256, more, and NaN involved.
   */
  public static final String[] ULP_LABELS = {"+-0", "1", "2", "3-4", "5-16", "17-256", ">256",
      "NaN"};

  public GoldenComparison {
    ulpHistogram = ulpHistogram.clone();
    firstMismatches = List.copyOf(firstMismatches);
  }

  /** The bin of {@link #ULP_LABELS} a mismatch of {@code ulps} falls in. */
  public static int bin(long ulps) {
    if (ulps == CodeDistance.NOT_COMPARABLE) {
      return 7;
    }
    if (ulps <= 2) {
      return (int) ulps;
    }
    if (ulps <= 4) {
      return 3;
    }
    if (ulps <= 16) {
      return 4;
    }
    return ulps <= 256 ? 5 : 6;
  }

  @Override
  public long[] ulpHistogram() {
    return ulpHistogram.clone();
  }

  public long mismatches() {
    return compared - bitExact;
  }

  /** True when every compared element matched (and at least one was compared). */
  public boolean passed() {
    return compared > 0 && bitExact == compared;
  }

  public double matchRate() {
    return compared == 0 ? 0 : (double) bitExact / compared;
  }
}

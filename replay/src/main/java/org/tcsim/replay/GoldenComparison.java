package org.tcsim.replay;

import java.util.List;
import org.tcsim.core.exact.UlpBins;

/**
 * How one simulated GEMM output compares, bit for bit, with the one a GPU produced.
 *
 * @param caseId the golden case compared against
 * @param compared output elements compared
 * @param bitExact elements whose bits are equal
 * @param ulpHistogram mismatches by ULP distance, in the bins of
 *     {@link UlpBins#DISTANCE_LABELS}
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

  public GoldenComparison {
    ulpHistogram = ulpHistogram.clone();
    firstMismatches = List.copyOf(firstMismatches);
    if (ulpHistogram.length != UlpBins.DISTANCE_LABELS.size()) {
      throw new IllegalArgumentException("ULP histogram of " + ulpHistogram.length
          + " bins, expected " + UlpBins.DISTANCE_LABELS.size());
    }
  }

  /**
   * The bin of {@link UlpBins#DISTANCE_LABELS} a mismatch of {@code ulps} falls in, the NaN bin
   * for {@link CodeDistance#NOT_COMPARABLE}.
   */
  public static int bin(long ulps) {
    return ulps == CodeDistance.NOT_COMPARABLE ? UlpBins.DISTANCE_NAN : UlpBins.distanceBin(ulps);
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

package org.tcsim.replay;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.core.format.FpFormat;

/**
 * Accumulates a bit-for-bit comparison of D with expected codes as row bands of D arrive: counts,
 * the ULP histogram of mismatches, the first mismatches and a coarse grid of mismatch counts, so
 * that nothing of size M x N is kept. The grid of one band can be {@link #merge merged} into that
 * of the bands above it: merged in band order, the result is the one a single grid fed every
 * element in row-major order would give.
 */
public final class MismatchGrid implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Heat-map blocks per side, at most. */
  static final int MAX_CELLS = 32;

  private final String caseId;
  private final FpFormat format;
  private final int blockRows;
  private final int blockCols;
  private final long[][] mismatches;
  private final long[][] counts;
  private final long[] histogram = new long[UlpBins.DISTANCE_LABELS.size()];
  private final List<Mismatch> first = new ArrayList<>();
  private long compared;
  private long exact;

  MismatchGrid(String caseId, FpFormat format, int m, int n) {
    this.caseId = caseId;
    this.format = format;
    blockRows = (m + MAX_CELLS - 1) / MAX_CELLS;
    blockCols = (n + MAX_CELLS - 1) / MAX_CELLS;
    int gr = (m + blockRows - 1) / blockRows;
    int gc = (n + blockCols - 1) / blockCols;
    mismatches = new long[gr][gc];
    counts = new long[gr][gc];
  }

  /** Compares one element. */
  void add(int row, int col, int actual, int expected) {
    compared++;
    counts[row / blockRows][col / blockCols]++;
    if (actual == expected) {
      exact++;
      return;
    }
    long ulps = CodeDistance.of(format, actual, expected);
    histogram[GoldenComparison.bin(ulps)]++;
    mismatches[row / blockRows][col / blockCols]++;
    if (first.size() < GoldenComparison.KEEP) {
      first.add(new Mismatch(row, col, format, actual, expected, ulps));
    }
  }

  /**
   * Adds the elements {@code below} compared, as if they had been added here one by one after
   * this grid's own: {@code below} must cover rows of the same D that come after this grid's.
   */
  void merge(MismatchGrid below) {
    if (!below.caseId.equals(caseId) || below.counts.length != counts.length
        || below.counts[0].length != counts[0].length || below.blockRows != blockRows
        || below.blockCols != blockCols) {
      throw new IllegalArgumentException("grids of different outputs: " + caseId + " and "
          + below.caseId);
    }
    compared += below.compared;
    exact += below.exact;
    for (int i = 0; i < histogram.length; i++) {
      histogram[i] += below.histogram[i];
    }
    for (int r = 0; r < counts.length; r++) {
      for (int c = 0; c < counts[r].length; c++) {
        counts[r][c] += below.counts[r][c];
        mismatches[r][c] += below.mismatches[r][c];
      }
    }
    for (Mismatch m : below.first) {
      if (first.size() >= GoldenComparison.KEEP) {
        break;
      }
      first.add(m);
    }
  }

  GoldenComparison result() {
    double[][] rate = new double[counts.length][counts[0].length];
    for (int r = 0; r < rate.length; r++) {
      for (int c = 0; c < rate[r].length; c++) {
        rate[r][c] = counts[r][c] == 0 ? 0 : (double) mismatches[r][c] / counts[r][c];
      }
    }
    return new GoldenComparison(caseId, compared, exact, histogram, first, rate, blockRows,
        blockCols);
  }
}

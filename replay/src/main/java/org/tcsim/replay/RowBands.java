package org.tcsim.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tcsim.core.gemm.CodeMatrix;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;

/**
 * Row bands of operands, so that a GEMM's output is computed a band of rows at a time: rows
 * {@code [r0, r1)} of D are exactly {@code Gemm.run} over rows {@code [r0, r1)} of A (and of C),
 * because each output element is computed on its own (the order of operations in
 * {@link org.tcsim.core.gemm.Gemm} depends on (i, j) only). A band must start on a scale-block
 * row boundary of A.
 */
final class RowBands {
  private RowBands() {}

  /** Rows per band for D with {@code n} columns: a multiple of 128 keeping a band's D near 32 MiB. */
  static int bandRows(int m, int n) {
    long perRow = 12L * n; // Gemm keeps D as FP32 and as codes, plus the result's copy
    long rows = Math.max(128, (32L << 20) / perRow / 128 * 128);
    return (int) Math.min(m, rows);
  }

  /**
   * A cut into bands of {@code bandRows} rows (the last may be shorter), from one copy of its
   * codes: the bands together hold A once.
   */
  static List<QuantizedTensor> split(QuantizedTensor q, int bandRows) {
    requireBandable(q, bandRows);
    if (bandRows >= q.rows()) {
      return List.of(q);
    }
    byte[] codes = q.codes();
    float[] scales = q.scales();
    byte[] scaleCodes = q.scaleCodes();
    List<QuantizedTensor> bands = new ArrayList<>();
    for (int r0 = 0; r0 < q.rows(); r0 += bandRows) {
      bands.add(slice(q, codes, scales, scaleCodes, r0, Math.min(q.rows(), r0 + bandRows)));
    }
    return bands;
  }

  /**
   * Row {@code r} alone, with the scales of the block row holding it: the operand of one output
   * element (row r of A, or column r of D for B held N x K).
   */
  static QuantizedTensor row(QuantizedTensor q, int r) {
    if (q.kAxis() != KAxis.ALONG_ROWS) {
      throw new IllegalArgumentException("a row slice needs K along rows");
    }
    int cols = q.cols();
    byte[] codes = Arrays.copyOfRange(q.codes(), r * cols, (r + 1) * cols);
    int gc = q.gridCols();
    int g = r / q.block().rows();
    float[] s = q.scales();
    byte[] sc = q.scaleCodes();
    return new QuantizedTensor(1, cols, q.kAxis(), q.mode(), q.elementFormat(),
        q.mode().blockShape(1, cols, q.kAxis(), q.block().cols()), codes,
        s == null ? null : Arrays.copyOfRange(s, g * gc, (g + 1) * gc),
        sc == null ? null : Arrays.copyOfRange(sc, g * gc, (g + 1) * gc), q.tensorScale());
  }

  /** Bands of this height keep each scale block of A whole. */
  private static void requireBandable(QuantizedTensor q, int bandRows) {
    if (q.kAxis() != KAxis.ALONG_ROWS) {
      throw new IllegalArgumentException("row bands need K along rows");
    }
    if (bandRows < q.rows() && bandRows % q.block().rows() != 0 && q.gridRows() > 1) {
      throw new IllegalArgumentException("bands of " + bandRows + " rows cut scale blocks of "
          + q.block().rows() + " rows");
    }
  }

  /**
   * Rows [r0, r1) of A with their scales, from A's codes and scales (fetched once by the caller:
   * each accessor copies); r0 starts a scale block.
   */
  private static QuantizedTensor slice(QuantizedTensor q, byte[] all, float[] allScales,
      byte[] allScaleCodes, int r0, int r1) {
    int br = q.block().rows();
    int cols = q.cols();
    int gc = q.gridCols();
    byte[] codes = Arrays.copyOfRange(all, r0 * cols, r1 * cols);
    int g0 = q.gridRows() == 1 ? 0 : r0 / br;
    int g1 = q.gridRows() == 1 ? 1 : (r1 + br - 1) / br;
    float[] scales = allScales == null ? null : Arrays.copyOfRange(allScales, g0 * gc, g1 * gc);
    byte[] scaleCodes = allScaleCodes == null ? null
        : Arrays.copyOfRange(allScaleCodes, g0 * gc, g1 * gc);
    // A per-tensor scale's block is the whole band (the engine checks the layout by mode).
    return new QuantizedTensor(r1 - r0, cols, q.kAxis(), q.mode(), q.elementFormat(),
        q.mode().blockShape(r1 - r0, cols, q.kAxis()), codes, scales, scaleCodes,
        q.tensorScale());
  }

  /**
   * The first {@code m} rows of A (A itself when it has no more): cut on a scale-block boundary,
   * then trimmed.
   */
  static QuantizedTensor firstRows(QuantizedTensor a, int m) {
    if (m >= a.rows()) {
      return a;
    }
    QuantizedTensor cut = split(a, roundUp(m, a.block().rows(), a.rows())).get(0);
    return cut.rows() > m ? split(cut, m).get(0) : cut;
  }

  private static int roundUp(int x, int granule, int max) {
    return (int) Math.min(max, ((long) x + granule - 1) / granule * granule);
  }

  /** Rows [r0, r1) of C, or null. */
  static CodeMatrix rows(CodeMatrix c, int r0, int r1) {
    if (c == null) {
      return null;
    }
    return new CodeMatrix(c.format(), r1 - r0, c.cols(),
        Arrays.copyOfRange(c.codes(), r0 * c.cols(), r1 * c.cols()));
  }
}

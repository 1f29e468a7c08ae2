package org.tcsim.core.gemm;

import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.quant.BlockShape;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;

/**
 * One GEMM operand seen along K: codes packed {@code outer x K} with K contiguous (A as M x K, B as
 * N x K, the "TN" layout the tensor cores read), one byte per element, and its scales looked up by
 * (outer index, k). Checks every element and scale for NaN and infinity.
 */
final class OperandView {
  final String name;
  final FpFormat format;
  final ScaleMode mode;
  final int outer;
  final int k;
  /** outer x k codes, k contiguous. */
  final byte[] packed;
  private final KAxis kAxis;
  private final int blockRows;
  private final int blockCols;
  private final int gridCols;
  private final double[] blockScales;
  final float tensorScale;

  OperandView(String name, QuantizedTensor t) {
    this.name = name;
    this.format = t.elementFormat();
    this.mode = t.mode();
    this.kAxis = t.kAxis();
    this.outer = kAxis.outerExtent(t.rows(), t.cols());
    this.k = kAxis.kExtent(t.rows(), t.cols());
    int along = kAxis == KAxis.ALONG_ROWS ? t.block().cols() : t.block().rows();
    // A what-if block size along K is accepted where the scale varies along K anyway (MX, 1x128,
    // 128x128); across K, and for every other mode, the block must be the mode's own.
    BlockShape expected = whatIfAlongK(mode)
        ? mode.blockShape(t.rows(), t.cols(), kAxis, along)
        : mode.blockShape(t.rows(), t.cols(), kAxis);
    if (!t.block().equals(expected)) {
      throw new IllegalArgumentException(name + "'s scale layout does not match its mode: blocks of "
          + t.block().rows() + "x" + t.block().cols() + " in a " + t.rows() + "x" + t.cols()
          + " tensor with K " + kAxis + ", but " + mode + " means blocks of "
          + expected.rows() + "x" + expected.cols());
    }
    byte[] codes = t.codes();
    if (kAxis == KAxis.ALONG_ROWS) {
      packed = codes;
    } else {
      // Stored K x outer (row-major): transpose so that K is contiguous.
      packed = new byte[codes.length];
      int cols = t.cols();
      for (int kk = 0; kk < k; kk++) {
        for (int o = 0; o < outer; o++) {
          packed[o * k + kk] = codes[kk * cols + o];
        }
      }
    }
    this.blockRows = t.block().rows();
    this.blockCols = t.block().cols();
    this.gridCols = t.gridCols();
    this.blockScales = new double[t.blockCount()];
    for (int i = 0; i < blockScales.length; i++) {
      blockScales[i] = t.blockScale(i);
      if (!Double.isFinite(blockScales[i])) {
        int br = i / gridCols;
        int bc = i % gridCols;
        throw new IllegalArgumentException("scale of " + name + " block (" + br + ", " + bc
            + ") [" + mode + "] is " + blockScales[i] + "; scales must be finite");
      }
    }
    this.tensorScale = t.tensorScale();
    if (!Float.isFinite(tensorScale)) {
      throw new IllegalArgumentException(name + " per-tensor scale is " + tensorScale);
    }
    checkFinite();
  }

  /**
   * Raw codes, {@code outer x k} with k contiguous, unscaled and unchecked: for testing the
   * kernels, which must be exact for every code (NaN and Inf included) even though a GEMM refuses
   * them at its door.
   */
  static OperandView ofCodes(String name, FpFormat format, int outer, int k, byte[] packed) {
    return new OperandView(name, format, outer, k, packed, ScaleMode.SCALAR_32F, k,
        new double[] {1});
  }

  /**
   * Raw codes as {@link #ofCodes} with block scales inside the MMA ({@code mode} VEC32_UE8M0 or
   * VEC16_UE4M3), one scale code per {@code block} elements along K of each row, unchecked (NaN
   * scales included): {@code scaleCodes[o * ceil(k / block) + kk / block]}.
   */
  static OperandView ofScaledCodes(String name, FpFormat format, int outer, int k, byte[] packed,
      ScaleMode mode, int block, int[] scaleCodes) {
    int grid = (k + block - 1) / block;
    if (scaleCodes.length != outer * grid) {
      throw new IllegalArgumentException(name + " has " + scaleCodes.length + " scales, not "
          + outer + "x" + grid);
    }
    double[] scales = new double[scaleCodes.length];
    for (int x = 0; x < scales.length; x++) {
      scales[x] = mode.scaleFormat().decode(scaleCodes[x]);
    }
    return new OperandView(name, format, outer, k, packed, mode, block, scales);
  }

  private OperandView(String name, FpFormat format, int outer, int k, byte[] packed,
      ScaleMode mode, int block, double[] scales) {
    if (packed.length != (long) outer * k) {
      throw new IllegalArgumentException(name + " has " + packed.length + " codes, not " + outer
          + "x" + k);
    }
    this.name = name;
    this.format = format;
    this.mode = mode;
    this.kAxis = KAxis.ALONG_ROWS;
    this.outer = outer;
    this.k = k;
    this.packed = packed;
    boolean whole = mode == ScaleMode.SCALAR_32F;
    this.blockRows = whole ? outer : 1;
    this.blockCols = block;
    this.gridCols = whole ? 1 : (k + block - 1) / block;
    this.blockScales = scales;
    this.tensorScale = 1f;
  }

  private void checkFinite() {
    int n = (int) format.codeCount();
    boolean[] bad = new boolean[256];
    for (int code = 0; code < Math.min(n, 256); code++) {
      FpClass c = format.classify(code);
      bad[code] = c == FpClass.NAN || c == FpClass.INFINITE;
    }
    for (int i = 0; i < packed.length; i++) {
      if (bad[packed[i] & 0xFF]) {
        int o = i / k;
        int kk = i % k;
        String where = name.equals("A") ? "(m " + o + ", k " + kk + ")" : "(k " + kk + ", n " + o + ")";
        throw new IllegalArgumentException(name + " element " + where + " is "
            + format.classify(packed[i] & 0xFF) + " (code " + format.hex(packed[i] & 0xFF)
            + "); GEMM inputs must be finite");
      }
    }
  }

  /** Whether a tensor of this mode may carry a what-if block size along K. */
  static boolean whatIfAlongK(ScaleMode mode) {
    return switch (mode) {
      case VEC128_32F, BLK128x128_32F, VEC32_UE8M0 -> true;
      case SCALAR_32F, OUTER_VEC_32F, VEC16_UE4M3 -> false;
    };
  }

  /** Elements per scale block along K (K itself when the scale does not vary along K). */
  int blockAlongK() {
    return kAxis == KAxis.ALONG_ROWS ? blockCols : blockRows;
  }



  /** The decode scale of element (outer o, k kk). */
  double scale(int o, int kk) {
    int row = kAxis == KAxis.ALONG_ROWS ? o : kk;
    int col = kAxis == KAxis.ALONG_ROWS ? kk : o;
    return blockScales[(row / blockRows) * gridCols + col / blockCols];
  }

  /**
   * The scale of element (outer o, k kk) as a code of the mode's scale format, for the block
   * scales applied inside the MMA (E8M0, UE4M3: every such scale is a value of its format).
   */
  int scaleCode(int o, int kk) {
    return mode.scaleFormat().encode(scale(o, kk), Rounding.RNE, Overflow.IEEE);
  }

  int code(int o, int kk) {
    return packed[o * k + kk] & 0xFF;
  }
}

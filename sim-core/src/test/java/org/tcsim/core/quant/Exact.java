package org.tcsim.core.quant;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;

/** Exact arithmetic for expected values: BigDecimal powers of two, binades, nearest grid points. */
final class Exact {

  private Exact() {}

  static BigDecimal bd(double x) {
    return new BigDecimal(x);
  }

  /** 2^e exactly. */
  static BigDecimal pow2(int e) {
    return e >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(e))
        : BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
  }

  /** floor(log2(x)) for x &gt; 0, by comparison with exact powers of two. */
  static int floorLog2(BigDecimal x) {
    int e = Math.getExponent(x.doubleValue()); // a first guess, corrected exactly below
    while (pow2(e).compareTo(x) > 0) {
      e--;
    }
    while (pow2(e + 1).compareTo(x) <= 0) {
      e++;
    }
    return e;
  }

  /** The smallest k with x &lt;= 2^k, for x &gt; 0. */
  static int ceilLog2(BigDecimal x) {
    int f = floorLog2(x);
    return pow2(f).compareTo(x) == 0 ? f : f + 1;
  }

  /** Every finite value of a format, exactly. */
  static List<BigDecimal> grid(FpFormat f) {
    List<BigDecimal> values = new ArrayList<>();
    for (int c = 0; c < f.codeCount(); c++) {
      FpClass k = f.classify(c);
      if (k != FpClass.NAN && k != FpClass.INFINITE) {
        values.add(bd(f.decode(c)));
      }
    }
    return values;
  }

  /** The distance from t to the nearest finite value of the format (saturation included). */
  static BigDecimal minDistance(List<BigDecimal> grid, BigDecimal t) {
    BigDecimal best = null;
    for (BigDecimal g : grid) {
      BigDecimal d = g.subtract(t).abs();
      if (best == null || d.compareTo(best) < 0) {
        best = d;
      }
    }
    return best;
  }
}

package org.tcsim.core.gemm;

import java.math.BigDecimal;
import java.math.MathContext;
import org.tcsim.core.format.FpFormat;

/**
 * Exact references for FP32 epilogue arithmetic: values as {@link BigDecimal}, rounded to the
 * nearest FP32 number (ties to the even significand, IEEE 754-2019 §4.3.1) by comparing exact
 * distances to the candidates, and rounded into small formats by searching every finite value.
 * Nothing here calls the code under test.
 */
final class ExactFloat {
  private ExactFloat() {}

  static BigDecimal exact(float x) {
    return new BigDecimal(x);
  }

  /** RNE of an exact value to FP32 (finite range; tests stay far from overflow). */
  static float round(BigDecimal x) {
    if (x.signum() == 0) {
      return 0f;
    }
    // BigDecimal.floatValue is within an ulp; the nearest of it and its neighbours is decided
    // exactly.
    float c = x.floatValue();
    float best = c;
    BigDecimal bestDistance = x.subtract(exact(c)).abs();
    for (float f : new float[] {Math.nextDown(c), Math.nextUp(c)}) {
      BigDecimal d = x.subtract(exact(f)).abs();
      int cmp = d.compareTo(bestDistance);
      if (cmp < 0 || (cmp == 0 && (Float.floatToRawIntBits(f) & 1) == 0)) {
        best = f;
        bestDistance = d;
      }
    }
    return best;
  }

  /** fl(x * y) in FP32; a zero result carries the sign of the product (IEEE 754-2019 §6.3). */
  static float mul(float x, float y) {
    float p = round(exact(x).multiply(exact(y)));
    boolean negative = (Float.floatToRawIntBits(x) ^ Float.floatToRawIntBits(y)) < 0;
    return p == 0f && negative ? -0f : p;
  }

  /** fl(x / y) in FP32; the quotient taken to 60 digits, far beyond any tie. */
  static float div(float x, float y) {
    return round(exact(x).divide(exact(y), new MathContext(60)));
  }

  /**
   * The code of {@code f} nearest to x (RNE between the two neighbours, the even code on a tie),
   * saturating to the largest finite value beyond it; signs by symmetry. Searches every finite
   * non-negative code, so it is independent of the encoder. The sign is x's, zero included.
   */
  static int nearestCode(FpFormat f, float x) {
    boolean negative = Float.floatToRawIntBits(x) < 0;
    BigDecimal m = exact(x).abs();
    int best = -1;
    BigDecimal bestDistance = null;
    for (int c = 0; c < f.codeCount(); c++) {
      if (f.signed() && f.isNegative(c) || !f.classify(c).isFinite()) {
        continue;
      }
      BigDecimal d = m.subtract(new BigDecimal(f.decode(c))).abs();
      int cmp = bestDistance == null ? -1 : d.compareTo(bestDistance);
      if (cmp < 0 || (cmp == 0 && (c & 1) == 0)) {
        best = c;
        bestDistance = d;
      }
    }
    return negative ? best | f.signMask() : best;
  }
}

package org.tcsim.studies.whatif;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcsim.core.exact.Dyadic;

/** The double-double reference against exact dyadic arithmetic, including heavy cancellation. */
class ReferenceDotTest {

  @Test
  void agreesWithExactSumWithinTwoToTheMinus100OfTheMagnitudes() {
    Random r = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      int k = 1 + r.nextInt(3000);
      double[] a = new double[k];
      double[] b = new double[k];
      for (int i = 0; i < k; i++) {
        // FP8-like values times FP32 scales, plus pairs that cancel exactly.
        a[i] = Math.scalb((double) (r.nextInt(31) - 15), r.nextInt(40) - 20) * (float) r.nextGaussian();
        b[i] = (i % 2 == 1 && trial % 3 == 0) ? -b[i - 1] * a[i - 1] / (a[i] == 0 ? 1 : a[i])
            : (float) r.nextGaussian();
      }
      Dyadic exact = Dyadic.ZERO;
      Dyadic magnitude = Dyadic.ZERO;
      for (int i = 0; i < k; i++) {
        Dyadic p = Dyadic.of(a[i]).multiply(Dyadic.of(b[i]));
        exact = exact.add(p);
        magnitude = magnitude.add(p.abs());
      }
      double got = ReferenceDot.dot(a, 0, 1, b, 0, 1, k);
      BigDecimal err = new BigDecimal(got).subtract(exact.toBigDecimal()).abs();
      BigDecimal bound = magnitude.toBigDecimal().multiply(new BigDecimal(Math.scalb(1.0, -100)))
          .add(exact.toBigDecimal().abs().multiply(new BigDecimal(Math.ulp(1.0))));
      assertTrue(err.compareTo(bound) <= 0, "trial " + trial + ": error " + err.round(
          MathContext.DECIMAL64) + " above " + bound.round(MathContext.DECIMAL64));
    }
  }

  @Test
  void stridedAccessReadsTheRightElements() {
    double[] a = {1, 99, 2, 99, 3};
    double[] b = {0, 4, 0, 5, 0, 6};
    // 1*4 + 2*5 + 3*6 = 32
    assertTrue(ReferenceDot.dot(a, 0, 2, b, 1, 2, 3) == 32.0);
  }
}

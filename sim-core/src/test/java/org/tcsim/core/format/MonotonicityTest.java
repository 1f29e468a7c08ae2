package org.tcsim.core.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rounding never reverses order: x <= y implies decode(encode(x)) <= decode(encode(y)) for every
 * rounding direction and overflow convention, wherever both results are numbers (not NaN).
 */
class MonotonicityTest {

  private static boolean isNumber(FpFormat f, int code) {
    return !f.isNaN(code);
  }

  private static void checkPair(FpFormat f, double x, double y) {
    double lo = Math.min(x, y);
    double hi = Math.max(x, y);
    if (Double.compare(x, y) > 0) {
      lo = y;
      hi = x;
    }
    for (Overflow o : Overflow.values()) {
      for (Rounding r : Rounding.values()) {
        int a = f.encode(lo, r, o);
        int b = f.encode(hi, r, o);
        if (isNumber(f, a) && isNumber(f, b)) {
          double va = f.decode(a);
          double vb = f.decode(b);
          final double flo = lo;
          final double fhi = hi;
          assertTrue(va <= vb, () -> f + " " + r + "/" + o + ": " + flo + " -> " + va + " but "
              + fhi + " -> " + vb);
        }
      }
    }
  }

  @Provide
  Arbitrary<Double> doubles() {
    return FormatArbitraries.anyDouble().filter(d -> !Double.isNaN(d));
  }

  @Property(tries = 3000)
  void randomPairsKeepTheirOrder(@ForAll FpFormat f, @ForAll("doubles") double x,
      @ForAll("doubles") double y) {
    checkPair(f, x, y);
  }

  /** Close pairs, where an ordering bug at a binade or tie boundary would show. */
  @Property(tries = 3000)
  void neighbouringPairsKeepTheirOrder(@ForAll FpFormat f, @ForAll int pick,
      @ForAll boolean negative, @ForAll("doubles") double noise) {
    double[] ab = FormatArbitraries.neighbours(f, pick);
    double sign = negative ? -1.0 : 1.0;
    double mid = (ab[0] + ab[1]) / 2;
    double width = ab[1] - ab[0];
    double t = Double.isFinite(noise) ? Math.abs(noise % 1.0) : 0.5;
    checkPair(f, sign * mid, sign * Math.nextUp(mid));
    checkPair(f, sign * Math.nextDown(mid), sign * mid);
    checkPair(f, sign * (ab[0] + t * width), sign * mid);
  }

  /** A dense sorted sweep over twice each small format's range, checked end to end. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = FpFormat.class, names = {"E4M3", "E5M2", "E8M0", "UE4M3", "E2M3", "E3M2",
      "E2M1", "FP16", "BF16"})
  void sortedSweepGivesSortedResults(FpFormat f) {
    SplittableRandom random = new SplittableRandom(7);
    double[] xs = new double[50_000];
    double limit = Math.min(2 * f.maxFinite(), Double.MAX_VALUE);
    for (int i = 0; i < xs.length; i++) {
      // Log-uniform magnitudes over the whole range, both signs, plus exact format values.
      double mag = Math.scalb(1.0 + random.nextDouble(), random.nextInt(
          Math.getExponent(f.minSubnormal()) - 2, Math.getExponent(limit) + 1));
      if (i % 5 == 0) {
        mag = f.decode(random.nextInt(f.maxFiniteCode() + 1));
      }
      xs[i] = random.nextBoolean() ? -mag : mag;
    }
    Arrays.sort(xs);
    for (Overflow o : Overflow.values()) {
      for (Rounding r : Rounding.values()) {
        double previous = Double.NEGATIVE_INFINITY;
        double previousInput = Double.NEGATIVE_INFINITY;
        for (double x : xs) {
          int code = f.encode(x, r, o);
          if (!isNumber(f, code)) {
            continue;
          }
          double v = f.decode(code);
          final double p = previous;
          final double pi = previousInput;
          assertTrue(p <= v, () -> f + " " + r + "/" + o + ": " + pi + " -> " + p + " but " + x
              + " -> " + v);
          previous = v;
          previousInput = x;
        }
      }
    }
  }
}

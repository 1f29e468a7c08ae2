package org.tcsim.core.format;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Generators of doubles for the format property tests: every kind a conversion meets. */
final class FormatArbitraries {

  private FormatArbitraries() {}

  /**
   * Any bit pattern (NaN, ±Inf, subnormal doubles, huge), jqwik's own doubles with their edge
   * cases, and random significands scaled into and around every format's range (2^-160..2^140).
   */
  static Arbitrary<Double> anyDouble() {
    Arbitrary<Double> bits = Arbitraries.longs().map(Double::longBitsToDouble);
    Arbitrary<Double> plain = Arbitraries.doubles();
    Arbitrary<Double> scaled = Arbitraries.longs().between(0, (1L << 53) - 1).flatMap(sig ->
        Arbitraries.integers().between(-213, 88).flatMap(exp ->
            Arbitraries.of(1.0, -1.0).map(sign -> sign * Math.scalb((double) sig, exp))));
    Arbitrary<Double> specials = Arbitraries.of(0.0, -0.0, Double.NaN, NEGATIVE_NAN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE,
        -Double.MAX_VALUE, Double.MIN_NORMAL, (double) Float.MAX_VALUE, (double) Float.MIN_VALUE);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, bits),
        net.jqwik.api.Tuple.of(2, plain),
        net.jqwik.api.Tuple.of(6, scaled),
        net.jqwik.api.Tuple.of(1, specials));
  }

  /** Java's quiet NaN with the sign bit set. */
  static final double NEGATIVE_NAN = Double.longBitsToDouble(0xFFF8000000000000L);

  /**
   * A point between two consecutive values of {@code f}, for ties: the {@code pick}-th finite
   * magnitude code (wrapping) and the value after it, which for max finite is the value one quantum
   * further, as if the exponent range were unbounded (where IEEE 754 decides overflow). Positive
   * finite codes are consecutive integers in value order, so "after" is "code + 1".
   */
  static double[] neighbours(FpFormat f, int pick) {
    int code = Math.floorMod(pick, f.maxFiniteCode() + 1);
    double a = f.decode(code);
    double b = code == f.maxFiniteCode()
        ? a + Math.scalb(1.0, Math.getExponent(a) - f.mantissaBits())
        : f.decode(code + 1);
    return new double[] {a, b};
  }

  /** {@code x} moved by {@code steps} doubles (up if positive). */
  static double stepDoubles(double x, int steps) {
    double y = x;
    for (int i = 0; i < Math.abs(steps); i++) {
      y = steps > 0 ? Math.nextUp(y) : Math.nextDown(y);
    }
    return y;
  }
}

package org.tcsim.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stochastic rounding (PTX {@code cvt.rs}: random bits added below the kept bits): the result is
 * always one of the two neighbours, is reproducible from a seed, leaves representable values alone,
 * and rounds away from zero with probability equal to the discarded fraction of a quantum.
 */
class StochasticRoundingTest {

  @Provide
  Arbitrary<Double> doubles() {
    return FormatArbitraries.anyDouble().filter(d -> !Double.isNaN(d));
  }

  /** Always the value toward zero or the one away from zero, as the exact reference has them. */
  @Property(tries = 4000)
  void resultIsOneOfTheTwoNeighbours(@ForAll FpFormat f, @ForAll("doubles") double x,
      @ForAll int randomBits) {
    for (Overflow o : Overflow.values()) {
      int code = f.encodeStochastic(x, o, randomBits);
      boolean negative = x < 0 || (x == 0 && 1 / x < 0);
      ExactRounding.Expected towardZero = ExactRounding.round(f, x, Rounding.RZ, o);
      ExactRounding.Expected awayFromZero =
          ExactRounding.round(f, x, negative ? Rounding.RD : Rounding.RU, o);
      assertTrue(towardZero.matches(f, code) || awayFromZero.matches(f, code), () -> f + " " + o
          + " " + x + " bits " + randomBits + ": got " + f.hex(code) + ", expected " + towardZero
          + " or " + awayFromZero);
    }
  }

  @Test
  void sameSeedGivesTheSameSequence() {
    double[] values = new double[2000];
    SplittableRandom inputs = new SplittableRandom(3);
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.scalb(1 + inputs.nextDouble(), inputs.nextInt(-10, 9));
    }
    for (FpFormat f : new FpFormat[] {FpFormat.E4M3, FpFormat.E5M2, FpFormat.BF16, FpFormat.E2M1}) {
      int[] first = run(f, values, 1234L);
      int[] second = run(f, values, 1234L);
      int[] other = run(f, values, 1235L);
      assertArrayEquals(first, second, f + ": same seed, same codes");
      assertFalse(Arrays.equals(first, other), f + ": another seed gives other codes");
    }
  }

  private static int[] run(FpFormat f, double[] values, long seed) {
    StochasticRounder rounder = new StochasticRounder(seed);
    int[] codes = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      codes[i] = rounder.encode(f, values[i], Overflow.SATFINITE);
    }
    return codes;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = FpFormat.class, names = {"E4M3", "E5M2", "E8M0", "UE4M3", "E2M3", "E3M2",
      "E2M1", "FP16", "BF16"})
  void representableValuesNeverMove(FpFormat f) {
    int[] bits = {0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x12345678, 0xDEADBEEF};
    for (int code = 0; code < (int) f.codeCount(); code++) {
      if (!f.classify(code).isFinite()) {
        continue;
      }
      double v = f.decode(code);
      for (int b : bits) {
        for (Overflow o : Overflow.values()) {
          assertEquals(code, f.encodeStochastic(v, o, b), f + " " + f.hex(code) + " bits " + b);
        }
      }
    }
  }

  /**
   * The frequency of rounding away from zero is the discarded fraction p. With n = 200,000 draws
   * the standard deviation is sqrt(p(1-p)/n) <= 0.0012; the tolerance is 6 of those (and the seed
   * is fixed, so the test is deterministic anyway).
   */
  @ParameterizedTest(name = "{0} {1} + {2}/{3} quantum")
  @CsvSource({
      // format, lower value, numerator, denominator (p = num/den), quantum exponent at that value
      "E4M3, 1.0, 1, 16, -3",
      "E4M3, 1.0, 5, 16, -3",
      "E4M3, -1.0, 11, 16, -3",
      "E4M3, 0.0, 1, 2, -9",
      "E5M2, 4096.0, 3, 4, 10",
      "E2M1, 2.0, 1, 3, 0",
      "E8M0, 4.0, 1, 10, 2",
      "BF16, 1.0, 255, 256, -7",
      "FP16, -0.5, 1, 7, -11",
      "FP32, 1.0, 2, 5, -23",
  })
  void upFrequencyMatchesTheDiscardedFraction(String format, double lower, long num, long den,
      int quantumExponent) {
    FpFormat f = FpFormat.parse(format);
    double quantum = Math.scalb(1.0, quantumExponent);
    double p = (double) num / den;
    double sign = (lower < 0 || (lower == 0 && 1 / lower < 0)) ? -1 : 1;
    double x = lower + sign * p * quantum;
    int lowerCode = f.encode(lower, Rounding.RNE, Overflow.IEEE);
    int upperCode = f.encode(lower + sign * quantum, Rounding.RNE, Overflow.IEEE);
    // The exact fraction of x between its neighbours (p itself is rounded to a double).
    double fraction = Math.abs(x - lower) / quantum;
    int n = 200_000;
    StochasticRounder rounder = new StochasticRounder(20261128L);
    int up = 0;
    for (int i = 0; i < n; i++) {
      int code = rounder.encode(f, x, Overflow.IEEE);
      if (code == upperCode) {
        up++;
      } else {
        assertEquals(lowerCode, code, "always one of the neighbours");
      }
    }
    double sigma = Math.sqrt(fraction * (1 - fraction) / n);
    double observed = (double) up / n;
    assertEquals(fraction, observed, 6 * sigma,
        () -> f + " " + x + ": up " + observed + ", expected " + fraction);
  }
}

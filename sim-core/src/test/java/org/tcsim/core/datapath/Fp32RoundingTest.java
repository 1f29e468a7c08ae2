package org.tcsim.core.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.tcsim.core.exact.Dyadic;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * The double-arithmetic rounding stages against Java's float conversion (round to nearest even,
 * JLS 5.1.3) and against exact {@link Dyadic} arithmetic, on random doubles in FP32's normal
 * range, with ties and near-ties made on purpose.
 */
class Fp32RoundingTest {

  /** A double in FP32's normal range: 24-bit ties, near-ties or random 53-bit significands. */
  static double sample(SplittableRandom r) {
    long m24 = (1L << 23) | r.nextLong(1L << 23);
    long low = switch (r.nextInt(5)) {
      case 0 -> 1L << 28; // a tie: half of the 24-bit spacing
      case 1 -> (1L << 28) + (r.nextBoolean() ? 1 : -1); // next to a tie
      case 2 -> 0; // already 24 bits
      case 3 -> r.nextBoolean() ? 1 : (1L << 29) - 1; // just above or below a 24-bit value
      default -> r.nextLong(1L << 29);
    };
    int e = -126 + r.nextInt(254) - 52; // value in [2^-126, 2^128)
    double x = Math.scalb((double) ((m24 << 29) | low), e);
    return r.nextBoolean() ? -x : x;
  }

  @Property(tries = 3000)
  void nearestIsTheFloatConversion(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < 100; i++) {
      double x = sample(r);
      float f = (float) x;
      if (Float.isInfinite(f)) {
        continue; // beyond FP32: the callers redo such steps
      }
      assertEquals(Double.doubleToRawLongBits(f), Double.doubleToRawLongBits(
          Fp32Rounding.nearest(x)), () -> Double.toHexString(x));
    }
  }

  @Property(tries = 2000)
  void towardZeroIsTheFloatBelow(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < 100; i++) {
      float h = (float) sample(r);
      if (Float.isInfinite(h) || Math.abs(h) <= Float.MIN_NORMAL) {
        continue;
      }
      float below = Math.nextAfter(h, 0.0);
      assertEquals(Double.doubleToRawLongBits(below), Double.doubleToRawLongBits(
          Fp32Rounding.towardZero(h)), () -> Float.toHexString(h));
    }
  }

  @Property(tries = 3000)
  void truncateIsRoundTowardZeroOfTheExactPair(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < 100; i++) {
      double s = sample(r);
      // err below half an ulp of s, of either sign, sometimes zero, sometimes far below.
      double halfUlp = Math.ulp(s) / 2;
      double err = switch (r.nextInt(4)) {
        case 0 -> 0.0;
        case 1 -> (r.nextBoolean() ? halfUlp : -halfUlp);
        case 2 -> Math.scalb((r.nextBoolean() ? 1.0 : -1.0) * (1 + r.nextInt(1000)),
            Math.getExponent(s) - 60 - r.nextInt(100));
        default -> (r.nextDouble() * 2 - 1) * halfUlp;
      };
      Dyadic exact = Dyadic.of(s).add(Dyadic.of(err));
      int want = exact.roundTo(FpFormat.FP32, Rounding.RZ, Overflow.IEEE);
      if (!FpFormat.FP32.classify(want).isFinite() || Math.abs(Float.intBitsToFloat(want))
          < Float.MIN_NORMAL) {
        continue;
      }
      double got = Fp32Rounding.truncate(s, err);
      assertEquals(Double.doubleToRawLongBits(Float.intBitsToFloat(want)),
          Double.doubleToRawLongBits(got),
          () -> Double.toHexString(s) + " + " + Double.toHexString(err));
    }
  }
}

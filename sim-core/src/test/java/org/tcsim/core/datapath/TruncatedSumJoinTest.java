package org.tcsim.core.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.tcsim.core.exact.Dyadic;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * The B200-style joins ({@link AccumulatorJoin#addsToTruncatedSum}): each step's products summed
 * exactly, truncated to FP32, then C added with one RNE. Every expected value is computed here with
 * {@link Dyadic} (BigInteger) arithmetic, step by step, from the definitions in
 * {@link AccumulatorJoin}; none comes from the datapath.
 */
class TruncatedSumJoinTest {

  private static final BlockFmaParams B200 = BlockFmaParams.of(32, 25, Rounding.RNE,
      FpFormat.FP32).toBuilder().alignment(AlignmentMode.EXACT)
      .accumulatorJoin(AccumulatorJoin.AFTER_TRUNCATED_SUM).build();

  private static final FpFormat[] FP8 = {FpFormat.E4M3, FpFormat.E5M2};

  private static Dyadic product(FpFormat fa, int a, FpFormat fb, int b) {
    return Dyadic.of(fa, a).multiply(Dyadic.of(fb, b));
  }

  private static Dyadic value(int fp32) {
    return (fp32 & 0x7FFFFFFF) == 0 ? Dyadic.ZERO : Dyadic.of(FpFormat.FP32, fp32);
  }

  private static int round(Dyadic x, Rounding r) {
    return x.roundTo(FpFormat.FP32, r, Overflow.IEEE);
  }

  /** The expected result of one step of products [s, e) with accumulator c, by definition. */
  private static int expectedStep(AccumulatorJoin join, FpFormat fa, int[] a, FpFormat fb,
      int[] b, int s, int e, int c) {
    Dyadic sum = Dyadic.ZERO;
    Dyadic first = Dyadic.ZERO;
    for (int i = s; i < e; i++) {
      sum = sum.add(product(fa, a[i], fb, b[i]));
      if (i < s + 16) {
        first = sum;
      }
    }
    int p = round(sum, Rounding.RZ);
    Dyadic withC = value(p).add(value(c));
    switch (join) {
      case AFTER_TRUNCATED_SUM -> { }
      case AFTER_TRUNCATED_SUM_STICKY -> {
        if (value(p).compareTo(sum) != 0) {
          // An infinitesimal of the sum's sign, far below every bit of P, C and FP32.
          withC = withC.add(new Dyadic(java.math.BigInteger.valueOf(sum.signum()), -400));
        }
      }
      case AFTER_TRUNCATED_HALVES -> {
        Dyadic second = sum.subtract(first);
        int p1 = round(first, Rounding.RZ);
        int p2 = round(second, Rounding.RZ);
        p = round(value(p1).add(value(p2)), Rounding.RZ);
        withC = value(p).add(value(c));
      }
      default -> throw new AssertionError(join);
    }
    return round(withC, Rounding.RNE);
  }

  @Property(tries = 600)
  void eachStepIsTheTruncatedExactSumPlusCRoundedOnce(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 100) int k, @ForAll @IntRange(min = 0, max = 2) int join) {
    AccumulatorJoin j = switch (join) {
      case 0 -> AccumulatorJoin.AFTER_TRUNCATED_SUM;
      case 1 -> AccumulatorJoin.AFTER_TRUNCATED_SUM_STICKY;
      default -> AccumulatorJoin.AFTER_TRUNCATED_HALVES;
    };
    SplittableRandom r = new SplittableRandom(seed);
    FpFormat fa = FP8[r.nextInt(2)];
    FpFormat fb = FP8[r.nextInt(2)];
    int[] a = new int[k];
    int[] b = new int[k];
    for (int i = 0; i < k; i++) {
      a[i] = finite(fa, r);
      b[i] = finite(fb, r);
    }
    int c = switch (r.nextInt(4)) {
      case 0 -> 0;
      case 1 -> 0x80000000;
      case 2 -> finite(FpFormat.FP32, r);
      default -> Float.floatToRawIntBits((float) r.nextGaussian());
    };
    int got = new BlockFmaDatapath(fa, fb, B200.withAccumulatorJoin(j)).dot(a, b, k, c);
    int want = c;
    for (int s = 0; s < k; s += 32) {
      want = expectedStep(j, fa, a, fb, b, s, Math.min(k, s + 32), want);
    }
    int finalWant = want;
    assertEquals(Integer.toHexString(want), Integer.toHexString(got),
        () -> j + " " + fa + "x" + fb + " k=" + k + " c=" + Integer.toHexString(c) + " want "
            + Float.intBitsToFloat(finalWant));
  }

  @Test
  void theTruncationIsOfTheProductsAloneNotOfTheirSumWithC() {
    BlockFmaDatapath dp = new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E4M3, B200);
    // Products 1 and 2^-15 (E4M3 1.0 x 1.0, 2^-6 x 2^-9): 1 + 2^-15 is exact in FP32.
    assertEquals(Float.floatToRawIntBits(1f + 0x1p-15f),
        dp.dot(new int[] {0x38, 0x08}, new int[] {0x38, 0x01}, 2, 0));
    // Products 448 x 448 = 200704 and 2^-9 x 2^-9 = 2^-18: the exact sum needs 36 bits. FP32's
    // ulp at 200704 is 2^-6, so P = RZ_24(sum) = 200704. With C = 2^-7, P + C = 200704 + 2^-7
    // is a tie that RNE keeps at 200704 (even); rounding the exact sum plus C once,
    // 200704 + 2^-7 + 2^-18, goes up to 200704 + 2^-6.
    int[] big = {0x7E, 0x01};
    int c = Float.floatToRawIntBits(0x1p-7f);
    assertEquals(Float.floatToRawIntBits(200704f), dp.dot(big, big, 2, c));
    BlockFmaParams oneRounding = B200.withAccumulatorJoin(AccumulatorJoin.WITH_PRODUCTS);
    assertEquals(Float.floatToRawIntBits(200704f + 0x1p-6f),
        new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E4M3, oneRounding).dot(big, big, 2, c));
  }

  /** A random finite code, often tiny or huge, of either sign. */
  private static int finite(FpFormat f, SplittableRandom r) {
    while (true) {
      int code = (int) r.nextLong(f.codeCount());
      if (f.classify(code).isFinite()) {
        return code;
      }
    }
  }
}

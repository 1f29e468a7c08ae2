package org.tcsim.core.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.tcsim.core.exact.ExactDot;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The block-FMA datapath on hand-derived cases (each expected value worked out in the comment) and,
 * for exact alignment, against the arbitrary-precision reference.
 */
class BlockFmaDatapathTest {

  /** Hopper FP8 into FP32: 32 products, 13 alignment bits, truncation, RZ to 13 mantissa bits. */
  private static final BlockFmaParams HOPPER_FP8 = BlockFmaParams.of(32, 13, Rounding.RZ,
      FpFormat.FP32).withNormalisedMantissaBits(13);

  private static int fp32(float f) {
    return Float.floatToRawIntBits(f);
  }

  private static int dot(BlockFmaParams p, int[] a, int[] b, int c) {
    return new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E4M3, p).dot(a, b, a.length, c);
  }

  @Test
  void aSmallProductInsideTheWindowIsKept() {
    // 1*1 + 2^-9*1: largest exponent 0, window 2^-13; 2^-9 is a multiple of it: 1 + 2^-9.
    assertEquals(fp32(1f + 0x1p-9f), dot(HOPPER_FP8, new int[] {0x38, 0x01}, new int[] {0x38, 0x38}, 0));
  }

  @Test
  void aProductBelowTheWindowIsTruncatedAway() {
    // 1*1 + 2^-9 * 2^-6 = 1 + 2^-15: the window ends at 2^-13, so the second product is lost.
    assertEquals(fp32(1f), dot(HOPPER_FP8, new int[] {0x38, 0x01}, new int[] {0x38, 0x08}, 0));
    // With exact alignment and RNE into FP32 it survives.
    BlockFmaParams exact = HOPPER_FP8.withAlignment(AlignmentMode.EXACT)
        .withNormalisedMantissaBits(23).withResultRounding(Rounding.RNE);
    assertEquals(fp32(1f + 0x1p-15f), dot(exact, new int[] {0x38, 0x01}, new int[] {0x38, 0x08}, 0));
  }

  @Test
  void aLargeAccumulatorSwallowsSmallProducts() {
    // C = 2^20 joins the step: window 2^(20-13) = 128, so 32 products of 1.0 truncate to 0.
    int[] ones = new int[32];
    java.util.Arrays.fill(ones, 0x38);
    assertEquals(fp32(0x1p20f), dot(HOPPER_FP8, ones, ones, fp32(0x1p20f)));
    // C = 2^13: window 1, so all 32 ones count: 8192 + 32 = 8224 (13 mantissa bits suffice).
    assertEquals(fp32(8224f), dot(HOPPER_FP8, ones, ones, fp32(8192f)));
  }

  @Test
  void normalisationTruncatesToThirteenMantissaBits() {
    // 1.75*1.75 = 3.0625 and 1.125*1.125 = 1.265625: sum 4.328125 = 100.010101b; 13 fraction bits
    // of the window below 2^1 (the largest lead exponent 0+0) keep it all; the result has 2^2 lead,
    // 13 mantissa bits: 4.328125 exactly (0x408A8000).
    assertEquals(fp32(4.328125f), dot(HOPPER_FP8, new int[] {0x3E, 0x39}, new int[] {0x3E, 0x39}, 0));
    // C = 1 + 2^-20 (FP32) joins: it is truncated to the window 2^-13 as a term: 1 + 1 = 2.
    assertEquals(fp32(2f), dot(HOPPER_FP8, new int[] {0x38}, new int[] {0x38}, fp32(1f + 0x1p-20f)));
  }

  @Test
  void specialValuesFollowIeee() {
    int nan = 0x7FFFFFFF;
    // E4M3 NaN in -> NaN.
    assertEquals(nan, dot(HOPPER_FP8, new int[] {0x7F}, new int[] {0x38}, 0));
    // NaN accumulator -> NaN.
    assertEquals(nan, dot(HOPPER_FP8, new int[] {0x38}, new int[] {0x38}, 0x7FC00000));
    // +Inf accumulator plus finite products -> +Inf; with -Inf from a product (E5M2) -> NaN.
    BlockFmaDatapath e5 = new BlockFmaDatapath(FpFormat.E5M2, FpFormat.E5M2, HOPPER_FP8);
    assertEquals(0x7F800000, e5.dot(new int[] {0x3C}, new int[] {0x3C}, 1, 0x7F800000));
    assertEquals(nan, e5.dot(new int[] {0xFC}, new int[] {0x3C}, 1, 0x7F800000));
    // Inf * 0 -> NaN.
    assertEquals(nan, e5.dot(new int[] {0x7C}, new int[] {0x00}, 1, 0));
    // -Inf * +1 -> -Inf.
    assertEquals(0xFF800000, e5.dot(new int[] {0xFC}, new int[] {0x3C}, 1, 0));
  }

  @Test
  void allZeroGivesPositiveZeroAndOverflowGivesInfinity() {
    assertEquals(0, dot(HOPPER_FP8, new int[] {0x80, 0x00}, new int[] {0x38, 0x38}, 0x80000000));
    // 448*448 + max FP32: C leads (2^127), the window is 2^114, the product vanishes and C is
    // truncated to 13 mantissa bits: (2 - 2^-13) * 2^127.
    assertEquals(0x7F7FFC00, dot(HOPPER_FP8, new int[] {0x7E}, new int[] {0x7E}, 0x7F7FFFFF));
    // Into FP16, 448*448 = 200704 overflows: +Inf even under RZ (the published model's rule) ...
    BlockFmaParams toHalf = BlockFmaParams.of(32, 13, Rounding.RZ, FpFormat.FP16);
    assertEquals(0x7C00, dot(toHalf, new int[] {0x7E}, new int[] {0x7E}, 0));
    // ... and the largest finite FP16 under IEEE 754 §7.4 rules for RZ.
    assertEquals(0x7BFF, dot(toHalf.withOverflowToInfinity(false), new int[] {0x7E}, new int[] {0x7E}, 0));
  }

  @Test
  void cAddedAfterAllStepsIsRoundedOnce() {
    BlockFmaParams p = BlockFmaParams.of(16, 25, Rounding.RNE, FpFormat.FP16).toBuilder()
        .accumulatorJoin(AccumulatorJoin.AFTER_ALL_STEPS).build();
    BlockFmaDatapath dp = new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E4M3, p);
    // 1*1 = 1 (FP16 0x3C00); C = 2^-11 (FP16 0x1000): 1 + 2^-11 is a tie between 1 and 1+2^-10;
    // RNE picks the even 1.0.
    assertEquals(0x3C00, dp.dot(new int[] {0x38}, new int[] {0x38}, 1, 0x1000));
    // C = 3*2^-12 (0x1200): 1 + 0.75*2^-10 rounds up to 1 + 2^-10 (0x3C01).
    assertEquals(0x3C01, dp.dot(new int[] {0x38}, new int[] {0x38}, 1, 0x1200));
    // -0 + -0 stays -0.
    assertEquals(0x8000, dp.dot(new int[] {0x00}, new int[] {0x38}, 1, 0x8000) & 0x8000 | 0x8000);
  }

  @Test
  void badParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> BlockFmaParams.of(0, 13, Rounding.RZ, FpFormat.FP32));
    assertThrows(IllegalArgumentException.class, () -> BlockFmaParams.of(32, 99, Rounding.RZ, FpFormat.FP32));
    assertThrows(IllegalArgumentException.class, () -> BlockFmaParams.of(32, 13, Rounding.RZ, FpFormat.E4M3));
    assertThrows(IllegalArgumentException.class, () -> HOPPER_FP8.withNormalisedMantissaBits(24));
    assertThrows(IllegalArgumentException.class,
        () -> new BlockFmaDatapath(FpFormat.FP32, FpFormat.FP32, HOPPER_FP8));
  }

  // ---------------------------------------------------------------- against the exact reference

  @Provide
  Arbitrary<FpFormat> inputs() {
    return Arbitraries.of(FpFormat.E4M3, FpFormat.E5M2, FpFormat.FP16, FpFormat.BF16);
  }

  @Provide
  Arbitrary<FpFormat> outputs() {
    return Arbitraries.of(FpFormat.FP32, FpFormat.FP16, FpFormat.BF16);
  }

  @Property(tries = 1500)
  void exactAlignmentInOneStepIsTheCorrectlyRoundedDot(@ForAll("inputs") FpFormat in,
      @ForAll("outputs") FpFormat out, @ForAll @IntRange(min = 1, max = 40) int k,
      @ForAll Rounding rounding, @ForAll long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    int[] a = new int[k];
    int[] b = new int[k];
    for (int i = 0; i < k; i++) {
      a[i] = finite(in, r);
      b[i] = finite(in, r);
    }
    int c = finite(out, r);
    BlockFmaParams p = BlockFmaParams.of(64, 25, rounding, out).withAlignment(AlignmentMode.EXACT)
        .withOverflowToInfinity(false);
    int got = new BlockFmaDatapath(in, in, p).dot(a, b, k, c);
    int want = ExactDot.dot(in, a, in, b, k, out, c).roundTo(out, rounding);
    // The exact reference gives +0 for an exact zero sum as the datapath does under RNE/RZ/RU;
    // compare zeros by class only (the sign of an exact zero sum is a convention).
    if (out.classify(want) == FpClass.ZERO) {
      assertEquals(FpClass.ZERO, out.classify(got));
    } else {
      assertEquals(Integer.toHexString(want), Integer.toHexString(got));
    }
  }

  /** A random finite code, often tiny or huge, of either sign. */
  private static int finite(FpFormat f, java.util.SplittableRandom r) {
    while (true) {
      int code = (int) r.nextLong(f.codeCount());
      if (f.classify(code).isFinite()) {
        return code;
      }
    }
  }
}

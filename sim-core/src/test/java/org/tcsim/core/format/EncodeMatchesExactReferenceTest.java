package org.tcsim.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link FpFormat#encode(double, Rounding, Overflow)} equals the exact BigDecimal reference
 * ({@link ExactRounding}) for every format, rounding direction and overflow convention, on random
 * doubles of every kind and on points placed deliberately at and around the midpoints between
 * neighbours (where a double rounding through float would show).
 */
class EncodeMatchesExactReferenceTest {

  /** Encodes x every way and compares each result with the reference. */
  private static void checkAllModes(FpFormat f, double x) {
    if (Double.isNaN(x) && !f.hasNaN()) {
      // FP4/FP6 have no NaN code: refusing is the only honest answer.
      assertThrows(IllegalArgumentException.class, () -> f.encode(x, Rounding.RNE, Overflow.IEEE));
      return;
    }
    for (Overflow o : Overflow.values()) {
      for (Rounding r : Rounding.values()) {
        ExactRounding.Expected expected = ExactRounding.round(f, x, r, o);
        int code = f.encode(x, r, o);
        assertTrue(expected.matches(f, code), () -> f + " " + r + "/" + o + " of " + x + " ("
            + Double.toHexString(x) + "): expected " + expected + ", got " + f.hex(code)
            + " = " + f.decode(code));
        if ((double) (float) x == x || Double.isNaN(x)) {
          assertEquals(code, f.encode((float) x, r, o), "encode(float) agrees with encode(double)");
        }
      }
    }
  }

  @Provide
  Arbitrary<Double> doubles() {
    return FormatArbitraries.anyDouble();
  }

  @Property(tries = 4000)
  void everyDoubleIsRoundedCorrectly(@ForAll FpFormat f, @ForAll("doubles") double x) {
    checkAllModes(f, x);
  }

  /**
   * Midpoints between neighbours, the neighbours themselves, and points a few doubles or a small
   * fraction of a float ulp away from the midpoint (none of which a float can hold exactly).
   */
  @Property(tries = 4000)
  void pointsAroundMidpointsAreRoundedCorrectly(@ForAll FpFormat f, @ForAll int pick,
      @ForAll @IntRange(min = -3, max = 3) int doubleSteps,
      @ForAll @IntRange(min = 0, max = 40) int fractionShift, @ForAll boolean negative) {
    double[] ab = FormatArbitraries.neighbours(f, pick);
    double mid = (ab[0] + ab[1]) / 2; // exact: both have at most 24 significant bits
    double sign = negative ? -1.0 : 1.0;
    checkAllModes(f, sign * ab[0]);
    checkAllModes(f, sign * mid);
    checkAllModes(f, sign * FormatArbitraries.stepDoubles(mid, doubleSteps));
    // Above and below the midpoint by 2^-(fractionShift) of a float ulp at the midpoint.
    double offset = Math.scalb(Math.ulp((float) mid), -fractionShift);
    checkAllModes(f, sign * (mid + offset));
    checkAllModes(f, sign * (mid - offset));
  }

  // ------------------------------------------------------------------ hand-derived vectors

  @Example
  void noDoubleRoundingThroughFloat() {
    // E4M3 1.0 = 0x38, 1.125 = 0x39, 1.25 = 0x3A (0.0111.000, .001, .010). The midpoint 1.0625 is
    // a float; one double above it is not, and a detour through float would make it a tie that
    // goes to the even 1.0. Correct rounding gives 1.125.
    double justAbove = Math.nextUp(1.0625);
    assertEquals(1.0625f, (float) justAbove, "the detour through float lands on the tie");
    assertEquals(0x39, FpFormat.E4M3.encode(justAbove, Rounding.RNE, Overflow.IEEE));
    // Just below the midpoint 1.1875 between 1.125 and 1.25: through float it would tie to 1.25.
    assertEquals(0x39, FpFormat.E4M3.encode(Math.nextDown(1.1875), Rounding.RNE, Overflow.IEEE));
    // FP32 target: 1 + 2^-24 is the midpoint between 1 and 1 + 2^-23; 2^-50 above it (not a float) rounds up.
    assertEquals(0x3F800001, FpFormat.FP32.encode(1 + 0x1p-24 + 0x1p-50, Rounding.RNE, Overflow.IEEE));
    assertEquals(0x3F800000, FpFormat.FP32.encode(1 + 0x1p-24, Rounding.RNE, Overflow.IEEE));
    // BF16: 1 + 2^-8 is the midpoint between 1 (0x3F80) and 1 + 2^-7 (0x3F81).
    assertEquals(0x3F81, FpFormat.BF16.encode(1 + 0x1p-8 + 0x1p-40, Rounding.RNE, Overflow.IEEE));
  }

  @Example
  void referenceAgreesWithHandDerivedValues() {
    // E4M3: 448 is max (0.1111.110, even); the next value with unbounded exponent is 480, so the
    // midpoint 464 ties to 448 and anything above overflows to NaN (ml_dtypes) or 448 (satfinite).
    expect(FpFormat.E4M3, 464.0, Rounding.RNE, Overflow.IEEE, "+448");
    expect(FpFormat.E4M3, Math.nextUp(464.0), Rounding.RNE, Overflow.IEEE, "+NaN");
    expect(FpFormat.E4M3, -1e6, Rounding.RNE, Overflow.IEEE, "-NaN");
    expect(FpFormat.E4M3, 1e6, Rounding.RZ, Overflow.IEEE, "+448");
    expect(FpFormat.E4M3, 1e6, Rounding.RNE, Overflow.SATFINITE, "+448");
    // E5M2: max 57344 (0.11110.11, odd): the midpoint 61440 ties to the even 65536 = overflow -> Inf.
    expect(FpFormat.E5M2, 61440.0, Rounding.RNE, Overflow.IEEE, "+Inf");
    expect(FpFormat.E5M2, Math.nextDown(61440.0), Rounding.RNE, Overflow.IEEE, "+57344");
    expect(FpFormat.E5M2, -61440.0, Rounding.RD, Overflow.IEEE, "-Inf");
    expect(FpFormat.E5M2, -61440.0, Rounding.RU, Overflow.IEEE, "-57344");
    // E2M1: 5 lies halfway between 4 (code 6, even) and 6 (code 7); 0.25 between 0 and 0.5.
    expect(FpFormat.E2M1, 5.0, Rounding.RNE, Overflow.IEEE, "+4");
    expect(FpFormat.E2M1, 0.25, Rounding.RNE, Overflow.IEEE, "+0");
    expect(FpFormat.E2M1, -0.25, Rounding.RD, Overflow.IEEE, "-0.5");
    expect(FpFormat.E2M1, 100.0, Rounding.RNE, Overflow.IEEE, "+6");
    // E8M0: 1.5 is halfway between 2^0 (code 0x7F, odd) and 2^1 (0x80, even).
    expect(FpFormat.E8M0, 1.5, Rounding.RNE, Overflow.IEEE, "+2");
    expect(FpFormat.E8M0, 3.0, Rounding.RNE, Overflow.IEEE, "+2");
    // FP16: 65520 is halfway between max 65504 and 65536 (odd max) -> Inf; 2^-25 ties to 0.
    expect(FpFormat.FP16, 65520.0, Rounding.RNE, Overflow.IEEE, "+Inf");
    expect(FpFormat.FP16, 0x1p-25, Rounding.RNE, Overflow.IEEE, "+0");
    expect(FpFormat.FP16, 0x1p-25, Rounding.RU, Overflow.IEEE, "+" + new BigDecimal(0x1p-24));
    // FP32 (quantum route): the smallest subnormal's half ties to zero; 3 halves to 2^-148.
    expect(FpFormat.FP32, 0x1p-150, Rounding.RNE, Overflow.IEEE, "+0");
    expect(FpFormat.FP32, 0x1.8p-149, Rounding.RNE, Overflow.IEEE, "+" + new BigDecimal(0x1p-148));
    expect(FpFormat.TF32, 1 + 0x1p-11, Rounding.RNE, Overflow.IEEE, "+1");
    expect(FpFormat.TF32, 1 + 0x1p-11 + 0x1p-30, Rounding.RNE, Overflow.IEEE,
        "+" + new BigDecimal(1 + 0x1p-10));
  }

  private static void expect(FpFormat f, double x, Rounding r, Overflow o, String expected) {
    ExactRounding.Expected e = ExactRounding.round(f, x, r, o);
    String shown = e.magnitude() == null ? e.toString()
        : (e.negative() ? "-" : "+") + e.magnitude().stripTrailingZeros().toPlainString();
    String want = expected.startsWith("+") || expected.startsWith("-")
        ? expected.charAt(0) + (expected.endsWith("NaN") || expected.endsWith("Inf") ? expected.substring(1)
            : new BigDecimal(expected.substring(1)).stripTrailingZeros().toPlainString())
        : expected;
    assertEquals(want, shown, () -> "reference for " + f + " " + r + "/" + o + " of " + x);
    checkAllModes(f, x);
  }

  @Example
  void floorLog2IsExact() {
    assertEquals(0, ExactRounding.floorLog2(BigDecimal.ONE));
    assertEquals(-1, ExactRounding.floorLog2(new BigDecimal("0.999999999999999999999")));
    assertEquals(-150, ExactRounding.floorLog2(new BigDecimal(0x1p-150)));
    assertEquals(-151, ExactRounding.floorLog2(new BigDecimal(Math.nextDown(0x1p-150))));
    assertEquals(127, ExactRounding.floorLog2(new BigDecimal(0x1.fffffep127)));
    assertEquals(1023, ExactRounding.floorLog2(new BigDecimal(Double.MAX_VALUE)));
    assertEquals(-1074, ExactRounding.floorLog2(new BigDecimal(Double.MIN_VALUE)));
    assertEquals(2000, ExactRounding.floorLog2(ExactRounding.pow2(2000).add(BigDecimal.ONE)));
    // The exact integer route agrees with the fast one.
    for (double d : new double[] {1.0, 0.75, 0x1p-150, Math.nextDown(0x1p-150), 0x1.fffffep127,
        3e-300, 7e300, Double.MIN_VALUE, Double.MAX_VALUE}) {
      BigDecimal v = new BigDecimal(d);
      assertEquals(ExactRounding.floorLog2Slow(v), ExactRounding.floorLog2(v), () -> "at " + d);
    }
  }
}

package org.tcsim.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tcsim.core.format.FpFormat;

/**
 * The three MX scale rules against exact reasoning. Write amax = f * 2^e (f in [1, 2)) and
 * max_elem = m * 2^emax: FLOOR gives e - emax; RCEIL gives ceil(log2(amax / max_elem)), which is
 * FLOOR + 1 exactly when f &gt; m (m = 1.75 for E4M3, 1.5 for E2M1); CEIL gives
 * ceil(log2(amax)) - emax. Expected values below are worked out by hand or with BigDecimal.
 */
class MxScaleRuleTest {

  /**
   * pytorch/ao#2035 says amax 150 in E4M3 gives 126 under RCEIL and 127 under "OCP
   * ceil". By hand: 150 = 1.171875 * 2^7, so FLOOR = 7 - 8 = -1 (code 126); 150/448 = 0.3348 lies
   * in (2^-2, 2^-1], so RCEIL = -1 (code 126); ceil(log2 150) = 8, so CEIL = 0 (code 127). The 127
   * of the issue is the CEIL rule; FLOOR and RCEIL agree on 150.
   */
  @Example
  void pytorchAo2035Amax150() {
    assertEquals(126, MxScaleRule.FLOOR.scaleCode(150f, FpFormat.E4M3));
    assertEquals(126, MxScaleRule.RCEIL.scaleCode(150f, FpFormat.E4M3));
    assertEquals(127, MxScaleRule.CEIL.scaleCode(150f, FpFormat.E4M3));
  }

  /**
   * Blocks where FLOOR and RCEIL disagree, each worked out by hand (element, amax, FLOOR code,
   * RCEIL code). E4M3 (max 448 = 1.75 * 2^8): 500 = 1.953 * 2^8 -> FLOOR 2^0 (500 saturates to
   * 448), RCEIL 500/448 = 1.116 -> 2^1. 449 -> 2^0 vs 2^1. 7.5 = 1.875 * 2^2 -> 2^-6 vs 7.5/448 =
   * 0.01674 in (2^-6, 2^-5] -> 2^-5. Agreements: 448 -> 2^0 both (448/448 = 1 exactly); 7 = 1.75 *
   * 2^2 -> 2^-6 both (7/448 = 2^-6 exactly). E2M1 (max 6 = 1.5 * 2^2): 7 = 1.75 * 2^2 -> FLOOR 2^0,
   * RCEIL 7/6 -> 2^1; 6 -> 2^0 both; 5 -> 2^0 both. E5M2 (57344 = 1.75 * 2^15): 60000 -> 2^0 vs 2^1.
   */
  @ParameterizedTest
  @CsvSource({
      "e4m3, 500, 127, 128",
      "e4m3, 449, 127, 128",
      "e4m3, 7.5, 121, 122",
      "e4m3, 448, 127, 127",
      "e4m3, 7, 121, 121",
      "e2m1, 7, 127, 128",
      "e2m1, 6, 127, 127",
      "e2m1, 5, 127, 127",
      "e5m2, 60000, 127, 128",
      "e5m2, 57344, 127, 127",
      "e3m2, 29, 127, 128",
      "e2m3, 7.75, 127, 128"})
  void floorAndRceilByHand(String format, float amax, int floorCode, int rceilCode) {
    FpFormat f = FpFormat.parse(format);
    assertEquals(floorCode, MxScaleRule.FLOOR.scaleCode(amax, f), "FLOOR");
    assertEquals(rceilCode, MxScaleRule.RCEIL.scaleCode(amax, f), "RCEIL");
  }

  /** A zero block gets the smallest scale, 0x00 = 2^-127, under every rule. */
  @Example
  void zeroAmaxGivesSmallestScale() {
    for (MxScaleRule rule : MxScaleRule.values()) {
      assertEquals(0, rule.scaleCode(0f, FpFormat.E4M3), rule.name());
    }
  }

  /** Clamp at the bottom: amax 2^-130 in E4M3 gives FLOOR -138, clamped to -127 (code 0). */
  @Example
  void tinyAmaxClampsToCodeZero() {
    assertEquals(0, MxScaleRule.FLOOR.scaleCode(0x1p-130f, FpFormat.E4M3));
    assertEquals(0, MxScaleRule.CEIL.scaleCode(0x1p-130f, FpFormat.E4M3));
    assertEquals(0, MxScaleRule.RCEIL.scaleCode(0x1p-130f, FpFormat.E4M3));
  }

  /** RCEIL of NaN or Inf is 0xFF (the E8M0 NaN); the largest finite amax does not saturate. */
  @Example
  void rceilNonFiniteAndLargest() {
    assertEquals(0xFF, MxScaleRule.RCEIL.scaleCode(Float.NaN, FpFormat.E4M3));
    assertEquals(0xFF, MxScaleRule.RCEIL.scaleCode(Float.POSITIVE_INFINITY, FpFormat.E4M3));
    // FLT_MAX / 448 = 2^128 (1 - 2^-24) / (1.75 * 2^8) lies in (2^119, 2^120]: code 247
    assertEquals(247, MxScaleRule.RCEIL.scaleCode(Float.MAX_VALUE, FpFormat.E4M3));
    assertEquals(247, MxScaleRule.roundUpToE8m0(0x1.000002p119f));
    assertEquals(0xFE, MxScaleRule.roundUpToE8m0(0x1.000002p127f)); // saturates, no 0xFF
  }

  /**
   * Where TE's FP32 computation and the exact rule part: amax = 448 * 2^-127 + 2^-142 (one ulp above
   * 1.75 * 2^-119). Exactly, amax / 448 = 2^-127 (1 + 2^-23 / 1.75) &gt; 2^-127, so the exact rule
   * gives 2^-126 (code 1). In FP32, fp32(1/448) = 2^-6 * fp32(1/7) = 2^-6 (1/7)(1 + 3 * 2^-26), and
   * the product, about 2^-127 (1 + 0.95 * 2^-23), is an FP32 subnormal whose spacing 2^-149 is
   * 2^-127 * 2^-22: it rounds to 2^-127 exactly, whose E8M0 code is 0. The implementation follows
   * TE (code 0). Checked here with BigDecimal.
   */
  @Example
  void rceilSubnormalCornerFollowsFp32() {
    float amax = Math.nextUp(448f * 0x1p-127f);
    // exact rule: 448 * 2^-127 < amax <= 448 * 2^-126, so ceil(log2(amax / 448)) = -126
    BigDecimal a = Exact.bd(amax);
    assertTrue(a.compareTo(Exact.bd(448).multiply(Exact.pow2(-127))) > 0, "exact rule");
    assertTrue(a.compareTo(Exact.bd(448).multiply(Exact.pow2(-126))) <= 0, "exact rule");
    BigDecimal recip = Exact.bd(1f / 448f);
    BigDecimal product = Exact.bd(amax).multiply(recip);
    BigDecimal spacing = Exact.pow2(-149);
    // the FP32 product: the nearest multiple of 2^-149 (no tie here)
    BigDecimal rounded = product.divide(spacing).setScale(0, java.math.RoundingMode.HALF_EVEN)
        .multiply(spacing);
    assertEquals(0, rounded.compareTo(Exact.pow2(-127)), "FP32 product is 2^-127");
    assertEquals(0, MxScaleRule.RCEIL.scaleCode(amax, FpFormat.E4M3));
  }

  @Example
  void nonMxElementFormatsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MxScaleRule.FLOOR.scaleCode(1f, FpFormat.FP16));
    assertTrue(e.getMessage().contains("fp16"), e.getMessage());
  }

  /**
   * For amax in the FP32 normal range (away from the clamps), each rule equals its exact formula;
   * RCEIL - FLOOR is 0 or 1, and 1 exactly when FLOOR's scale makes amax / X exceed max_elem; with
   * RCEIL amax / X never exceeds max_elem.
   */
  @Property(tries = 2000)
  void rulesMatchExactFormulas(@ForAll @IntRange(min = -90, max = 100) int exponent,
      @ForAll @IntRange(min = 0, max = 0x7FFFFF) int mantissa,
      @ForAll @IntRange(min = 0, max = 4) int formatIndex) {
    FpFormat f = new FpFormat[] {FpFormat.E4M3, FpFormat.E5M2, FpFormat.E3M2, FpFormat.E2M3,
        FpFormat.E2M1}[formatIndex];
    float amax = Float.intBitsToFloat(((exponent + 127) << 23) | mantissa);
    BigDecimal a = Exact.bd(amax);
    BigDecimal max = Exact.bd(f.maxFinite());
    int emax = f.maxExponent();

    int floorE = Exact.floorLog2(a) - emax;
    int ceilE = Exact.ceilLog2(a) - emax;
    // RCEIL by definition: the smallest k with amax <= max_elem * 2^k
    int rceilE = floorE - 2;
    while (a.compareTo(max.multiply(Exact.pow2(rceilE))) > 0) {
      rceilE++;
    }

    int floorCode = MxScaleRule.FLOOR.scaleCode(amax, f);
    int ceilCode = MxScaleRule.CEIL.scaleCode(amax, f);
    int rceilCode = MxScaleRule.RCEIL.scaleCode(amax, f);
    assertEquals(floorE + 127, floorCode, "FLOOR");
    assertEquals(ceilE + 127, ceilCode, "CEIL");
    assertEquals(rceilE + 127, rceilCode, "RCEIL");

    int difference = rceilCode - floorCode;
    assertTrue(difference == 0 || difference == 1, "one binade at most: " + difference);
    boolean floorOverflows = a.compareTo(max.multiply(Exact.pow2(floorE))) > 0;
    assertEquals(floorOverflows, difference == 1, "they differ exactly when FLOOR saturates");
    assertTrue(a.compareTo(max.multiply(Exact.pow2(rceilCode - 127))) <= 0,
        "RCEIL never saturates");
  }
}

package org.tcsim.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PTX {@code .satfinite} (PTX ISA, {@code cvt}; docs/hardware-facts.md, Number formats): finite
 * overflow and ±Inf clamp to ±max finite, NaN stays
 * NaN. FP4 E2M1 and FP6 E2M3/E3M2 have neither Inf nor NaN and saturate under either convention.
 */
class SatfiniteTest {

  private static final double[] BEYOND = {Double.POSITIVE_INFINITY, Double.MAX_VALUE, 1e300, 0x1p200};

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = FpFormat.class, names = {"E4M3", "E5M2", "E2M3", "E3M2", "E2M1", "FP16",
      "BF16", "TF32", "FP32"})
  void overflowAndInfinityClampToMaxFinite(FpFormat f) {
    int max = f.maxFiniteCode();
    for (Rounding r : Rounding.values()) {
      for (double x : BEYOND) {
        assertEquals(max, f.encode(x, r, Overflow.SATFINITE), () -> f + " " + r + " " + x);
        assertEquals(f.signMask() | max, f.encode(-x, r, Overflow.SATFINITE), () -> f + " " + r + " -" + x);
      }
      // Twice max finite and max plus one full quantum of the top binade: still beyond.
      double past = f.maxFinite() + Math.scalb(1.0, Math.getExponent(f.maxFinite()) - f.mantissaBits());
      assertEquals(max, f.encode(2 * f.maxFinite(), r, Overflow.SATFINITE));
      assertEquals(max, f.encode(past, r, Overflow.SATFINITE));
      assertEquals(f.signMask() | max, f.encode(-past, r, Overflow.SATFINITE));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = FpFormat.class, names = {"E4M3", "E5M2", "E8M0", "UE4M3", "FP16", "BF16",
      "TF32", "FP32"})
  void nanStaysNaN(FpFormat f) {
    for (Rounding r : Rounding.values()) {
      assertTrue(f.isNaN(f.encode(Double.NaN, r, Overflow.SATFINITE)), () -> f + " " + r);
      assertTrue(f.isNaN(f.encode(Float.NaN, r, Overflow.SATFINITE)), () -> f + " " + r);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = FpFormat.class, names = {"E2M3", "E3M2", "E2M1"})
  void formatsWithoutSpecialsAlwaysSaturate(FpFormat f) {
    int max = f.maxFiniteCode();
    for (Overflow o : Overflow.values()) {
      for (Rounding r : Rounding.values()) {
        for (double x : BEYOND) {
          assertEquals(max, f.encode(x, r, o), () -> f + " " + r + "/" + o + " " + x);
          assertEquals(f.signMask() | max, f.encode(-x, r, o), () -> f + " " + r + "/" + o + " -" + x);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = FpFormat.class, names = {"E8M0", "UE4M3"})
  void unsignedFormatsClampPositiveOverflow(FpFormat f) {
    for (Rounding r : Rounding.values()) {
      for (double x : BEYOND) {
        assertEquals(f.maxFiniteCode(), f.encode(x, r, Overflow.SATFINITE), () -> f + " " + r + " " + x);
      }
    }
  }

  @Test
  void handDerivedCodes() {
    // E4M3: 448 = 0.1111.110 = 0x7E; ml_dtypes sends 500 and Inf to NaN 0x7F, satfinite to 0x7E.
    assertEquals(0x7E, FpFormat.E4M3.encode(500.0, Rounding.RNE, Overflow.SATFINITE));
    assertEquals(0x7F, FpFormat.E4M3.encode(500.0, Rounding.RNE, Overflow.IEEE));
    assertEquals(0x7E, FpFormat.E4M3.encode(Float.POSITIVE_INFINITY, Rounding.RNE, Overflow.SATFINITE));
    assertEquals(0xFE, FpFormat.E4M3.encode(Float.NEGATIVE_INFINITY, Rounding.RNE, Overflow.SATFINITE));
    // E5M2: max 57344 = 0.11110.11 = 0x7B, Inf = 0x7C.
    assertEquals(0x7B, FpFormat.E5M2.encode(1e9, Rounding.RNE, Overflow.SATFINITE));
    assertEquals(0x7C, FpFormat.E5M2.encode(1e9, Rounding.RNE, Overflow.IEEE));
    assertEquals(0xFB, FpFormat.E5M2.encode(Double.NEGATIVE_INFINITY, Rounding.RNE, Overflow.SATFINITE));
    // FP16 max 65504 = 0x7BFF; BF16 max = 0x7F7F.
    assertEquals(0x7BFF, FpFormat.FP16.encode(70000.0, Rounding.RNE, Overflow.SATFINITE));
    assertEquals(0x7F7F, FpFormat.BF16.encode(Double.POSITIVE_INFINITY, Rounding.RNE, Overflow.SATFINITE));
    // E2M1 max 6 = 0.11.1 = 0x7, -6 = 0xF; E2M3 max 7.5 = 0x1F; E3M2 max 28 = 0x1F.
    assertEquals(0x7, FpFormat.E2M1.encode(Double.POSITIVE_INFINITY, Rounding.RNE, Overflow.IEEE));
    assertEquals(0xF, FpFormat.E2M1.encode(-7.0, Rounding.RNE, Overflow.IEEE));
    assertEquals(0x1F, FpFormat.E2M3.encode(8.0, Rounding.RNE, Overflow.IEEE));
    assertEquals(0x3F, FpFormat.E3M2.encode(-1000.0, Rounding.RNE, Overflow.IEEE));
  }
}

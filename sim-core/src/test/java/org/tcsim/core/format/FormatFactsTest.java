package org.tcsim.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Published facts about each format, asserted one by one. Sources: the table of
 * docs/hardware-facts.md, Number formats (OCP OFP8
 * rev. 1.0, OCP MX v1.0, ml_dtypes) for the 8/6/4-bit formats; IEEE 754-2019 Table 3.5 for binary16
 * and binary32; Java's {@link Float} constants for FP32; bfloat16 and TF32 share FP32's exponent
 * range (8 bits, bias 127) with 7 and 10 stored mantissa bits (NVIDIA A100 whitepaper for TF32).
 */
class FormatFactsTest {

  static Stream<Arguments> facts() {
    return Stream.of(
        // format, width, exponent bits, mantissa bits, bias, max finite, min normal, min subnormal
        Arguments.of(FpFormat.E4M3, 8, 4, 3, 7, 448.0, 0x1p-6, 0x1p-9),
        Arguments.of(FpFormat.E5M2, 8, 5, 2, 15, 57344.0, 0x1p-14, 0x1p-16),
        // E8M0: value 2^(e-127), e = 0..254; no subnormals, so the smallest value is 2^-127.
        Arguments.of(FpFormat.E8M0, 8, 8, 0, 127, 0x1p127, 0x1p-127, 0x1p-127),
        // UE4M3: unsigned E4M3, 7 bits.
        Arguments.of(FpFormat.UE4M3, 7, 4, 3, 7, 448.0, 0x1p-6, 0x1p-9),
        Arguments.of(FpFormat.E2M3, 6, 2, 3, 1, 7.5, 1.0, 0.125),
        Arguments.of(FpFormat.E3M2, 6, 3, 2, 3, 28.0, 0.25, 0.0625),
        Arguments.of(FpFormat.E2M1, 4, 2, 1, 1, 6.0, 1.0, 0.5),
        Arguments.of(FpFormat.FP16, 16, 5, 10, 15, 65504.0, 0x1p-14, 0x1p-24),
        Arguments.of(FpFormat.BF16, 16, 8, 7, 127, 0x1.fep127, 0x1p-126, 0x1p-133),
        Arguments.of(FpFormat.TF32, 19, 8, 10, 127, 0x1.ffcp127, 0x1p-126, 0x1p-136),
        Arguments.of(FpFormat.FP32, 32, 8, 23, 127, (double) Float.MAX_VALUE,
            (double) Float.MIN_NORMAL, (double) Float.MIN_VALUE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("facts")
  void layoutAndRangeMatchThePublishedNumbers(FpFormat f, int width, int exponentBits,
      int mantissaBits, int bias, double maxFinite, double minNormal, double minSubnormal) {
    assertEquals(width, f.width(), "width");
    assertEquals(exponentBits, f.exponentBits(), "exponent bits");
    assertEquals(mantissaBits, f.mantissaBits(), "mantissa bits");
    assertEquals(bias, f.bias(), "bias");
    assertEquals(maxFinite, f.maxFinite(), "max finite");
    assertEquals(maxFinite, f.decode(f.maxFiniteCode()), "value of the max finite code");
    assertEquals(minNormal, f.minNormal(), "min normal");
    assertEquals(minSubnormal, f.minSubnormal(), "min subnormal");
    // The exact reference computes these from the layout alone: it must agree too.
    assertEquals(0, ExactRounding.maxFinite(f).compareTo(new java.math.BigDecimal(maxFinite)),
        "reference max finite");
  }

  @Test
  void e2m1HasExactlyThePublishedValues() {
    // OCP MX v1.0, E2M1: values 0, .5, 1, 1.5, 2, 3, 4, 6 (and their negatives).
    double[] expected = {0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0, -0.5, -1, -1.5, -2, -3, -4, -6};
    double[] actual = new double[16];
    for (int c = 0; c < 16; c++) {
      actual[c] = FpFormat.E2M1.decode(c);
    }
    assertArrayEquals(expected, actual);
  }

  @Test
  void specialCodesAreWhereTheSpecificationsPutThem() {
    // OFP8: E4M3 NaN = S.1111.111, no Inf; E5M2 IEEE-style Inf = S.11111.00.
    assertEquals(0x7F, FpFormat.E4M3.canonicalNaN());
    assertEquals(FpClass.NAN, FpFormat.E4M3.classify(0xFF));
    assertEquals(FpClass.NORMAL, FpFormat.E4M3.classify(0x7E));
    assertEquals(0x7C, FpFormat.E5M2.infinityCode());
    assertEquals(Double.NEGATIVE_INFINITY, FpFormat.E5M2.decode(0xFC));
    // MX E8M0: 0xFF = NaN, 0x7F = 2^0.
    assertEquals(FpClass.NAN, FpFormat.E8M0.classify(0xFF));
    assertEquals(1.0, FpFormat.E8M0.decode(0x7F));
    // IEEE binary16: 0x7C00 = +Inf, 0x3C00 = 1.
    assertEquals(Double.POSITIVE_INFINITY, FpFormat.FP16.decode(0x7C00));
    assertEquals(1.0, FpFormat.FP16.decode(0x3C00));
    // bfloat16 is the top half of binary32: 0x3F80 = 1, 0xC000 = -2.
    assertEquals(1.0, FpFormat.BF16.decode(0x3F80));
    assertEquals(-2.0, FpFormat.BF16.decode(0xC000));
    // TF32 in its FP32 container: the bits of 1.0f.
    assertEquals(1.0, FpFormat.TF32.decode(FpFormat.TF32.fromContainer(0x3F800000L)));
  }
}

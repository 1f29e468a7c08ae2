package org.tcsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.core.format.FpFormat;

class CodeDistanceTest {

  @Test
  void neighboursAreOneUlpApart() {
    assertEquals(1, CodeDistance.of(FpFormat.BF16, 0x3f80, 0x3f81)); // 1.0 and 1.0078125
    assertEquals(1, CodeDistance.of(FpFormat.FP16, 0x3bff, 0x3c00)); // across a binade
    assertEquals(1, CodeDistance.of(FpFormat.FP16, 0x7bff, 0x7c00)); // 65504 to +Inf
    assertEquals(1, CodeDistance.of(FpFormat.E4M3, 0x00, 0x01)); // 0 to the smallest subnormal
  }

  @Test
  void zerosAreOneValueAndSignsAreMirrored() {
    assertEquals(0, CodeDistance.of(FpFormat.FP16, 0x0000, 0x8000));
    assertEquals(2, CodeDistance.of(FpFormat.FP16, 0x0001, 0x8001));
    assertEquals(0x7f80L * 2, CodeDistance.of(FpFormat.BF16, 0x3f80 + 0x4000, 0xbf80 + 0x4000));
    assertEquals(0x7f800000L * 2, CodeDistance.of(FpFormat.FP32, 0x7f800000, 0xff800000));
  }

  @Test
  void nanHasNoDistanceUnlessTheBitsAreEqual() {
    assertEquals(CodeDistance.NOT_COMPARABLE, CodeDistance.of(FpFormat.E4M3, 0x7f, 0x7e));
    assertEquals(0, CodeDistance.of(FpFormat.E4M3, 0x7f, 0x7f));
    assertEquals(UlpBins.DISTANCE_LABELS.size() - 1,
        GoldenComparison.bin(CodeDistance.NOT_COMPARABLE));
  }
}

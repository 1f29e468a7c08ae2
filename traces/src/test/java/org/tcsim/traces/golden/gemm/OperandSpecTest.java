package org.tcsim.traces.golden.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;

class OperandSpecTest {

  @Test
  void splitMix64MatchesThePublishedReferenceOutput() {
    // Reference splitmix64.c (Vigna) seeded with 0: first outputs as published with the
    // xoroshiro family's test vectors.
    SplitMix64 r = new SplitMix64(0);
    assertEquals(0xe220a8397b1dcdafL, r.next());
    assertEquals(0x6e789e6aa1b965f4L, r.next());
    assertEquals(0x06c45d188009454fL, r.next());
  }

  @Test
  void textRoundTrips() {
    OperandSpec s = OperandSpec.outlier(0xdeadbeefL, -4, 2, 5);
    assertEquals("splitmix64:seed=0xdeadbeef:dist=outlier:elo=-4:ehi=2:sign=mixed:permille=5",
        s.text());
    assertEquals(s, OperandSpec.parse(s.text()));
    assertThrows(IllegalArgumentException.class, () -> OperandSpec.parse("mt19937:seed=0x1:dist=ones"));
    assertThrows(IllegalArgumentException.class, () -> OperandSpec.parse("splitmix64:seed=0x1:dist=gauss"));
  }

  @Test
  void distributionsKeepTheirPromises() {
    FpFormat f = FpFormat.E4M3;
    for (int code : OperandSpec.of(1, "ones").generate(f, 4, 32)) {
      assertEquals(0x38, code); // 1.0 in E4M3
    }
    for (int code : OperandSpec.of(2, "subnormal").generate(f, 8, 64)) {
      assertTrue(f.exponentField(code) <= 2);
    }
    int[] pos = OperandSpec.uniform(3, -6, 2, true).generate(f, 8, 64);
    for (int code : pos) {
      assertTrue(!f.isNegative(code) && f.classify(code) != FpClass.NAN);
      int e = f.exponentField(code) - f.bias();
      assertTrue(e >= -6 && e <= 2, "exponent " + e);
    }
    int[] carry = OperandSpec.of(4, "carry").generate(f, 4, 64);
    for (int i = 0; i < carry.length; i++) {
      double v = f.decode(carry[i]);
      assertTrue(i % 32 == 0 ? v >= 8 : v < 0.1, "element " + i + " = " + v);
    }
    int[] cancel = OperandSpec.of(5, "cancel").generate(f, 2, 64);
    for (int r = 0; r < 2; r++) {
      double sum = 0;
      double residual = 0;
      for (int c = 0; c < 64; c++) {
        sum += f.decode(cancel[r * 64 + c]);
        if (c % 32 == 31) {
          residual += f.decode(cancel[r * 64 + c]);
        }
      }
      assertEquals(residual, sum, 0.0); // the pairs cancel exactly
    }
    int maxes = 0;
    for (int code : OperandSpec.outlier(6, -4, 2, 100).generate(f, 16, 64)) {
      maxes += Math.abs(f.decode(code)) == 448 ? 1 : 0;
    }
    assertTrue(maxes > 40 && maxes < 170, "about 10% of 1024 should be +-448, got " + maxes);
    for (int code : OperandSpec.of(7, "allcodes").generate(FpFormat.E5M2, 16, 64)) {
      FpClass c = FpFormat.E5M2.classify(code);
      assertTrue(c != FpClass.NAN && c != FpClass.INFINITE);
    }
  }

  @Test
  void sameSeedSameCodesOtherSeedOtherCodes() {
    OperandSpec s = OperandSpec.uniform(42, -4, 4, false);
    assertArrayEquals(s.generate(FpFormat.E4M3, 16, 32), s.generate(FpFormat.E4M3, 16, 32));
    int[] other = OperandSpec.uniform(43, -4, 4, false).generate(FpFormat.E4M3, 16, 32);
    assertTrue(!java.util.Arrays.equals(other, s.generate(FpFormat.E4M3, 16, 32)));
  }
}

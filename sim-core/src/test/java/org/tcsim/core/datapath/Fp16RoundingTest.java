package org.tcsim.core.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/** The FP16 rounding stages in double arithmetic against FpFormat.FP16's encoder. */
class Fp16RoundingTest {

  private static final FpFormat H = FpFormat.FP16;

  @Property(tries = 3000)
  void nearestIsTheFp16Rounding(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < 100; i++) {
      // 11-bit significands with a tail that makes ties, near-ties or anything; exponents from
      // below the subnormals to above FP16's largest value.
      long m11 = (1L << 10) | r.nextLong(1L << 10);
      long low = switch (r.nextInt(4)) {
        case 0 -> 1L << 29;
        case 1 -> (1L << 29) + (r.nextBoolean() ? 1 : -1);
        case 2 -> 0;
        default -> r.nextLong(1L << 30);
      };
      int e = -30 + r.nextInt(48) - 40;
      double x = Math.scalb((double) ((m11 << 30) | low), e);
      double signed = r.nextBoolean() ? -x : x;
      int code = H.encode(signed, Rounding.RNE, Overflow.IEEE);
      double got = Fp16Rounding.nearest(signed);
      if (H.classify(code) == FpClass.INFINITE) {
        assertEquals(true, Math.abs(got) >= 65536, () -> Double.toHexString(signed));
      } else if (H.classify(code) == FpClass.ZERO) {
        // An underflow to zero loses its sign here; the kernels redo such steps.
        assertEquals(0.0, Math.abs(got), () -> Double.toHexString(signed));
      } else {
        assertEquals(Double.doubleToRawLongBits(H.decode(code)), Double.doubleToRawLongBits(got),
            () -> Double.toHexString(signed));
      }
    }
  }

  @Property(tries = 3000)
  void nearestOnGridIsTheFp16RoundingOfMultiplesOfTheSmallestSubnormal(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < 100; i++) {
      // n * 2^-24 for n of 1 to 41 bits (below the subnormals' top to beyond FP16's largest),
      // its low bits making ties, near-ties or anything.
      int bits = 1 + r.nextInt(41);
      long n = (1L << (bits - 1)) | r.nextLong(1L << (bits - 1));
      int tail = Math.max(0, bits - 11);
      if (tail > 0) {
        long half = 1L << (tail - 1);
        long low = switch (r.nextInt(4)) {
          case 0 -> half;
          case 1 -> half + (r.nextBoolean() ? 1 : -1);
          case 2 -> 0;
          default -> r.nextLong(1L << tail);
        };
        n = (n >>> tail << tail) | (low & ((1L << tail) - 1));
      }
      double x = Math.scalb((double) n, -24);
      double signed = r.nextBoolean() ? -x : x;
      int code = H.encode(signed, Rounding.RNE, Overflow.IEEE);
      double got = Fp16Rounding.nearestOnGrid(signed);
      if (H.classify(code) == FpClass.INFINITE) {
        assertEquals(true, Math.abs(got) >= 65536, () -> Double.toHexString(signed));
      } else {
        assertEquals(Double.doubleToRawLongBits(H.decode(code)), Double.doubleToRawLongBits(got),
            () -> Double.toHexString(signed));
      }
    }
    assertEquals(0L, Double.doubleToRawLongBits(Fp16Rounding.nearestOnGrid(-0.0)));
  }

  @Test
  void leadPowerOfEveryFp16Value() {
    for (int code = 0; code < 0x7C00; code++) {
      double v = H.decode(code);
      double want = code == 0 ? 0 : Math.scalb(1.0, H.scaleExponent(code) + H.mantissaBits());
      assertEquals(want, Fp16Rounding.leadPower(v), H.hex(code));
      assertEquals(want, Fp16Rounding.leadPower(-v), H.hex(code));
    }
  }
}

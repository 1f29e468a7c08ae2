package org.tcsim.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every value of a format is representable in it, so decoding a code and encoding the value again
 * must give the code back under every rounding direction and both overflow conventions; and the
 * class a code reports must agree with the value it decodes to. Exhaustive for every format of up
 * to 19 bits (TF32 included), a large random sample for FP32.
 */
class RoundTripTest {

  private static final Rounding[] ROUNDINGS = Rounding.values();

  /** Checks one code; returns a failure description or null. */
  private static String check(FpFormat f, int code) {
    double v = f.decode(code);
    FpClass c = f.classify(code);
    // The class agrees with the value.
    FpClass fromValue;
    if (Double.isNaN(v)) {
      fromValue = FpClass.NAN;
    } else if (Double.isInfinite(v)) {
      fromValue = FpClass.INFINITE;
    } else if (v == 0.0) {
      fromValue = FpClass.ZERO;
    } else if (Math.abs(v) < f.minNormal()) {
      fromValue = FpClass.SUBNORMAL;
    } else {
      fromValue = FpClass.NORMAL;
    }
    if (c != fromValue) {
      return f + " " + f.hex(code) + ": class " + c + " but value " + v;
    }
    for (Overflow o : Overflow.values()) {
      for (Rounding r : ROUNDINGS) {
        int back = f.encode(v, r, o);
        boolean ok;
        if (c == FpClass.NAN) {
          ok = f.isNaN(back) && f.isNegative(back) == f.isNegative(code);
        } else if (c == FpClass.INFINITE && o == Overflow.SATFINITE) {
          // .satfinite clamps infinities to max finite of the same sign.
          ok = back == ((code & f.signMask()) | f.maxFiniteCode());
        } else {
          ok = back == code;
        }
        if (!ok) {
          return f + " " + f.hex(code) + " (" + v + ") " + r + "/" + o + " -> " + f.hex(back);
        }
      }
    }
    return null;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = FpFormat.class, names = {"E4M3", "E5M2", "E8M0", "UE4M3", "E2M3", "E3M2",
      "E2M1", "FP16", "BF16", "TF32"})
  void everyCodeRoundTrips(FpFormat f) {
    List<String> failures = new ArrayList<>();
    int nanCodes = 0;
    for (int code = 0; code < (int) f.codeCount(); code++) {
      String failure = check(f, code);
      if (failure != null && failures.size() < 10) {
        failures.add(failure);
      }
      if (f.isNaN(code)) {
        nanCodes++;
      }
    }
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    // Sanity of the sweep itself: the NaN codes the specifications define were all visited.
    int expectedNaNs = switch (f.specials()) {
      case IEEE -> 2 * ((1 << f.mantissaBits()) - 1);
      case FN, FNU -> f.signed() ? 2 : 1;
      case NONE -> 0;
    };
    assertEquals(expectedNaNs, nanCodes, "NaN codes seen");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = FpFormat.class, names = {"FP32"})
  void randomCodesRoundTrip(FpFormat f) {
    SplittableRandom random = new SplittableRandom(20261128L);
    List<String> failures = new ArrayList<>();
    // Every boundary of the binades and classes, then a large random sample.
    int[] boundaries = {0x00000000, 0x00000001, 0x007FFFFF, 0x00800000, 0x3F800000, 0x7F7FFFFF,
        0x7F800000, 0x7F800001, 0x7FC00000, 0x7FFFFFFF};
    for (int b : boundaries) {
      for (int sign : new int[] {0, 0x80000000}) {
        String failure = check(f, f.fromContainer((b | sign) & 0xFFFFFFFFL));
        if (failure != null) {
          failures.add(failure);
        }
      }
    }
    for (int i = 0; i < 1_000_000 && failures.size() < 10; i++) {
      String failure = check(f, f.fromContainer(random.nextInt() & 0xFFFFFFFFL));
      if (failure != null) {
        failures.add(failure);
      }
    }
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
  }
}

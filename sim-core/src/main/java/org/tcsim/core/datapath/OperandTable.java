package org.tcsim.core.datapath;

import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;

/**
 * What the datapath needs to know of each code of one operand format, looked up rather than
 * recomputed for every product: class, integer significand, the exponent of its last bit (lsb) and
 * the exponent used for alignment (lead: the exponent of the leading bit position, which for a
 * subnormal is the format's minimum exponent, as the hardware's exponent field says).
 */
final class OperandTable {
  static final byte ZERO = 0;
  static final byte FINITE = 1;
  static final byte INFINITE = 2;
  static final byte NAN = 3;

  private final FpFormat format;
  private final byte[] kind;
  private final int[] significand;
  private final int[] lsbExponent;

  OperandTable(FpFormat format, SubnormalMode subnormals) {
    this.format = format;
    int n = (int) format.codeCount();
    kind = new byte[n];
    significand = new int[n];
    lsbExponent = new int[n];
    for (int code = 0; code < n; code++) {
      FpClass c = format.classify(code);
      boolean flushed = c == FpClass.SUBNORMAL && subnormals == SubnormalMode.FLUSH_TO_ZERO;
      kind[code] = switch (c) {
        case ZERO -> ZERO;
        case SUBNORMAL -> flushed ? ZERO : FINITE;
        case NORMAL -> FINITE;
        case INFINITE -> INFINITE;
        case NAN -> NAN;
      };
      if (kind[code] == FINITE) {
        significand[code] = format.significand(code);
        lsbExponent[code] = format.scaleExponent(code);
      }
    }
  }

  FpFormat format() {
    return format;
  }

  byte kind(int code) {
    return kind[code];
  }

  int significand(int code) {
    return significand[code];
  }

  int lsbExponent(int code) {
    return lsbExponent[code];
  }

  /** Exponent of the leading bit position: lsb + mantissa bits (the minimum exponent for subnormals). */
  int leadExponent(int code) {
    return lsbExponent[code] + format.mantissaBits();
  }

  boolean negative(int code) {
    return (code & format.signMask()) != 0;
  }
}

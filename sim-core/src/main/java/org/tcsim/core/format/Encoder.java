package org.tcsim.core.format;

/**
 * Rounds an exact value to a format's code, once.
 *
 * <p>The value arrives as a scaled integer ±magnitude * 2^exponent (a double is taken apart into
 * one exactly), so that every source width is rounded directly, never through an intermediate
 * format. Rounding happens in the code domain: positive codes are ordered like their values and
 * consecutive, so "round up" is "code + 1", a mantissa carry moves into the exponent by itself, and
 * ties-to-even looks at the code's last bit (which for E8M0, with no mantissa bits, is the exponent's
 * last bit, as ml_dtypes rounds it).
 */
final class Encoder {

  private Encoder() {}

  static int encode(FpFormat f, double value, Rounding rounding, Overflow overflow,
      long randomBits, boolean stochastic) {
    boolean negative = (Double.doubleToRawLongBits(value) < 0);
    if (Double.isNaN(value)) {
      if (!f.hasNaN()) {
        throw new IllegalArgumentException("NaN has no encoding in " + f.shortName()
            + " (the format has no NaN code)");
      }
      return (negative ? f.signMask() : 0) | f.canonicalNaN();
    }
    if (Double.isInfinite(value)) {
      if (negative && !f.signed()) {
        return unsignedNegative(f, overflow);
      }
      int sign = negative ? f.signMask() : 0;
      if (overflow == Overflow.SATFINITE || f.specials() == Specials.NONE) {
        return sign | f.maxFiniteCode();
      }
      return sign | (f.hasInfinity() ? f.infinityCode() : f.canonicalNaN());
    }
    long bits = Double.doubleToRawLongBits(value);
    int field = (int) ((bits >>> 52) & 0x7FF);
    long fraction = bits & ((1L << 52) - 1);
    long magnitude = field == 0 ? fraction : fraction | (1L << 52);
    int exponent = (field == 0 ? 1 : field) - 1075;
    return encodeScaled(f, negative, magnitude, exponent, false, rounding, overflow, randomBits,
        stochastic);
  }

  static int encodeScaled(FpFormat f, boolean negative, long magnitude, int exponent,
      boolean sticky, Rounding rounding, Overflow overflow, long randomBits, boolean stochastic) {
    if (magnitude < 0) {
      throw new IllegalArgumentException("magnitude must be non-negative: " + magnitude);
    }
    if (magnitude == 0 && !sticky) {
      return zero(f, negative, overflow);
    }
    if (negative && !f.signed()) {
      return unsignedNegative(f, overflow);
    }
    final int m = f.mantissaBits();
    final int emin = f.minExponent();
    // Unbiased exponent of the value's leading bit (only the sticky bits: far below everything).
    int lead = magnitude == 0 ? Integer.MIN_VALUE / 4 : exponent + 63 - Long.numberOfLeadingZeros(magnitude);
    if (lead > f.maxExponent() + 1) {
      // Far beyond the largest binade: overflow whatever the rounding (avoids shift overflow below).
      return overflowResult(f, negative, rounding, overflow, stochastic);
    }
    int quantumExponent = Math.max(lead, emin) - m;
    int shift = quantumExponent - exponent;
    long q;
    boolean half;
    boolean rest;
    long fraction32; // the discarded part as a 32-bit binary fraction of one quantum
    if (shift <= 0) {
      if (sticky) {
        throw new IllegalArgumentException(
            "sticky bits need the magnitude to reach below the target's rounding bit");
      }
      q = magnitude << -shift;
      half = false;
      rest = false;
      fraction32 = 0;
    } else if (shift >= 64) {
      q = 0;
      half = false; // magnitude < 2^63, so its bit 63 (the half bit for shift 64) is clear
      rest = magnitude != 0 || sticky;
      fraction32 = shift - 32 >= 64 ? 0 : magnitude >>> (shift - 32);
    } else {
      q = magnitude >>> shift;
      half = ((magnitude >>> (shift - 1)) & 1L) != 0;
      rest = (magnitude & ((1L << (shift - 1)) - 1)) != 0 || sticky;
      long discarded = magnitude & ((1L << shift) - 1);
      fraction32 = shift >= 32 ? discarded >>> (shift - 32) : discarded << (32 - shift);
    }
    // Magnitude code of the truncated value; -1 stands for "zero" in E8M0, which has no zero.
    long code = ((long) (Math.max(lead, emin) - emin) << m) + q - (f.hasSubnormals() ? 0 : 1L << m);
    boolean up;
    if (stochastic) {
      up = fraction32 + randomBits >= (1L << 32);
    } else {
      up = RoundingDecision.roundsUp(rounding, negative, (code & 1L) == 1L, half, rest);
    }
    if (up) {
      code++;
    }
    if (code < 0) {
      // E8M0 has no zero: an underflow gives the smallest scale, 2^-127.
      return 0;
    }
    if (code > f.maxFiniteCode()) {
      return overflowResult(f, negative, rounding, overflow, stochastic);
    }
    return (negative ? f.signMask() : 0) | (int) code;
  }

  private static int overflowResult(FpFormat f, boolean negative, Rounding rounding,
      Overflow overflow, boolean stochastic) {
    int sign = negative ? f.signMask() : 0;
    if (overflow == Overflow.SATFINITE || f.specials() == Specials.NONE) {
      return sign | f.maxFiniteCode();
    }
    // IEEE 754-2019 §7.4: nearest and away-from-overflow directed roundings give infinity,
    // the others the largest finite number.
    boolean toInfinity = stochastic || switch (rounding) {
      case RNE -> true;
      case RZ -> false;
      case RU -> !negative;
      case RD -> negative;
    };
    if (!toInfinity) {
      return sign | f.maxFiniteCode();
    }
    return sign | (f.hasInfinity() ? f.infinityCode() : f.canonicalNaN());
  }

  private static int zero(FpFormat f, boolean negative, Overflow overflow) {
    if (f.specials() == Specials.FNU) {
      // E8M0 has no zero: NaN under the ml_dtypes convention, the smallest scale when saturating.
      return overflow == Overflow.SATFINITE ? 0 : f.canonicalNaN();
    }
    return negative ? f.signMask() : 0;
  }

  /** A negative value for an unsigned format: NaN, or the smallest code when saturating. */
  private static int unsignedNegative(FpFormat f, Overflow overflow) {
    return overflow == Overflow.SATFINITE ? 0 : f.canonicalNaN();
  }
}

package org.tcsim.core.exact;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * An exact binary rational: mantissa * 2^exponent, with an arbitrary-precision mantissa. Every
 * finite value of every format, every product of two and every sum is one of these, so the exact
 * reference computes in them without any rounding at all.
 */
public record Dyadic(BigInteger mantissa, int exponent) implements Comparable<Dyadic> {

  public static final Dyadic ZERO = new Dyadic(BigInteger.ZERO, 0);

  public Dyadic {
    Objects.requireNonNull(mantissa, "mantissa");
  }

  /** The exact value of a finite code. */
  public static Dyadic of(FpFormat format, int code) {
    FpClass c = format.classify(code);
    if (!c.isFinite()) {
      throw new IllegalArgumentException(format + " code " + format.hex(code) + " is " + c);
    }
    if (c == FpClass.ZERO) {
      return ZERO;
    }
    BigInteger m = BigInteger.valueOf(format.significand(code));
    return new Dyadic(format.isNegative(code) ? m.negate() : m, format.scaleExponent(code));
  }

  /** The exact value of a finite double. */
  public static Dyadic of(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not finite: " + value);
    }
    if (value == 0) {
      return ZERO;
    }
    long bits = Double.doubleToRawLongBits(value);
    int field = (int) ((bits >>> 52) & 0x7FF);
    long fraction = bits & ((1L << 52) - 1);
    long magnitude = field == 0 ? fraction : fraction | (1L << 52);
    BigInteger m = BigInteger.valueOf(value < 0 ? -magnitude : magnitude);
    return new Dyadic(m, (field == 0 ? 1 : field) - 1075);
  }

  public int signum() {
    return mantissa.signum();
  }

  public Dyadic negate() {
    return new Dyadic(mantissa.negate(), exponent);
  }

  public Dyadic abs() {
    return signum() < 0 ? negate() : this;
  }

  public Dyadic multiply(Dyadic other) {
    return new Dyadic(mantissa.multiply(other.mantissa), exponent + other.exponent);
  }

  public Dyadic add(Dyadic other) {
    if (other.signum() == 0) {
      return this;
    }
    if (signum() == 0) {
      return other;
    }
    int e = Math.min(exponent, other.exponent);
    BigInteger sum = mantissa.shiftLeft(exponent - e).add(other.mantissa.shiftLeft(other.exponent - e));
    return new Dyadic(sum, e);
  }

  public Dyadic subtract(Dyadic other) {
    return add(other.negate());
  }

  /** The exponent of the leading bit: floor(log2 |this|). Undefined for zero. */
  public int leadExponent() {
    if (signum() == 0) {
      throw new ArithmeticException("zero has no leading bit");
    }
    return exponent + mantissa.abs().bitLength() - 1;
  }

  public BigDecimal toBigDecimal() {
    BigDecimal m = new BigDecimal(mantissa);
    return exponent >= 0 ? m.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)))
        : m.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-exponent)));
  }

  /**
   * The nearest double. The top 55 bits are kept with the rest folded into a sticky last bit
   * (round to odd), so the conversion to double rounds once; only results in double's subnormal
   * range can round twice, far below anything a tensor core produces.
   */
  public double toDouble() {
    if (signum() == 0) {
      return 0.0;
    }
    BigInteger magnitude = mantissa.abs();
    int drop = Math.max(0, magnitude.bitLength() - 55);
    long kept = magnitude.shiftRight(drop).longValueExact();
    if (drop > 0 && magnitude.getLowestSetBit() < drop) {
      kept |= 1;
    }
    double d = Math.scalb((double) kept, exponent + drop);
    return signum() < 0 ? -d : d;
  }

  /** Rounds this exact value once to a format's code. */
  public int roundTo(FpFormat format, Rounding rounding, Overflow overflow) {
    if (signum() == 0) {
      return format.encode(0.0, rounding, overflow);
    }
    BigInteger magnitude = mantissa.abs();
    int drop = Math.max(0, magnitude.bitLength() - 62);
    boolean sticky = drop > 0 && magnitude.getLowestSetBit() < drop;
    long kept = magnitude.shiftRight(drop).longValueExact();
    int e = exponent + drop;
    return format.encodeScaled(signum() < 0, kept, e, sticky, rounding, overflow);
  }

  @Override
  public int compareTo(Dyadic other) {
    return subtract(other).signum();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dyadic d && compareTo(d) == 0;
  }

  @Override
  public int hashCode() {
    if (signum() == 0) {
      return 0;
    }
    int shift = mantissa.getLowestSetBit();
    return mantissa.shiftRight(shift).hashCode() * 31 + (exponent + shift);
  }

  @Override
  public String toString() {
    return toBigDecimal().toPlainString();
  }
}

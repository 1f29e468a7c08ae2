package org.tcsim.core.exact;

import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * The exact result of a dot product: a finite {@link Dyadic}, or NaN, or an infinity.
 *
 * @param kind ZERO or NORMAL for finite results (NORMAL standing for any non-zero value), NAN or
 *     INFINITE otherwise
 * @param negative the sign of an infinity
 * @param value the exact value when finite, else null
 */
public record ExactResult(FpClass kind, boolean negative, Dyadic value) {

  public static ExactResult finite(Dyadic value) {
    return new ExactResult(value.signum() == 0 ? FpClass.ZERO : FpClass.NORMAL, value.signum() < 0,
        value);
  }

  public static ExactResult nan() {
    return new ExactResult(FpClass.NAN, false, null);
  }

  public static ExactResult infinity(boolean negative) {
    return new ExactResult(FpClass.INFINITE, negative, null);
  }

  public boolean isFinite() {
    return value != null;
  }

  /** The correctly rounded result in a format (the answer an ideal tensor core would give). */
  public int roundTo(FpFormat format, Rounding rounding) {
    return switch (kind) {
      case NAN -> format.canonicalNaN();
      case INFINITE -> (negative ? format.signMask() : 0) | format.infinityCode();
      default -> value.roundTo(format, rounding, Overflow.IEEE);
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NAN -> "NaN";
      case INFINITE -> negative ? "-Inf" : "+Inf";
      default -> value.toString();
    };
  }
}

package org.tcsim.core.exact;

import java.math.BigDecimal;
import java.math.MathContext;
import org.tcsim.core.format.FpFormat;

/**
 * Errors of a computed code against an exact value: in units in the last place of the format at
 * the exact value, and relative. Both are exact rationals converted to double at the end.
 */
public final class ErrorMetrics {
  private ErrorMetrics() {}

  /**
   * (computed - exact) / ulp(exact), where ulp is the spacing of the format's numbers in the binade
   * of the exact value (the subnormal spacing below the smallest normal). Signed; NaN when either
   * side is not finite.
   */
  public static double ulpError(FpFormat format, int code, ExactResult exact) {
    if (!exact.isFinite() || !format.classify(code).isFinite()) {
      return Double.NaN;
    }
    Dyadic computed = Dyadic.of(format, code);
    Dyadic diff = computed.subtract(exact.value());
    if (diff.signum() == 0) {
      return 0.0;
    }
    int binade = exact.value().signum() == 0 ? format.minExponent()
        : Math.max(exact.value().leadExponent(), format.minExponent());
    int ulpExponent = binade - format.mantissaBits();
    return new Dyadic(diff.mantissa(), diff.exponent() - ulpExponent).toDouble();
  }

  /** |computed - exact| / |exact|; 0 when both are zero, +Inf when only the exact one is. */
  public static double relativeError(FpFormat format, int code, ExactResult exact) {
    if (!exact.isFinite() || !format.classify(code).isFinite()) {
      return Double.NaN;
    }
    Dyadic diff = Dyadic.of(format, code).subtract(exact.value()).abs();
    if (exact.value().signum() == 0) {
      return diff.signum() == 0 ? 0.0 : Double.POSITIVE_INFINITY;
    }
    BigDecimal ratio = diff.toBigDecimal().divide(exact.value().abs().toBigDecimal(),
        MathContext.DECIMAL64);
    return ratio.doubleValue();
  }
}

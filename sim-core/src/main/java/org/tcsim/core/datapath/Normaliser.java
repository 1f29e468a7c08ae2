package org.tcsim.core.datapath;

import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.format.RoundingDecision;

/**
 * The normalise-and-round stage of the datapath (SoftFloat's {@code normRoundPack}): a signed
 * integer sum times a power of two, normalised once and rounded once to a number of mantissa bits
 * in the output format's exponent range, with the datapath's rules for subnormal results and
 * overflow. Immutable.
 */
final class Normaliser {
  private final FpFormat out;
  private final SubnormalMode outputSubnormals;
  private final boolean overflowToInfinity;

  Normaliser(FpFormat out, SubnormalMode outputSubnormals, boolean overflowToInfinity) {
    this.out = out;
    this.outputSubnormals = outputSubnormals;
    this.overflowToInfinity = overflowToInfinity;
  }

  /**
   * ±magnitude * 2^exponent (plus sticky bits below it, when {@code sticky}) rounded once to
   * {@code keptBits} mantissa bits with {@code rounding}, as a code of the output format; an exact
   * zero is +0 (the published model). Tells {@code report}, when not null, whether anything was
   * dropped and the value's sign.
   */
  int round(boolean negative, long magnitude, int exponent, boolean sticky, int keptBits,
      Rounding rounding, RoundingReport report) {
    if (magnitude == 0 && !sticky) {
      return 0;
    }
    if (report != null) {
      report.sumNegative = negative;
    }
    int minExponent = out.minExponent();
    int lead = exponent + 63 - Long.numberOfLeadingZeros(magnitude);
    if (outputSubnormals == SubnormalMode.FLUSH_TO_ZERO && lead < minExponent) {
      if (report != null) {
        report.inexact = true;
      }
      return negative ? out.signMask() : 0;
    }
    int quantum = Math.max(lead, minExponent) - keptBits;
    int shift = quantum - exponent;
    long kept;
    int keptExponent;
    if (shift > 0) {
      kept = RoundingDecision.shiftRight(magnitude, shift, sticky, rounding, negative);
      keptExponent = quantum;
      if (report != null) {
        report.inexact = sticky || shift >= 64 || (magnitude & ((1L << shift) - 1)) != 0;
      }
    } else {
      kept = magnitude;
      keptExponent = exponent;
      if (report != null) {
        report.inexact = sticky;
      }
    }
    // The kept value is exactly representable in the output format unless it overflows.
    Rounding overflowRule = overflowToInfinity ? Rounding.RNE : rounding;
    int code = out.encodeScaled(negative, kept, keptExponent, false, overflowRule, Overflow.IEEE);
    if (outputSubnormals == SubnormalMode.FLUSH_TO_ZERO
        && out.classify(code) == FpClass.SUBNORMAL) {
      return negative ? out.signMask() : 0;
    }
    return code;
  }
}

package org.tcsim.core.exact;

import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;

/**
 * The exact reference: sum_k a[k]*b[k] + c with no rounding at all (IEEE special-value rules for
 * NaN and infinities). Slow by design; it is the yardstick every datapath result is measured against.
 */
public final class ExactDot {
  private ExactDot() {}

  public static ExactResult dot(FpFormat aFormat, int[] a, FpFormat bFormat, int[] b, int k,
      FpFormat cFormat, int c) {
    if (a.length < k || b.length < k) {
      throw new IllegalArgumentException("operands shorter than k=" + k);
    }
    boolean nan = false;
    boolean posInf = false;
    boolean negInf = false;
    Dyadic sum = Dyadic.ZERO;
    for (int i = 0; i < k; i++) {
      FpClass ca = aFormat.classify(a[i]);
      FpClass cb = bFormat.classify(b[i]);
      if (ca == FpClass.NAN || cb == FpClass.NAN) {
        nan = true;
      } else if (ca == FpClass.INFINITE || cb == FpClass.INFINITE) {
        if (ca == FpClass.ZERO || cb == FpClass.ZERO) {
          nan = true;
        } else if (aFormat.isNegative(a[i]) != bFormat.isNegative(b[i])) {
          negInf = true;
        } else {
          posInf = true;
        }
      } else {
        sum = sum.add(Dyadic.of(aFormat, a[i]).multiply(Dyadic.of(bFormat, b[i])));
      }
    }
    FpClass cc = cFormat.classify(c);
    if (cc == FpClass.NAN) {
      nan = true;
    } else if (cc == FpClass.INFINITE) {
      if (cFormat.isNegative(c)) {
        negInf = true;
      } else {
        posInf = true;
      }
    } else {
      sum = sum.add(Dyadic.of(cFormat, c));
    }
    if (nan || (posInf && negInf)) {
      return ExactResult.nan();
    }
    if (posInf || negInf) {
      return ExactResult.infinity(negInf);
    }
    return ExactResult.finite(sum);
  }
}

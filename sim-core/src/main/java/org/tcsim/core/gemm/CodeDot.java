package org.tcsim.core.gemm;

import java.math.BigInteger;
import org.tcsim.core.exact.Dyadic;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;

/**
 * The exact sum of the products of two operands' element codes over a range of K, unscaled, in
 * integer arithmetic: each product is (significand x significand) * 2^(lsb + lsb), placed on the
 * grid of the smallest possible product's last bit in a two-long accumulator (low part in units
 * of the grid, high part in units of 2^48 grid units), so that K products cost K long
 * operations rather than K big-number ones. For the 8-bit formats a product is at most 8 bits
 * shifted by at most 58 places (E5M2 x E5M2), inside the accumulator's 48 + 63 bits.
 */
final class CodeDot {

  private CodeDot() {}

  private static final int LOW_BITS = 48;
  private static final long LOW_MASK = (1L << LOW_BITS) - 1;

  /** Per element format: each code's signed significand (0 for zeros) and last bit's exponent. */
  private record Table(FpFormat format, long[] signed, int[] lsb, boolean[] finite) {
    static Table of(FpFormat f) {
      int n = (int) Math.min(f.codeCount(), 256);
      long[] signed = new long[n];
      int[] lsb = new int[n];
      boolean[] finite = new boolean[n];
      for (int code = 0; code < n; code++) {
        finite[code] = f.classify(code).isFinite();
        if (finite[code]) {
          signed[code] = f.isNegative(code) ? -f.significand(code) : f.significand(code);
          lsb[code] = f.scaleExponent(code);
        }
      }
      return new Table(f, signed, lsb, finite);
    }
  }

  private static final java.util.Map<FpFormat, Table> TABLES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Sum over k in [k0, k1) of value(A code (i, k)) * value(B code (j, k)), exactly. */
  static Dyadic exact(QuantizedTensor a, int i, QuantizedTensor b, int j, int k0, int k1) {
    FpFormat fa = a.elementFormat();
    FpFormat fb = b.elementFormat();
    Table ta = TABLES.computeIfAbsent(fa, Table::of);
    Table tb = TABLES.computeIfAbsent(fb, Table::of);
    int grid = fa.scaleExponent(1) + fb.scaleExponent(1);
    long low = 0;
    long high = 0;
    int pending = 0;
    for (int k = k0; k < k1; k++) {
      int ca = a.kAxis() == KAxis.ALONG_ROWS ? a.code(i, k) : a.code(k, i);
      int cb = b.kAxis() == KAxis.ALONG_ROWS ? b.code(j, k) : b.code(k, j);
      if (!ta.finite[ca] || !tb.finite[cb]) {
        throw new IllegalArgumentException("element codes must be finite: " + fa.hex(ca) + " x "
            + fb.hex(cb) + " at k " + k);
      }
      long sig = ta.signed[ca] * tb.signed[cb];
      if (sig == 0) {
        continue;
      }
      int shift = ta.lsb[ca] + tb.lsb[cb] - grid;
      if (shift < LOW_BITS) {
        low += sig << shift;
      } else {
        high += sig << (shift - LOW_BITS);
      }
      // Carry the low part into the high one before it could overflow (each term is below 2^56).
      if (++pending == 64) {
        high += low >> LOW_BITS;
        low &= LOW_MASK;
        pending = 0;
      }
    }
    BigInteger m = BigInteger.valueOf(high).shiftLeft(LOW_BITS).add(BigInteger.valueOf(low));
    return new Dyadic(m, grid);
  }
}

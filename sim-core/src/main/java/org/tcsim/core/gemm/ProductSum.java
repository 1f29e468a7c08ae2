package org.tcsim.core.gemm;

import org.tcsim.core.format.FpFormat;

/**
 * How the exact-sum kernels hold the exact sum of one step's products in doubles, for a pair of
 * operand formats: every product of two codes is exact in a double (at most 2 x 4 significant
 * bits for the 8-bit formats), and the sum of up to {@code products} of them lies on the grid of
 * the smallest product's last bit, 2^grid, below 2^top. When top - grid &lt;= 53 every partial sum
 * is exact in one double ({@link #SINGLE}: E4M3 x E4M3 spans 41 bits, the FP4 and FP6 formats
 * less). Otherwise (E5M2: 69 bits; E4M3 x E5M2: 55) the sum is split in two doubles: a high part
 * kept as M + (a multiple of q), M = 1.5 * 2^52 * q, into which each product is added and rounded
 * to a multiple of q by one fma, and a low part that takes each remainder (at most q/2, on the
 * same grid) exactly; q is chosen so that both parts stay within 53 bits.
 *
 * @param single whether one double holds every partial sum exactly
 * @param magic M, the high part's offset (unused when single)
 */
record ProductSum(boolean single, double magic) {

  /** The sum of up to {@code products} products of an {@code a} code and a {@code b} code. */
  static ProductSum of(FpFormat a, FpFormat b, int products) {
    int top = topExponent(a) + topExponent(b) + ceilLog2(products);
    int grid = a.scaleExponent(1) + b.scaleExponent(1);
    if (top - grid <= 53) {
      return new ProductSum(true, 0);
    }
    // High part: |sum| < 2^top, with each product's rounding, must stay below 2^51 q (M + it
    // stays in M's binade, where the spacing is q): q = 2^(top - 50) leaves a factor 2 to spare.
    // Low part: the remainders (each at most q/2) and, when both parts are small, their sum with
    // the high part stay below products * q, which must be within 53 bits of the grid.
    int q = top - 50;
    if (ceilLog2(products) + q - grid > 53) {
      throw new IllegalArgumentException(a + " x " + b + " sums of " + products
          + " products do not fit two doubles");
    }
    return new ProductSum(false, Math.scalb(1.5, 52 + q));
  }

  /** Whether the two-double split holds sums of {@code products} products of these formats. */
  static boolean fits(FpFormat a, FpFormat b, int products) {
    int top = topExponent(a) + topExponent(b) + ceilLog2(products);
    int grid = a.scaleExponent(1) + b.scaleExponent(1);
    return top - grid <= 53 || ceilLog2(products) + top - 50 - grid <= 53;
  }

  /** Bits between the grid of products of a and b and the bound of a sum of that many. */
  static int bits(FpFormat a, FpFormat b, int products) {
    return topExponent(a) + topExponent(b) + ceilLog2(products) - a.scaleExponent(1)
        - b.scaleExponent(1);
  }

  /** Every finite value of f is below 2^topExponent(f) in magnitude. */
  static int topExponent(FpFormat f) {
    return Math.getExponent(f.maxFinite()) + 1;
  }

  private static int ceilLog2(int n) {
    return 32 - Integer.numberOfLeadingZeros(Math.max(1, n) - 1);
  }
}

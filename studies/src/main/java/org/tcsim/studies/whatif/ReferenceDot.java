package org.tcsim.studies.whatif;

/**
 * The reference value of a dot product of doubles, in double-double arithmetic: every product is
 * split exactly into high and low parts ({@link Math#fma}, the TwoProduct of Ogita, Rump and
 * Oishi, "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), 2005) and the parts are
 * added with error-free TwoSum, so the result is the exact dot product up to a relative error of
 * about K * 2^-106 of the sum of |products|. That is more than 50 bits below the errors the
 * studies measure (FP32 accumulation at best, 2^-24), so it serves as "the exact product"; a unit
 * test checks it against {@link org.tcsim.core.exact.Dyadic} arithmetic.
 */
public final class ReferenceDot {
  private ReferenceDot() {}

  /** sum over i < k of a[aOff + i * aStride] * b[bOff + i * bStride]. */
  public static double dot(double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
      int k) {
    double hi = 0;
    double lo = 0;
    for (int i = 0; i < k; i++) {
      double x = a[aOff + i * aStride];
      double y = b[bOff + i * bStride];
      double p = x * y;
      double pErr = Math.fma(x, y, -p);
      // TwoSum(hi, p)
      double s = hi + p;
      double bb = s - hi;
      double sErr = (hi - (s - bb)) + (p - bb);
      hi = s;
      lo += sErr + pErr;
    }
    return hi + lo;
  }
}

package org.tcsim.core.gemm;

import org.tcsim.core.datapath.Fp32Rounding;

/**
 * The SIMD loops of the exact-sum kernels ({@link TruncatedSumKernel}): each runs over a range of
 * a tile's columns with one array index for every array, in double arithmetic only, the loop
 * shape HotSpot's C2 (Java 17) turns into AVX code. The exactness arguments are in the kernel's
 * class comment; the rounding stages are {@link Fp32Rounding}'s.
 */
final class ExactSumLoops {

  private ExactSumLoops() {}

  /**
   * sum[j] = a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j], the first products of a step (so
   * the sum is not read): exact products, exact sums in any order.
   */
  static void setProducts4(double[] sum, double a0, double[] b0, double a1, double[] b1,
      double a2, double[] b2, double a3, double[] b3, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      sum[j] = Math.fma(a0, b0[j], a1 * b1[j]) + Math.fma(a2, b2[j], a3 * b3[j]);
    }
  }

  /** sum[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j]: exact products, exact sums. */
  static void addProducts4(double[] sum, double a0, double[] b0, double a1, double[] b1,
      double a2, double[] b2, double a3, double[] b3, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      sum[j] = Math.fma(a0, b0[j], Math.fma(a1, b1[j], sum[j]))
          + Math.fma(a2, b2[j], a3 * b3[j]);
    }
  }

  /**
   * sum[j] = the sum of a[aBase + k] * b[k][j] over k = ks[from], ..., ks[to - 1], for columns
   * [lo, hi): four products per loop, products and sums exact where the caller's bounds say so
   * (then in any order).
   */
  static void sumProducts(double[] sum, double[] a, int aBase, double[][] b, int[] ks, int from,
      int to, int lo, int hi) {
    int t = from;
    if (t + 4 > to) {
      java.util.Arrays.fill(sum, lo, hi, 0.0);
    }
    for (; t + 4 <= to; t += 4) {
      products4(sum, t == from, a, aBase, b, ks, t, lo, hi);
    }
    for (; t < to; t++) {
      addProducts(sum, a[aBase + ks[t]], b[ks[t]], lo, hi);
    }
  }

  /** The products of k = ks[t .. t + 3]: set into sum (the step's first) or added to it. */
  private static void products4(double[] sum, boolean first, double[] a, int aBase, double[][] b,
      int[] ks, int t, int lo, int hi) {
    int k0 = ks[t];
    int k1 = ks[t + 1];
    int k2 = ks[t + 2];
    int k3 = ks[t + 3];
    if (first) {
      setProducts4(sum, a[aBase + k0], b[k0], a[aBase + k1], b[k1], a[aBase + k2], b[k2],
          a[aBase + k3], b[k3], lo, hi);
    } else {
      addProducts4(sum, a[aBase + k0], b[k0], a[aBase + k1], b[k1], a[aBase + k2], b[k2],
          a[aBase + k3], b[k3], lo, hi);
    }
  }

  /** sum[j] += a * b[j]. */
  static void addProducts(double[] sum, double a, double[] b, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      sum[j] = Math.fma(a, b[j], sum[j]);
    }
  }

  /**
   * The split sum of two products per column: high[j] (kept offset by a constant M whose binade
   * has the spacing q) takes each product rounded to a multiple of q by the very addition
   * fma(a, b, high), and low[j] takes the rounding's remainder a * b - (new high - old high),
   * which the second fma computes exactly.
   */
  static void addProductsSplit2(double[] high, double[] low, double a0, double[] b0, double a1,
      double[] b1, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double h0 = high[j];
      double x0 = b0[j];
      double h1 = Math.fma(a0, x0, h0);
      double x1 = b1[j];
      double h2 = Math.fma(a1, x1, h1);
      high[j] = h2;
      low[j] = low[j] + Math.fma(a0, x0, h0 - h1) + Math.fma(a1, x1, h1 - h2);
    }
  }

  /** {@link #addProductsSplit2} for one product. */
  static void addProductsSplit(double[] high, double[] low, double a, double[] b, int lo,
      int hi) {
    for (int j = lo; j < hi; j++) {
      double h0 = high[j];
      double x = b[j];
      double h1 = Math.fma(a, x, h0);
      high[j] = h1;
      low[j] = low[j] + Math.fma(a, x, h0 - h1);
    }
  }

  /**
   * The end of a step whose exact sum is sum[j]: P = RZ_24(sum), then the accumulator becomes
   * RNE_24(P + acc[j]) (one IEEE FP32 addition: see the kernel).
   */
  static void finish(double[] sum, double[] acc, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double p = Fp32Rounding.truncate(sum[j], 0.0);
      acc[j] = Fp32Rounding.nearest(p + acc[j]);
    }
  }

  /**
   * {@link #finish} for a split sum: S = (high - M) + low exactly, as the pair s + err of a
   * Fast2Sum (valid because high - M is a multiple of q and |low| is below the number of
   * products times q/2: whenever |high - M| &lt; |low| both are small and s is exact).
   */
  static void finishSplit(double[] high, double[] low, double magic, double[] acc, int lo,
      int hi) {
    for (int j = lo; j < hi; j++) {
      double h = high[j] - magic;
      double l = low[j];
      double s = h + l;
      double err = l - (s - h);
      double p = Fp32Rounding.truncate(s, err);
      acc[j] = Fp32Rounding.nearest(p + acc[j]);
    }
  }

  /**
   * The first (or only) scale block of a step: total[j] = sum[j] * (sa * sb[j]), err[j] = 0. The
   * two scales' product is exact (powers of two, or two UE4M3 values of 4 significant bits), and
   * so is its product with the block's sum (the kernel admits only sums short enough).
   */
  static void scaleSum(double[] sum, double sa, double[] sb, double[] total, double[] err,
      int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      total[j] = sum[j] * (sa * sb[j]);
      err[j] = 0.0;
    }
  }

  /**
   * {@link #scaleSum} for a split block sum and power-of-two scales: the pair s + err of
   * {@link #finishSplit}, each part scaled exactly.
   */
  static void scaleSplitSum(double[] high, double[] low, double magic, double sa, double[] sb,
      double[] total, double[] err, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double h = high[j] - magic;
      double l = low[j];
      double s = h + l;
      double scale = sa * sb[j];
      total[j] = s * scale;
      err[j] = (l - (s - h)) * scale;
    }
  }

  /**
   * A further scale block: the scaled block sum v = sum[j] * (sa * sb[j]) (exact) joins the pair
   * total[j] + err[j] by Knuth's TwoSum, whose rounding error is exact; the kernel admits a second
   * block only where err[j] was zero before (two blocks) or every sum is exact (then every error
   * is zero), so err[j] + error is exact too.
   */
  static void addScaledSum(double[] sum, double sa, double[] sb, double[] total, double[] err,
      int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double v = sum[j] * (sa * sb[j]);
      double t = total[j];
      double s = t + v;
      double vv = s - t;
      double e = (t - (s - vv)) + (v - vv);
      total[j] = s;
      err[j] = err[j] + e;
    }
  }

  /**
   * {@link #finish} for a block-scaled step whose exact sum is total[j] + err[j], in three short
   * loops (C2 vectorises them; it gives up on the three fused): P = RZ_24(total + err) in place
   * of total; P's range ({@link #flagOutsideFp32}); the accumulator.
   */
  static void finishScaled(double[] total, double[] err, double[] acc, double[] worst, int lo,
      int hi) {
    for (int j = lo; j < hi; j++) {
      total[j] = Fp32Rounding.truncate(total[j], err[j]);
    }
    flagOutsideFp32(total, worst, lo, hi);
    for (int j = lo; j < hi; j++) {
      double d = Fp32Rounding.nearest(total[j] + acc[j]);
      acc[j] = d;
      worst[j] = Math.max(worst[j], Math.abs(d));
    }
  }

  /**
   * With scales, P can leave FP32's normal range, where the datapath's truncation differs (a
   * subnormal P keeps fewer bits; beyond the largest float it is infinite): worst[j] then takes a
   * value above the largest float. For |P| below 2^-126, m = |P| * 2^126 lies in (0, 1 - 2^-24]
   * (P has 24 bits), so min(m * 2^1000, 1) * (1 - min(m, 1)) * 2^200 is at least 2^176; it is 0
   * for P = 0 and for |P| &gt;= 2^-126.
   */
  static void flagOutsideFp32(double[] p, double[] worst, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double size = Math.abs(p[j]);
      double m = size * 0x1p126;
      double tiny = Math.min(m * 0x1p1000, 1.0) * (1.0 - Math.min(m, 1.0)) * 0x1p200;
      worst[j] = Math.max(worst[j], Math.max(size, tiny));
    }
  }
}

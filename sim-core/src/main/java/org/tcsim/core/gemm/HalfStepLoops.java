package org.tcsim.core.gemm;

import org.tcsim.core.datapath.Fp16Rounding;

/**
 * The SIMD loops of {@link HalfAccumulatorKernel}: one BFMA step into FP16 (a window of
 * {@code alignmentBits} below the step's largest exponent, truncation, one RNE into FP16) per
 * column, in double arithmetic only. The exactness arguments are in the kernel's class comment.
 */
final class HalfStepLoops {

  private HalfStepLoops() {}

  /** 1.5 * 2^52: a sum kept offset by it rounds every addition to an integer. */
  static final double MAGIC = 0x1.8p52;
  /** 1/2 - 2^-12: y - sign(y) * this, rounded to an integer, is y truncated (see the kernel). */
  static final double TRUNCATION_BIAS = 0.5 - 0x1p-12;

  /** largest[j] = max(largest[j], p * powers[j]). */
  static void maxPowers(double[] largest, double p, double[] powers, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      largest[j] = Math.max(largest[j], p * powers[j]);
    }
  }

  /**
   * Per column: scale = 2^alignBits / L (L at least 2^-200, so that a step of zeros has a finite
   * scale) and the sum's start, MAGIC + trunc(run * scale): the accumulator aligned to the window
   * and truncated like a product (its sign is run / max(|run|, 2^-100), or 0 for a zero run).
   */
  static void start(double[] largest, double[] run, double[] scale, double[] sum,
      double alignPower, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double s = alignPower / Math.max(largest[j], 0x1p-200);
      scale[j] = s;
      double c = run[j];
      double sign = c / Math.max(Math.abs(c), 0x1p-100);
      sum[j] = MAGIC + (c * s - sign * TRUNCATION_BIAS);
    }
  }

  /**
   * sum[j] += trunc(a * b[j] * scale[j]): with |a| and sign(a) given apart and negBias[j] =
   * -sign(b[j]) * (1/2 - 2^-12), w = |a| * (b[j] * scale[j]) + negBias[j] is
   * sign(b) * (|y| - (1/2 - 2^-12)) exactly, and adding sign(a) * w to the offset sum rounds it to
   * the integer trunc(y).
   */
  static void addTruncated(double[] sum, double magnitude, double sign, double[] b,
      double[] negBias, double[] scale, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      sum[j] = Math.fma(sign, Math.fma(magnitude, b[j] * scale[j], negBias[j]), sum[j]);
    }
  }

  /**
   * Per column: the integer sum T = sum - MAGIC, its value v = T * L / 2^alignBits (kept in
   * {@code value}), rounded into FP16 ({@link Fp16Rounding#nearest}): the new accumulator, and its
   * lead power. worst[j] keeps the largest magnitude seen, and a value of at least 2^200 (above
   * FP16's range) when a nonzero v rounded to zero (whose sign the rounding loses). Three short
   * loops: C2 (Java 17) vectorises each, not the three fused.
   */
  static void finish(double[] sum, double[] largest, double[] value, double[] run,
      double[] runPower, double[] worst, double inverseAlignPower, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double v = (sum[j] - MAGIC) * (largest[j] * inverseAlignPower);
      value[j] = v;
      run[j] = Fp16Rounding.nearest(v);
    }
    for (int j = lo; j < hi; j++) {
      runPower[j] = Fp16Rounding.leadPower(run[j]);
    }
    for (int j = lo; j < hi; j++) {
      double r = Math.abs(run[j]);
      double lost = Math.min(Math.abs(value[j]) * 0x1p1000, 1.0)
          * (1.0 - Math.min(r * 0x1p1000, 1.0));
      worst[j] = Math.max(worst[j], Math.max(r, lost * 0x1p200));
    }
  }

  /**
   * Per column, after a row's exact-sum steps: whether any of them may have truncated. A step's
   * window ends at q = L / 2^alignBits, L its largest power: that of a product, at most
   * highA * highB[j] (the largest powers of the row's and the column's codes over the range), or
   * the accumulator's lead, at most runMax[j] (the largest magnitude it took), or 2^-14 (a
   * subnormal accumulator aligns there), so q &lt;= max(u, 2^-39) with u = max(highA * highB[j],
   * runMax[j]) * inverseAlignPower. Every product is a multiple of lowA * lowB[j] (a product's
   * lowest set bit is that of its factors' product, and the bounds bound every pair), and the
   * accumulator a multiple of the smaller of that and lowC[j] (C's lowest set bit where C joins
   * the first step; an FP16 rounding of multiples of m is a multiple of m): m. When
   * max(u, 2^-24) &lt;= m no window dropped a bit, and each step's sum, a multiple of m, is zero
   * or at least 2^-24, so that its FP16 rounding keeps its sign; otherwise, or for a NaN, worst[j]
   * takes a value above FP16's range (a positive difference is far above 2^-1000). worst[j] takes
   * runMax[j] too, so that an overflow of an accumulator shows.
   */
  static void window(double highA, double[] highB, double lowA, double[] lowB, double[] lowC,
      double[] runMax, double[] worst, double inverseAlignPower, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double u = Math.max(highA * highB[j], runMax[j]) * inverseAlignPower;
      double m = Math.min(lowA * lowB[j], lowC[j]);
      worst[j] = Math.max(Math.max(worst[j], runMax[j]), (Math.max(u, 0x1p-24) - m) * 0x1p1000);
    }
  }

  /**
   * Per column, after an exact-sum step whose products sum to sum[j]: the accumulator becomes
   * RNE_fp16(sum + run) and runMax[j] keeps its largest magnitude. Where {@link #window} passes,
   * the addition is exact and a multiple of 2^-24 ({@link Fp16Rounding#nearestOnGrid}).
   */
  static void finishExact(double[] sum, double[] run, double[] runMax, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double r = Fp16Rounding.nearestOnGrid(sum[j] + run[j]);
      run[j] = r;
      runMax[j] = Math.max(runMax[j], Math.abs(r));
    }
  }

  /** {@link #finishExact} for a step from a zero accumulator: RNE_fp16(sum). */
  static void finishFirst(double[] sum, double[] run, double[] runMax, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double r = Fp16Rounding.nearestOnGrid(sum[j]);
      run[j] = r;
      runMax[j] = Math.max(runMax[j], Math.abs(r));
    }
  }

  /**
   * Per column: D = RNE_fp16(run + c), the accumulator joining after the instruction's steps; the
   * sum of two FP16 values (or of an overflow, which worst[j] flagged already) is exact and a
   * multiple of 2^-24 ({@link Fp16Rounding#nearestOnGrid}).
   */
  static void join(double[] run, double[] c, double[] worst, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      double d = Fp16Rounding.nearestOnGrid(run[j] + c[j]);
      c[j] = d;
      worst[j] = Math.max(worst[j], Math.abs(d));
    }
  }
}

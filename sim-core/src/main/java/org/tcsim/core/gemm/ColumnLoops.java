package org.tcsim.core.gemm;

/**
 * The SIMD loops of {@link RowBatchFp8Kernel}. Each runs over a range of a tile's columns with one
 * array index for every array, the loop shape that HotSpot's C2 compiler (Java 17) turns into
 * SIMD code (AVX2 or AVX-512, as the CPU has); each is kept short because C2 vectorises several short loops where it gives up on
 * one long one. Everything is float arithmetic that is exact by construction (the arguments are
 * in each method's comment and in the kernel's class comment), because Java 17 does not vectorise
 * float-to-int conversions, integer maxima, per-lane shifts or reading a float's bits. No
 * intermediate may be a subnormal float: on x86 each one costs a microcode assist of about a
 * hundred cycles.
 */
final class ColumnLoops {

  private ColumnLoops() {}

  /** 1/2 - 2^-9: subtracted from |y| before rounding to nearest, it makes the rounding truncate. */
  static final float TRUNCATION_BIAS = 0.5f - 0x1p-9f;
  /**
   * 1.5 * 2^23: adding and subtracting it rounds a float below 2^22 to an integer (RNE); a step's
   * sum is kept offset by it, so that each addition to the sum rounds to an integer.
   */
  static final float ROUNDING_MAGIC = 0x1.8p23f;
  /** 2^23 + 1: Veltkamp's splitter that rounds a float to one significant bit. */
  static final float VELTKAMP_ONE_BIT = 0x1p23f + 1f;

  /** largest[j] = max(largest[j], p * powers[j]): a SIMD loop. */
  static void maxPowers(float[] largest, float p, float[] powers, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      largest[j] = Math.max(largest[j], p * powers[j]);
    }
  }

  /**
   * largest[j] = max(p0 * powers0[j], p1 * powers1[j]), the first two products of a step (so
   * largest is not read): the maximum of exact powers of two, in any order. A SIMD loop.
   */
  static void setMaxPowers2(float[] largest, float p0, float[] powers0, float p1,
      float[] powers1, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      largest[j] = Math.max(p0 * powers0[j], p1 * powers1[j]);
    }
  }

  /** largest[j] = max(largest[j], p0 * powers0[j], p1 * powers1[j]): a SIMD loop. */
  static void maxPowers2(float[] largest, float p0, float[] powers0, float p1, float[] powers1,
      int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      largest[j] = Math.max(largest[j], Math.max(p0 * powers0[j], p1 * powers1[j]));
    }
  }

  /**
   * Per column, a SIMD loop: the step's largest power L = max(products' largest, accumulator's
   * 2^lead) (the floor, at most 2^-32, never wins over a product, and steps without products are
   * redone by the kernel); scale = 2^alignBits / L and its inverse (exact: powers of two).
   */
  static void scales(float[] largestPower, float[] accPower, float[] scale,
      float[] unscale, float alignPower, float inverseAlignPower, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      float largest = Math.max(largestPower[j], accPower[j]);
      scale[j] = alignPower / largest;
      unscale[j] = largest * inverseAlignPower;
    }
  }

  /**
   * Per column, a SIMD loop: the sum starts (offset by 1.5 * 2^23) at the accumulator aligned and
   * truncated, sign(c) * floor(|c| * scale). Here floor(u) = r - RNE((r - u) + 1/2) with
   * r = RNE(u), which holds for any float u below 2^22: r - u is exact and lies in [-1/2, 1/2],
   * and RNE((r - u) + 1/2) is 1 exactly when r exceeds u (a tie at 1/2 rounds to 0). sign(c) is
   * c / max(|c|, 2^-126): exactly +-1, or 0 for a zero accumulator, whose term is 0 anyway.
   */
  static void alignAccumulators(float[] accValue, float[] scale, float[] sum, int lo,
      int hi) {
    for (int j = lo; j < hi; j++) {
      float c = accValue[j];
      float magnitude = Math.abs(c);
      float u = magnitude * scale[j];
      float r = (u + ROUNDING_MAGIC) - ROUNDING_MAGIC;
      float truncated = r - ((((r - u) + 0.5f) + ROUNDING_MAGIC) - ROUNDING_MAGIC);
      sum[j] = truncated * (c / Math.max(magnitude, Float.MIN_NORMAL)) + ROUNDING_MAGIC;
    }
  }

  /**
   * sum[j] += trunc(v * values[j] * scale[j]): the sum, offset by 1.5 * 2^23, takes
   * y - sign(y) * (1/2 - 2^-9) with sign(y) * (1/2 - 2^-9) = sign * biases[j], and its rounding
   * to nearest truncates y (see the class comment). A SIMD loop.
   */
  static void addTruncated(float[] sum, float v, float sign, float[] values,
      float[] biases, float[] scale, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      sum[j] += v * values[j] * scale[j] - sign * biases[j];
    }
  }

  /**
   * {@link #addTruncated} for two products in one loop: the same two roundings in the same order
   * (the sum takes the first term, then the second), one load and store of the sum fewer.
   */
  static void addTruncated2(float[] sum, float v0, float sign0, float[] values0,
      float[] biases0, float v1, float sign1, float[] values1, float[] biases1, float[] scale,
      int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      float x = scale[j];
      float s = sum[j] + (v0 * values0[j] * x - sign0 * biases0[j]);
      sum[j] = s + (v1 * values1[j] * x - sign1 * biases1[j]);
    }
  }

  /**
   * Per column, a SIMD loop: |T| for the step's exact integer sum T = S - 1.5 * 2^23
   * (|T| &lt; 2^22), and P = 2^floor(log2 max(|T|, 1)) in float arithmetic only (Java 17 does not
   * vectorise reading a float's bits). Veltkamp's split with 2^23 + 1 rounds to one significant
   * bit, h = P or 2P; then a / h is at least 1 exactly when h = P, and
   * RNE(a / h - 1/2 + 2^-24) is that test as 0 or 1 (checked for every integer below 2^22 by
   * {@code RowBatchKernelEquivalenceTest}).
   */
  static void leadingPowers(float[] sum, float[] magnitude, float[] power, int lo,
      int hi) {
    for (int j = lo; j < hi; j++) {
      float m = Math.abs(sum[j] - ROUNDING_MAGIC);
      magnitude[j] = m;
      power[j] = powerFloor(Math.max(m, 1f));
    }
  }

  /** 2^floor(log2 a) for an integer-valued float a in [1, 2^22) (see {@link #leadingPowers}). */
  static float powerFloor(float a) {
    float g = a * VELTKAMP_ONE_BIT;
    float h = g - (g - a);
    return h * 0.5f * (1f + (((a / h - 0.5f + 0x1p-24f) + ROUNDING_MAGIC) - ROUNDING_MAGIC));
  }

  /**
   * Per column, a SIMD loop: T truncated to {@code keptBits + 1} significant bits,
   * floor(|T| / ulp) * ulp with ulp = P * 2^-keptBits (floor as in {@link #alignAccumulators}),
   * given T's sign (T / max(|T|, 1)) and scaled back; and the result's power of two, +0 for a
   * zero sum.
   */
  static void truncateSums(float[] sum, float[] magnitude, float[] leadPower,
      float[] unscale, float[] value, float[] power, float ulpFactor, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      float m = magnitude[j];
      float ulp = leadPower[j] * ulpFactor;
      float u = m / ulp;
      float r = (u + ROUNDING_MAGIC) - ROUNDING_MAGIC;
      float truncated = (r - ((((r - u) + 0.5f) + ROUNDING_MAGIC) - ROUNDING_MAGIC)) * ulp;
      float atLeastOne = Math.max(m, 1f);
      float back = unscale[j];
      value[j] = truncated * ((sum[j] - ROUNDING_MAGIC) / atLeastOne) * back;
      power[j] = leadPower[j] * back * (m / atLeastOne);
    }
  }

  /**
   * Per column, a SIMD loop: a status of at least 1 (or NaN) marks a step outside the envelope:
   * a largest product power outside [2^-40, 2^40) (a NaN/Inf operand, or no nonzero product), or
   * a nonzero sum whose result's power is 2^101 or more or below 2^-126. Both powers are powers
   * of two (the result's is +0 for a zero sum), so each test is a product or a difference
   * scaled past 1, joined by maxima; no division (the most expensive SIMD operation here) and
   * few maxima (each a blend sequence on x86). The terms:
   * <ul>
   *   <li>lp * 2^-40 is at least 1 exactly when lp is 2^40 or more (Inf for a special operand);</li>
   *   <li>(2^-40 - lp) * 2^80 is at least 2^39 when lp is 2^-41 or less, and not positive
   *       otherwise;</li>
   *   <li>rp * 2^-101 is at least 1 exactly when rp is 2^101 or more;</li>
   *   <li>(2^-126 - rp) * min(m, 1) * 2^127 is at least 1 when rp is below 2^-126 (so at most
   *       2^-127) and the sum m is nonzero (an integer, so min(m, 1) is 0 or 1), and not positive
   *       otherwise (minus infinity when it overflows).</li>
   * </ul>
   * A largest power or result power that is NaN or infinite gives NaN or at least 1. The
   * intermediates stay normal unless the result's power is itself subnormal, a step the status
   * sends to the exact path anyway.
   */
  static void envelope(float[] largestPower, float[] power, float[] magnitude,
      float[] status, int lo, int hi) {
    // The loads first and the nonzero flag apart: in this order C2 (Java 17) vectorises the loop.
    for (int j = lo; j < hi; j++) {
      float lp = largestPower[j];
      float rp = power[j];
      float nonzero = Math.min(magnitude[j], 1f);
      float products = Math.max(lp * 0x1p-40f, (0x1p-40f - lp) * 0x1p80f);
      float high = rp * 0x1p-101f;
      float tiny = (0x1p-126f - rp) * nonzero * 0x1p127f;
      status[j] = Math.max(Math.max(products, high), tiny);
    }
  }
}

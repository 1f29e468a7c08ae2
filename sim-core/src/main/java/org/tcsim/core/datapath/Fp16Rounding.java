package org.tcsim.core.datapath;

/**
 * The normalise-and-round stage for an FP16 result, in double arithmetic on values a double holds
 * exactly: the form in which the fast GEMM kernels run it over arrays (see {@link Fp32Rounding}
 * for why doubles). Property tests check each function against {@code FpFormat.FP16}'s encoder.
 */
public final class Fp16Rounding {

  private Fp16Rounding() {}

  /** 2^42 + 1: Veltkamp's splitter that rounds a double to 53 - 42 = 11 significant bits. */
  private static final double SPLITTER_11 = 0x1p42 + 1;
  /** 2^52 + 1: Veltkamp's splitter that rounds a double to one significant bit. */
  private static final double SPLITTER_1 = 0x1p52 + 1;
  /** 1.5 * 2^28: adding and subtracting it rounds to a multiple of 2^-24 (RNE). */
  private static final double SUBNORMAL_MAGIC = 0x1.8p28;
  private static final double MIN_NORMAL = 0x1p-14;
  private static final double HUGE = 0x1p1000;

  /**
   * x rounded to FP16 with round to nearest even, subnormals kept, for any finite x: to 11
   * significant bits by Veltkamp's split (see {@link Fp32Rounding#nearest}) when
   * |x| &gt;= 2^-14, to a multiple of 2^-24 by the magic-constant rounding below it (the spacing
   * of doubles in [2^28, 2^29) is 2^-24). The test |x| &lt; 2^-14 is 0 or 1 by clamping
   * (2^-14 - |x|) * 2^1000 (a positive difference is at least an ulp of x, far above 2^-1000),
   * and the blend r = n + test * (s - n) is exact. A result of 65536 or more stands for
   * overflow, and a nonzero x that rounds to zero gives +0 whatever its sign (the callers redo
   * both).
   */
  public static double nearest(double x) {
    double g = x * SPLITTER_11;
    double n = g + (x - g);
    double s = (x + SUBNORMAL_MAGIC) - SUBNORMAL_MAGIC;
    double below = Math.min(Math.max((MIN_NORMAL - Math.abs(x)) * HUGE, 0.0), 1.0);
    return n + below * (s - n);
  }

  /**
   * {@link #nearest} for x on FP16's grid, a multiple of 2^-24 (FP16's smallest subnormal; the sum
   * of FP16 values, or of products whose lowest bits are at least 2^-24): then below 2^-14 x has
   * at most 10 significant bits and is its own rounding, so rounding to 11 significant bits by
   * Veltkamp's split alone is the FP16 rounding; 65536 or more stands for overflow, and a zero
   * is +0.
   */
  public static double nearestOnGrid(double x) {
    double g = x * SPLITTER_11;
    return g + (x - g);
  }

  /**
   * The power of two of an FP16 value's exponent field, as the datapath aligns it: 2^floor(log2
   * |r|) for a normal r, 2^-14 for a subnormal, 0 for zero. Veltkamp's split to one bit gives
   * h = 2^e or 2^(e+1) for 2^e &lt;= |r| &lt; 2^(e+1); h - |r| is exact and, when positive, at
   * least an ulp of r (2^-34 or more), so clamping it times 2^1000 tests h &gt; |r| as 0 or 1.
   */
  public static double leadPower(double r) {
    double a = Math.abs(r);
    double g = a * SPLITTER_1;
    double h = g + (a - g);
    double over = Math.min(Math.max((h - a) * HUGE, 0.0), 1.0);
    double power = h - 0.5 * over * h;
    double nonzero = Math.min(a * HUGE, 1.0);
    return Math.max(power, MIN_NORMAL * nonzero);
  }
}

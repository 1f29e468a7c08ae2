package org.tcsim.core.datapath;

/**
 * The normalise-and-round stage for an FP32 result, done in double arithmetic on values that a
 * double holds exactly: the form in which the fast GEMM kernels run it, element-wise over arrays,
 * where HotSpot's C2 (Java 17) vectorises plain double arithmetic but neither conversions to float
 * nor reading a double's bits. Each function is exact by the argument in its comment, within FP32's
 * normal range (|x| in [2^-126, 2^128)); outside it the callers redo the step with
 * {@link BlockFmaDatapath}. Property tests check each against Java's own float conversion and
 * against exact arithmetic.
 */
public final class Fp32Rounding {

  private Fp32Rounding() {}

  /** 2^29 + 1: Veltkamp's splitter that rounds a double to 53 - 29 = 24 significant bits. */
  private static final double SPLITTER = 0x1p29 + 1;
  /** 1 - 2^-24: multiplying a 24-bit value by it lands strictly nearer its lower neighbour. */
  private static final double ONE_BELOW = 1 - 0x1p-24;
  /** Scales the smallest nonzero overshoot test (see {@link #truncate}) above 1. */
  private static final double HUGE = 0x1p1000;

  /**
   * x rounded to 24 significant bits, to nearest with ties to even: Veltkamp's split (Dekker,
   * "A floating-point technique for extending the available precision", Numer. Math. 18, 1971),
   * g = x * (2^29 + 1), then g + (x - g). That the split rounds to nearest is Dekker's theorem;
   * that it breaks ties to even on round-to-nearest-even hardware is checked, ties included,
   * against {@code (double) (float) x} by {@code Fp32RoundingTest}. For x in FP32's normal range
   * this is therefore {@code (double) (float) x}.
   */
  public static double nearest(double x) {
    double g = x * SPLITTER;
    return g + (x - g);
  }

  /**
   * The 24-bit neighbour of h toward zero, for h with at most 24 significant bits:
   * nearest(h * (1 - 2^-24)). The product is exact (48 bits); it lies m * 2^(e-24) below h for
   * h = m * 2^e, 1 &lt;= m &lt; 2, which is exactly the spacing below a power of two (m = 1) and
   * otherwise more than half of the spacing 2^(e-23) below h, so rounding to nearest gives the
   * neighbour below (never a tie).
   */
  public static double towardZero(double h) {
    return nearest(h * ONE_BELOW);
  }

  /**
   * The exact value s + err truncated toward zero to 24 significant bits, where s and err are a
   * pair of doubles whose sum is exact and |err| &lt;= ulp(s) / 2 (err = 0 when s is exact).
   * h = nearest(s) is one of the two 24-bit neighbours of s + err (err is below half an ulp of s,
   * far below the 24-bit spacing). It is the truncation unless it overshoots: |h| &gt; |s + err|,
   * that is (h - s) - err has the sign of s. h - s is exact (a rounding error of s); when it is
   * not zero it is at least ulp(s) in magnitude, above |err|, so the rounded difference keeps the
   * sign of the exact one, and when it is zero the difference is -err exactly. The test
   * u * s &gt; 0 becomes 0 or 1 by clamping u * s * 2^1000, which is at least 1 whenever positive
   * for the sums the kernels meet (nonzero |s| and |u| at least 2^-286: FP8 products with two
   * E8M0 scales); an overflow to infinity clamps to 1.
   */
  public static double truncate(double s, double err) {
    double h = nearest(s);
    double u = (h - s) - err;
    double over = Math.min(Math.max(u * s * HUGE, 0.0), 1.0);
    return h + over * (towardZero(h) - h);
  }
}

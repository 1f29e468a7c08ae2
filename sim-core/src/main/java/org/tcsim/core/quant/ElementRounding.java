package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * How a scaled element is rounded to its format. Both saturate: a finite overflow and ±Inf give
 * ±max finite (PTX {@code .satfinite}; microxcaling {@code saturate_normals=True}).
 */
public enum ElementRounding {
  /**
   * Round to nearest, ties to even: PTX {@code cvt.rn.satfinite}, Transformer Engine, PyTorch and
   * torchao casts, and microxcaling's {@code round="even"}.
   */
  RNE,
  /**
   * Round to nearest, ties away from zero: microxcaling's default {@code round="nearest"}
   * (docs/hardware-facts.md, Block scaling).
   */
  HALF_AWAY;

  /** Rounds an exact value to a code of {@code f}, saturating. NaN needs a format with a NaN code. */
  public int encode(FpFormat f, double value) {
    return switch (this) {
      case RNE -> f.encode(value, Rounding.RNE, Overflow.SATFINITE);
      case HALF_AWAY -> halfAway(f, value);
    };
  }

  private static int halfAway(FpFormat f, double value) {
    if (!Double.isFinite(value)) {
      return f.encode(value, Rounding.RNE, Overflow.SATFINITE);
    }
    int sign = (Double.doubleToRawLongBits(value) < 0) ? f.signMask() : 0;
    double magnitude = Math.abs(value);
    // Truncation gives the code just below (positive codes are ordered like their values); the
    // candidate above is the next code. Both values are short, so their midpoint is exact.
    int down = f.encode(magnitude, Rounding.RZ, Overflow.SATFINITE);
    if (down == f.maxFiniteCode()) {
      return sign | down;
    }
    int up = down + 1;
    double midpoint = (f.decode(down) + f.decode(up)) / 2;
    return sign | (magnitude >= midpoint ? up : down);
  }
}

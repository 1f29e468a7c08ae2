package org.tcsim.core.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A slow, obviously correct reference for rounding to a format, written independently of
 * {@link Encoder}: values are exact {@link BigDecimal}s, and the two neighbours of a value are found
 * by searching the list of every finite value (formats of up to 16 bits) or by exact division by
 * the quantum (TF32, FP32). Only the layout parameters (exponent bits, mantissa bits, bias, which
 * codes are special) come from {@link FpFormat}; those are asserted against published numbers in
 * {@link FormatFactsTest}.
 *
 * <p>Rules (IEEE 754-2019 §4.3 and §7.4; ml_dtypes and PTX {@code .satfinite};
 * docs/hardware-facts.md, Number formats):
 * the result is the lower or upper neighbour of |x| chosen by the rounding direction, ties to the
 * even code; overflow is decided on the result rounded with an unbounded exponent range, and gives
 * infinity for RNE and the directed rounding away from the overflow's sign, the largest finite
 * number otherwise. Without infinities, "infinity" becomes NaN (E4M3, E8M0, the ml_dtypes
 * convention) or max finite (FP4/FP6 have neither, and always saturate). Satfinite turns every
 * overflow and every infinite input into ±max finite.
 *
 * <p>Two conventions of the unsigned formats are not rounding facts but choices this project made
 * (no oracle covers them): a negative value gives NaN (or, saturating, the smallest code), and E8M0,
 * which has no zero, gives NaN for zero (or, saturating, the smallest scale 2^-127) and turns every
 * positive value below 2^-127 into 2^-127.
 */
final class ExactRounding {

  /** The outcome of a reference rounding: a class, a sign, and the magnitude of a finite result. */
  record Expected(FpClass kind, boolean negative, BigDecimal magnitude) {
    static Expected nan(boolean negative) {
      return new Expected(FpClass.NAN, negative, null);
    }

    static Expected infinity(boolean negative) {
      return new Expected(FpClass.INFINITE, negative, null);
    }

    static Expected finite(boolean negative, BigDecimal magnitude) {
      return new Expected(magnitude.signum() == 0 ? FpClass.ZERO : FpClass.NORMAL, negative, magnitude);
    }

    /** Whether {@code code} of {@code f} is this outcome (the sign is ignored for unsigned formats). */
    boolean matches(FpFormat f, int code) {
      FpClass actual = f.classify(code);
      boolean signOk = !f.signed() || f.isNegative(code) == negative;
      return switch (kind) {
        case NAN -> actual == FpClass.NAN && signOk;
        case INFINITE -> actual == FpClass.INFINITE && signOk;
        case ZERO, SUBNORMAL, NORMAL -> actual.isFinite() && signOk
            && new BigDecimal(f.decode(code)).abs().compareTo(magnitude) == 0;
      };
    }

    @Override
    public String toString() {
      return switch (kind) {
        case NAN -> (negative ? "-" : "+") + "NaN";
        case INFINITE -> (negative ? "-" : "+") + "Inf";
        default -> (negative ? "-" : "+") + magnitude.toString();
      };
    }
  }

  /** A non-negative finite value of a format and its magnitude code (codes are ordered like values). */
  private record Point(int code, BigDecimal value) {}

  private static final Map<FpFormat, List<Point>> POINTS = new EnumMap<>(FpFormat.class);

  private ExactRounding() {}

  // ---------------------------------------------------------------- exact powers and logs

  /** Cached powers of two 2^-1100 .. 2^1100 (the double range and a margin). */
  private static final int POW2_LIMIT = 1100;
  private static final BigDecimal[] POW2 = new BigDecimal[2 * POW2_LIMIT + 1];

  /** 2^k exactly. */
  static synchronized BigDecimal pow2(int k) {
    boolean cached = Math.abs(k) <= POW2_LIMIT;
    if (cached && POW2[k + POW2_LIMIT] != null) {
      return POW2[k + POW2_LIMIT];
    }
    BigDecimal p = k >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(k))
        : new BigDecimal(BigInteger.valueOf(5).pow(-k), -k);
    if (cached) {
      POW2[k + POW2_LIMIT] = p;
    }
    return p;
  }

  /** floor(log2(v)) for v > 0, exactly. */
  static int floorLog2(BigDecimal v) {
    // Fast path: a double's estimate, confirmed exactly by 2^k <= v < 2^(k+1).
    double d = v.doubleValue();
    if (d >= Double.MIN_NORMAL && d < Double.MAX_VALUE) {
      int k = Math.getExponent(d);
      for (int guess = k - 1; guess <= k + 1; guess++) {
        if (pow2(guess).compareTo(v) <= 0 && v.compareTo(pow2(guess + 1)) < 0) {
          return guess;
        }
      }
    }
    return floorLog2Slow(v);
  }

  /** floor(log2(v)) for v > 0 by exact integer arithmetic, for any magnitude. */
  static int floorLog2Slow(BigDecimal v) {
    BigInteger p;
    BigInteger q;
    if (v.scale() >= 0) {
      p = v.unscaledValue();
      q = BigInteger.TEN.pow(v.scale());
    } else {
      p = v.unscaledValue().multiply(BigInteger.TEN.pow(-v.scale()));
      q = BigInteger.ONE;
    }
    int k = p.bitLength() - q.bitLength();
    // 2^k <= p/q < 2^(k+2) here; step down if p/q < 2^k, up if p/q >= 2^(k+1).
    BigInteger lhs = k >= 0 ? p : p.shiftLeft(-k);
    BigInteger rhs = k >= 0 ? q.shiftLeft(k) : q;
    if (lhs.compareTo(rhs) < 0) {
      return k - 1;
    }
    return lhs.compareTo(rhs.shiftLeft(1)) >= 0 ? k + 1 : k;
  }

  // ---------------------------------------------------------------- the format's values

  /** Exact value of a non-negative magnitude code from the layout, or null for Inf/NaN codes. */
  static BigDecimal valueOfMagnitudeCode(FpFormat f, int code) {
    int m = f.mantissaBits();
    int e = code >>> m;
    int mant = code & ((1 << m) - 1);
    int topField = (1 << f.exponentBits()) - 1;
    int allOnes = (1 << (f.exponentBits() + m)) - 1;
    boolean special = switch (f.specials()) {
      case IEEE -> e == topField;
      case FN, FNU -> code == allOnes;
      case NONE -> false;
    };
    if (special) {
      return null;
    }
    boolean subnormal = e == 0 && f.specials() != Specials.FNU;
    BigInteger significand = BigInteger.valueOf(subnormal ? mant : (1L << m) + mant);
    int exponent = (subnormal ? 1 : e) - f.bias() - m;
    return new BigDecimal(significand).multiply(pow2(exponent));
  }

  private static synchronized List<Point> points(FpFormat f) {
    return POINTS.computeIfAbsent(f, g -> {
      List<Point> list = new ArrayList<>();
      int magnitudeCodes = 1 << (g.exponentBits() + g.mantissaBits());
      for (int c = 0; c < magnitudeCodes; c++) {
        BigDecimal v = valueOfMagnitudeCode(g, c);
        if (v != null) {
          if (!list.isEmpty() && list.get(list.size() - 1).value().compareTo(v) >= 0) {
            throw new AssertionError(g + ": values are not increasing at code " + c);
          }
          list.add(new Point(c, v));
        }
      }
      return List.copyOf(list);
    });
  }

  /** Largest finite value. */
  static BigDecimal maxFinite(FpFormat f) {
    if (f.width() <= 16) {
      List<Point> p = points(f);
      return p.get(p.size() - 1).value();
    }
    int m = f.mantissaBits();
    int emax = (1 << f.exponentBits()) - 2 - f.bias(); // IEEE-style: the top field is Inf/NaN
    return new BigDecimal(BigInteger.ONE.shiftLeft(m + 1).subtract(BigInteger.ONE)).multiply(pow2(emax - m));
  }

  // ---------------------------------------------------------------- rounding

  /** The correctly rounded result of {@code x} (any double) in {@code f}. */
  static Expected round(FpFormat f, double x, Rounding r, Overflow o) {
    boolean negative = Double.doubleToRawLongBits(x) < 0;
    if (Double.isNaN(x)) {
      if (!f.hasNaN()) {
        throw new IllegalArgumentException("no NaN in " + f);
      }
      return Expected.nan(negative);
    }
    if (Double.isInfinite(x)) {
      if (negative && !f.signed()) {
        return unsignedNegative(f, o);
      }
      return o == Overflow.SATFINITE ? Expected.finite(negative, maxFinite(f)) : infinityOf(f, negative);
    }
    return round(f, negative, new BigDecimal(x).abs(), r, o);
  }

  /** Rounds the exact value ±magnitude. */
  static Expected round(FpFormat f, boolean negative, BigDecimal magnitude, Rounding r, Overflow o) {
    if (magnitude.signum() == 0) {
      if (f.specials() == Specials.FNU) {
        return o == Overflow.SATFINITE ? Expected.finite(false, pow2(-f.bias())) : Expected.nan(false);
      }
      return Expected.finite(negative && f.signed(), BigDecimal.ZERO);
    }
    if (negative && !f.signed()) {
      return unsignedNegative(f, o);
    }
    Neighbours n = f.width() <= 16 ? listNeighbours(f, magnitude) : quantumNeighbours(f, magnitude);
    if (n.lower() == null) {
      // E8M0 only: below its smallest value, with no zero to go to.
      return Expected.finite(false, n.upper());
    }
    BigDecimal chosen;
    if (n.lower().compareTo(magnitude) == 0) {
      chosen = n.lower();
    } else if (n.upper() == null) {
      chosen = null; // beyond even the first value past max finite: overflow
    } else {
      boolean up = switch (r) {
        case RZ -> false;
        case RU -> !negative;
        case RD -> negative;
        case RNE -> {
          int c = magnitude.subtract(n.lower()).compareTo(n.upper().subtract(magnitude));
          yield c > 0 || (c == 0 && !n.lowerCodeEven());
        }
      };
      chosen = up ? n.upper() : n.lower();
    }
    BigDecimal max = maxFinite(f);
    if (chosen != null && chosen.compareTo(max) <= 0) {
      return Expected.finite(negative, chosen);
    }
    // Overflow (IEEE 754-2019 §7.4).
    boolean toInfinity = switch (r) {
      case RNE -> true;
      case RZ -> false;
      case RU -> !negative;
      case RD -> negative;
    };
    if (o == Overflow.SATFINITE || !toInfinity) {
      return Expected.finite(negative, max);
    }
    return infinityOf(f, negative);
  }

  /** ±infinity as the format (and the ml_dtypes convention) has it. */
  private static Expected infinityOf(FpFormat f, boolean negative) {
    return switch (f.specials()) {
      case IEEE -> Expected.infinity(negative);
      case FN, FNU -> Expected.nan(negative && f.signed());
      case NONE -> Expected.finite(negative, maxFinite(f));
    };
  }

  private static Expected unsignedNegative(FpFormat f, Overflow o) {
    if (o == Overflow.SATFINITE) {
      return Expected.finite(false, f.specials() == Specials.FNU ? pow2(-f.bias()) : BigDecimal.ZERO);
    }
    return Expected.nan(false);
  }

  /**
   * lower <= magnitude <= upper, consecutive values of the format extended by one value past max
   * finite (as if the exponent range were unbounded); lower is null below the smallest value,
   * upper null beyond that extra value.
   */
  record Neighbours(BigDecimal lower, BigDecimal upper, boolean lowerCodeEven) {}

  private static Neighbours listNeighbours(FpFormat f, BigDecimal magnitude) {
    List<Point> p = points(f);
    int lo = 0;
    int hi = p.size() - 1;
    int found = -1; // largest index with value <= magnitude
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (p.get(mid).value().compareTo(magnitude) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) {
      return new Neighbours(null, p.get(0).value(), false);
    }
    Point lower = p.get(found);
    BigDecimal upper;
    if (found + 1 < p.size()) {
      upper = p.get(found + 1).value();
    } else {
      // One quantum of the top binade past max finite: the next value with an unbounded exponent.
      BigDecimal max = lower.value();
      BigDecimal past = max.add(pow2(floorLog2(max) - f.mantissaBits()));
      upper = magnitude.compareTo(past) <= 0 ? past : null;
    }
    return new Neighbours(lower.value(), upper, (lower.code() & 1) == 0);
  }

  private static Neighbours quantumNeighbours(FpFormat f, BigDecimal magnitude) {
    int m = f.mantissaBits();
    int emin = 1 - f.bias();
    int emax = (1 << f.exponentBits()) - 2 - f.bias();
    int e = Math.max(floorLog2(magnitude), emin);
    if (e > emax) {
      return new Neighbours(maxFinite(f), null, false);
    }
    BigDecimal quantum = pow2(e - m);
    BigInteger n = magnitude.divide(quantum).setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    BigDecimal lower = new BigDecimal(n).multiply(quantum);
    BigDecimal upper = new BigDecimal(n.add(BigInteger.ONE)).multiply(quantum);
    return new Neighbours(lower, upper, !n.testBit(0));
  }
}

package org.tcsim.cli;

import java.math.BigDecimal;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;

/** How the format commands print values, fields and specials: exactly, never rounded for show. */
final class FormatText {

  private FormatText() {}

  /** The exact decimal value of a double: plain when short, else BigDecimal's exact scientific form. */
  static String exact(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(v).stripTrailingZeros();
    String plain = d.toPlainString();
    return plain.length() <= 24 ? plain : d.toString();
  }

  /** A positive power of two or an odd integer times one, exactly: {@code 2^-9}, {@code 7*2^6}. */
  static String powerOfTwo(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return exact(v);
    }
    String sign = v < 0 ? "-" : "";
    double m = Math.abs(v);
    int exponent = Math.getExponent(m) - 52;
    long significand;
    if (Math.getExponent(m) < Double.MIN_EXPONENT) {
      exponent = Double.MIN_EXPONENT - 52;
      significand = Double.doubleToRawLongBits(m);
    } else {
      significand = (Double.doubleToRawLongBits(m) & ((1L << 52) - 1)) | (1L << 52);
    }
    int zeros = Long.numberOfTrailingZeros(significand);
    significand >>>= zeros;
    exponent += zeros;
    if (significand == 1) {
      return sign + "2^" + exponent;
    }
    return sign + significand + (exponent == 0 ? "" : "*2^" + exponent);
  }

  /** A short exact cell for tables: small integers and short decimals as such, else powers of two. */
  static String cell(double v) {
    String plain = exact(v);
    return plain.length() <= 10 && !plain.contains("E") ? plain : powerOfTwo(v);
  }

  /** The code's bits split into sign, exponent and mantissa fields: {@code 0 1111 110}. */
  static String fields(FpFormat f, int code) {
    StringBuilder sb = new StringBuilder();
    if (f.signed()) {
      sb.append(f.isNegative(code) ? '1' : '0').append(' ');
    }
    sb.append(bits(f.exponentField(code), f.exponentBits()));
    if (f.mantissaBits() > 0) {
      sb.append(' ').append(bits(f.mantissaField(code), f.mantissaBits()));
    }
    return sb.toString();
  }

  /** The layout as a pattern of letters: {@code s eeee mmm}. */
  static String layout(FpFormat f) {
    StringBuilder sb = new StringBuilder();
    if (f.signed()) {
      sb.append("s ");
    }
    sb.append("e".repeat(f.exponentBits()));
    if (f.mantissaBits() > 0) {
      sb.append(' ').append("m".repeat(f.mantissaBits()));
    }
    return sb.toString();
  }

  private static String bits(int value, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = count - 1; i >= 0; i--) {
      sb.append(((value >>> i) & 1) == 0 ? '0' : '1');
    }
    return sb.toString();
  }

  /** Which special values the format has, in words (docs/hardware-facts.md, Number formats). */
  static String specials(FpFormat f) {
    return switch (f.specials()) {
      case IEEE -> "+-Inf, NaN";
      case FN -> "NaN only (" + nanCodes(f) + "), no Inf";
      case FNU -> "NaN only (" + nanCodes(f) + "), no Inf, no zero";
      case NONE -> "none (overflow saturates)";
    };
  }

  private static String nanCodes(FpFormat f) {
    int nan = f.canonicalNaN();
    return f.signed() ? f.hex(nan) + ", " + f.hex(nan | f.signMask()) : f.hex(nan);
  }

  /** Where the format's definition comes from. */
  static String source(FpFormat f) {
    return switch (f) {
      case E4M3, E5M2 -> "OCP 8-bit Floating Point Specification (OFP8) rev. 1.0";
      case E8M0, E2M3, E3M2, E2M1 -> "OCP Microscaling Formats (MX) Specification v1.0";
      case UE4M3 -> "NVFP4 block scale: OCP E4M3 without its sign bit"
          + " (docs/hardware-facts.md, Number formats)";
      case FP16, FP32 -> "IEEE 754-2019";
      case BF16 -> "bfloat16: the top 16 bits of IEEE binary32";
      case TF32 -> "NVIDIA TensorFloat-32 (A100 architecture whitepaper): binary32 with 10 mantissa bits";
    };
  }

  /** The class in lower case, as printed. */
  static String className(FpClass c) {
    return c.name().toLowerCase(java.util.Locale.ROOT);
  }
}

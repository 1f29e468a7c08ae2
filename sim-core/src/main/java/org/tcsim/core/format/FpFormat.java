package org.tcsim.core.format;

import java.util.Arrays;
import java.util.Optional;

/**
 * The floating-point formats that tensor cores read and write, each exact to the bit.
 *
 * <p>A code is held in the low {@link #width()} bits of an {@code int}: sign (if any), then the
 * exponent field, then the mantissa field. TF32 is the one format whose code is usually seen in a
 * wider container (an FP32 register whose low 13 bits are zero); {@link #fromContainer} and
 * {@link #toContainer} convert between the two.
 *
 * <p>Layouts, biases and special codes: OCP 8-bit Floating Point Specification (OFP8) rev. 1.0, OCP
 * Microscaling Formats (MX) v1.0, IEEE 754-2019, and ml_dtypes (docs/hardware-facts.md, Number
 * formats). Every decode and
 * encode is checked against the ml_dtypes 0.6.0 tables in the tests.
 */
public enum FpFormat {
  /** OCP FP8 E4M3, ml_dtypes {@code float8_e4m3fn}: ±448, NaN = S.1111.111, no Inf. */
  E4M3("e4m3", "float8_e4m3fn", true, 4, 3, 7, Specials.FN),
  /** OCP FP8 E5M2, ml_dtypes {@code float8_e5m2}: ±57344, IEEE Inf and NaN. */
  E5M2("e5m2", "float8_e5m2", true, 5, 2, 15, Specials.IEEE),
  /** OCP MX scale E8M0, ml_dtypes {@code float8_e8m0fnu}: 2^(e-127), 0xFF = NaN, no zero, no sign. */
  E8M0("e8m0", "float8_e8m0fnu", false, 8, 0, 127, Specials.FNU),
  /**
   * Unsigned E4M3, the NVFP4 block scale (one per 16 elements, CUDA {@code CUDA_R_8F_UE4M3}):
   * 0..448, 0x7F = NaN. ml_dtypes has no such type.
   */
  UE4M3("ue4m3", null, false, 4, 3, 7, Specials.FN),
  /** OCP FP6 E2M3, ml_dtypes {@code float6_e2m3fn}: ±7.5, no Inf or NaN. */
  E2M3("e2m3", "float6_e2m3fn", true, 2, 3, 1, Specials.NONE),
  /** OCP FP6 E3M2, ml_dtypes {@code float6_e3m2fn}: ±28, no Inf or NaN. */
  E3M2("e3m2", "float6_e3m2fn", true, 3, 2, 3, Specials.NONE),
  /** OCP FP4 E2M1, ml_dtypes {@code float4_e2m1fn}: 0, .5, 1, 1.5, 2, 3, 4, 6 and negatives. */
  E2M1("e2m1", "float4_e2m1fn", true, 2, 1, 1, Specials.NONE),
  /** IEEE binary16, NumPy {@code float16}. */
  FP16("fp16", "float16", true, 5, 10, 15, Specials.IEEE),
  /** bfloat16, {@code bfloat16}: FP32's exponent, 7 mantissa bits. */
  BF16("bf16", "bfloat16", true, 8, 7, 127, Specials.IEEE),
  /**
   * NVIDIA TensorFloat-32: FP32's exponent, 10 mantissa bits (19 bits, held in an FP32 register).
   * Neither NumPy nor ml_dtypes has such a type.
   */
  TF32("tf32", null, true, 8, 10, 127, Specials.IEEE),
  /** IEEE binary32, NumPy {@code float32}. */
  FP32("fp32", "float32", true, 8, 23, 127, Specials.IEEE);

  private final String shortName;
  private final String dtypeName;
  private final boolean signed;
  private final int exponentBits;
  private final int mantissaBits;
  private final int bias;
  private final Specials specials;
  /** Exact value of every code, for formats of up to 16 bits (null for wider ones). */
  private double[] decodeTable;

  FpFormat(String shortName, String dtypeName, boolean signed, int exponentBits,
      int mantissaBits, int bias, Specials specials) {
    this.shortName = shortName;
    this.dtypeName = dtypeName;
    this.signed = signed;
    this.exponentBits = exponentBits;
    this.mantissaBits = mantissaBits;
    this.bias = bias;
    this.specials = specials;
  }

  // ---------------------------------------------------------------- properties

  /** Our short name, as used on the command line and in golden CSV files ({@code e4m3}). */
  public String shortName() {
    return shortName;
  }

  /**
   * The NumPy dtype name: NumPy's own ({@code float16}, {@code float32}) or the one ml_dtypes
   * registers ({@code float8_e4m3fn}, {@code bfloat16}); empty for UE4M3 and TF32, which neither
   * has.
   */
  public Optional<String> dtypeName() {
    return Optional.ofNullable(dtypeName);
  }

  public boolean signed() {
    return signed;
  }

  public int exponentBits() {
    return exponentBits;
  }

  public int mantissaBits() {
    return mantissaBits;
  }

  /** Precision in bits, the implicit bit included. */
  public int precision() {
    return mantissaBits + 1;
  }

  public int bias() {
    return bias;
  }

  public Specials specials() {
    return specials;
  }

  /** Number of bits in a code. */
  public int width() {
    return (signed ? 1 : 0) + exponentBits + mantissaBits;
  }

  /** Bits between the code and its usual container (13 for TF32 in an FP32 register, else 0). */
  public int containerShift() {
    return this == TF32 ? 13 : 0;
  }

  /** Whether this is one of the two 8-bit float formats of FP8 tensor-core operands (E4M3, E5M2). */
  public boolean isFp8() {
    return this == E4M3 || this == E5M2;
  }

  /** Whether the format has subnormal numbers (all but E8M0). */
  public boolean hasSubnormals() {
    return specials != Specials.FNU;
  }

  public boolean hasInfinity() {
    return specials == Specials.IEEE;
  }

  public boolean hasNaN() {
    return specials != Specials.NONE;
  }

  /** Unbiased exponent of the smallest normal number (1 - bias; -127 for E8M0). */
  public int minExponent() {
    return hasSubnormals() ? 1 - bias : -bias;
  }

  /** Unbiased exponent of the largest finite number. */
  public int maxExponent() {
    int topField = (1 << exponentBits) - 1;
    return switch (specials) {
      case IEEE -> topField - 1 - bias;
      case FN, NONE -> topField - bias;
      case FNU -> topField - 1 - bias;
    };
  }

  /** The code of +max finite (without the sign bit). */
  public int maxFiniteCode() {
    int magnitudeMask = (1 << (exponentBits + mantissaBits)) - 1;
    return switch (specials) {
      case IEEE -> (((1 << exponentBits) - 1) << mantissaBits) - 1;
      case FN, FNU -> magnitudeMask - 1;
      case NONE -> magnitudeMask;
    };
  }

  public double maxFinite() {
    return decode(maxFiniteCode());
  }

  /** The smallest positive normal number (2^minExponent). */
  public double minNormal() {
    return Math.scalb(1.0, minExponent());
  }

  /** The smallest positive subnormal number, or the smallest normal for formats without subnormals. */
  public double minSubnormal() {
    return hasSubnormals() ? Math.scalb(1.0, minExponent() - mantissaBits) : minNormal();
  }

  /** The sign bit's mask, 0 for unsigned formats. */
  public int signMask() {
    return signed ? 1 << (exponentBits + mantissaBits) : 0;
  }

  /** Number of distinct codes (2^width; a long because FP32 has 2^32). */
  public long codeCount() {
    return 1L << width();
  }

  /** The canonical quiet NaN of the format, positive, or -1 if the format has no NaN. */
  public int canonicalNaN() {
    return switch (specials) {
      case IEEE -> (((1 << exponentBits) - 1) << mantissaBits) | (1 << (mantissaBits - 1));
      case FN, FNU -> (1 << (exponentBits + mantissaBits)) - 1;
      case NONE -> -1;
    };
  }

  /** The code of +Inf, or -1 if the format has none. */
  public int infinityCode() {
    return hasInfinity() ? ((1 << exponentBits) - 1) << mantissaBits : -1;
  }

  // ---------------------------------------------------------------- names

  /**
   * Looks a format up by any of its names ({@link FormatNames}: ours, ml_dtypes', CUDA's, ...),
   * case-insensitively. Look-alike formats tensor cores do not have ({@code float8_e4m3}) are
   * not found; {@link #parse} says why.
   */
  public static Optional<FpFormat> byName(String name) {
    return FormatNames.lookup(name);
  }

  /** Like {@link #byName} but throws an error that says why the name is refused. */
  public static FpFormat parse(String name) {
    return byName(name).orElseThrow(() -> new IllegalArgumentException(
        FormatNames.whyNot(name)));
  }

  /** Each format's short name with its dtype name, for error messages. */
  public static String knownNames() {
    return FormatNames.knownNames();
  }

  // ---------------------------------------------------------------- decoding

  /** Converts a code in its container (an FP32 bit pattern for TF32) to the packed code. */
  public int fromContainer(long containerBits) {
    return (int) ((containerBits >>> containerShift()) & (codeCount() - 1));
  }

  /** Converts a packed code to its container (an FP32 bit pattern for TF32). */
  public long toContainer(int code) {
    return ((long) code << containerShift()) & 0xFFFFFFFFL;
  }

  /** Checks that a code fits the format's width. */
  public int checkCode(long code) {
    if (code < 0 || code >= codeCount()) {
      throw new IllegalArgumentException(
          "code 0x" + Long.toHexString(code) + " does not fit " + shortName + " (" + width() + " bits)");
    }
    return (int) code;
  }

  public boolean isNegative(int code) {
    return (code & signMask()) != 0;
  }

  /** Biased exponent field of a code. */
  public int exponentField(int code) {
    return (code >>> mantissaBits) & ((1 << exponentBits) - 1);
  }

  /** Mantissa (trailing significand) field of a code. */
  public int mantissaField(int code) {
    return code & ((1 << mantissaBits) - 1);
  }

  public FpClass classify(int code) {
    int e = exponentField(code);
    int m = mantissaField(code);
    int topField = (1 << exponentBits) - 1;
    int magnitude = code & ~signMask();
    return switch (specials) {
      case IEEE -> e == topField ? (m == 0 ? FpClass.INFINITE : FpClass.NAN)
          : e == 0 ? (m == 0 ? FpClass.ZERO : FpClass.SUBNORMAL) : FpClass.NORMAL;
      case FN -> magnitude == canonicalNaN() ? FpClass.NAN
          : e == 0 ? (m == 0 ? FpClass.ZERO : FpClass.SUBNORMAL) : FpClass.NORMAL;
      case FNU -> magnitude == canonicalNaN() ? FpClass.NAN : FpClass.NORMAL;
      case NONE -> e == 0 ? (m == 0 ? FpClass.ZERO : FpClass.SUBNORMAL) : FpClass.NORMAL;
    };
  }

  public boolean isNaN(int code) {
    return classify(code) == FpClass.NAN;
  }

  /**
   * The integer significand of a finite code: value = ±significand(code) * 2^scaleExponent(code).
   * It has the implicit bit for normal numbers and none for subnormals (and is 0 for zero).
   */
  public int significand(int code) {
    int e = exponentField(code);
    int m = mantissaField(code);
    return (e == 0 && hasSubnormals()) ? m : m | (1 << mantissaBits);
  }

  /** The exponent of the unit in the last place of a finite code (see {@link #significand}). */
  public int scaleExponent(int code) {
    int e = exponentField(code);
    int unbiased = (e == 0 && hasSubnormals()) ? 1 - bias : e - bias;
    return unbiased - mantissaBits;
  }

  /** The exact value of a code (NaN and ±Inf as Java's). Every format's values fit a double exactly. */
  public double decode(int code) {
    double[] table = decodeTable;
    if (table != null) {
      return table[code];
    }
    return decodeArithmetic(code);
  }

  /** Java's quiet NaN with the sign bit set. */
  private static final double NEGATIVE_NAN = Double.longBitsToDouble(0xFFF8000000000000L);

  /** Decoding by arithmetic, without the lookup table (kept public for the benchmark). */
  public double decodeArithmetic(int code) {
    // Unsigned: an FP32 code with its sign bit set is a negative int.
    checkCode(Integer.toUnsignedLong(code));
    FpClass c = classify(code);
    double sign = isNegative(code) ? -1.0 : 1.0;
    return switch (c) {
      // The sign of a NaN code is kept (as ml_dtypes keeps it), so that encoding it again gives back
      // a NaN of the same sign.
      case NAN -> isNegative(code) ? NEGATIVE_NAN : Double.NaN;
      case INFINITE -> sign * Double.POSITIVE_INFINITY;
      case ZERO -> sign * 0.0;
      case SUBNORMAL, NORMAL -> sign * Math.scalb((double) significand(code), scaleExponent(code));
    };
  }

  /** The lookup table of all values (formats of up to 16 bits), built once. */
  public double[] decodeTable() {
    if (decodeTable == null) {
      throw new UnsupportedOperationException(shortName + " is too wide for a decode table");
    }
    return decodeTable.clone();
  }

  static {
    for (FpFormat f : values()) {
      if (f.width() <= 16) {
        double[] t = new double[(int) f.codeCount()];
        for (int c = 0; c < t.length; c++) {
          t[c] = f.decodeArithmetic(c);
        }
        f.decodeTable = t;
      }
    }
  }

  // ---------------------------------------------------------------- encoding

  /** Rounds a float to this format (exact widening, then one rounding). */
  public int encode(float value, Rounding rounding, Overflow overflow) {
    return encode((double) value, rounding, overflow);
  }

  /** Rounds a double to this format with one rounding (no detour through float). */
  public int encode(double value, Rounding rounding, Overflow overflow) {
    return Encoder.encode(this, value, rounding, overflow, 0L, false);
  }

  /** Round-to-nearest-even with the ml_dtypes overflow convention, as {@code ml_dtypes} casts. */
  public int encode(double value) {
    return encode(value, Rounding.RNE, Overflow.IEEE);
  }

  /**
   * Stochastic rounding: the discarded part of the significand, as a 32-bit fraction of one unit
   * in the last place, is added to {@code randomBits} (its low 32 bits); a carry out rounds away
   * from zero. This is the scheme of PTX {@code cvt.rs} (random bits added below the kept bits),
   * so the probability of rounding up is the discarded fraction, to 2^-32.
   */
  public int encodeStochastic(double value, Overflow overflow, int randomBits) {
    return Encoder.encode(this, value, Rounding.RZ, overflow, randomBits & 0xFFFFFFFFL, true);
  }

  /**
   * Rounds an exact scaled integer ±magnitude * 2^exponent to this format, once. {@code sticky}
   * says whether non-zero bits lie below the magnitude's last bit (they only break ties and
   * decide directed roundings). This is the entry point for datapaths that sum in fixed point.
   */
  public int encodeScaled(boolean negative, long magnitude, int exponent, boolean sticky,
      Rounding rounding, Overflow overflow) {
    return Encoder.encodeScaled(this, negative, magnitude, exponent, sticky, rounding, overflow,
        0L, false);
  }

  @Override
  public String toString() {
    return shortName;
  }

  /** Formats a code as hex with as many digits as the format needs (container form for TF32). */
  public String hex(int code) {
    int digits = this == TF32 ? 8 : Math.max(1, (width() + 3) / 4);
    long shown = toContainer(code);
    String s = Long.toHexString(shown);
    if (s.length() < digits) {
      char[] pad = new char[digits - s.length()];
      Arrays.fill(pad, '0');
      s = new String(pad) + s;
    }
    return s;
  }
}

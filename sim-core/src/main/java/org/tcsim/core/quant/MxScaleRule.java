package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;

/**
 * How an MX block's E8M0 scale X = 2^E is chosen from the block's amax (docs/hardware-facts.md,
 * Block scaling). Write
 * amax = f * 2^e with f in [1, 2), and the element format's largest value max = m * 2^emax with m in
 * [1, 2) (m = 1.75 for E4M3, E5M2 and E3M2, 1.875 for E2M3, 1.5 for E2M1). Then
 * <ul>
 *   <li>FLOOR gives E = e - emax, so amax / X = f * 2^emax, which exceeds max (and the amax element
 *       saturates) exactly when f &gt; m;</li>
 *   <li>RCEIL gives E = ceil(log2(amax / max)) = e - emax + (f &gt; m ? 1 : 0): one binade above
 *       FLOOR exactly when FLOOR would saturate, else equal; never more than one apart;</li>
 *   <li>CEIL gives E = ceil(log2(amax)) - emax = e - emax + (f &gt; 1 ? 1 : 0).</li>
 * </ul>
 * Scales are clamped to E8M0's range [2^-127, 2^127]; an all-zero block gets code 0x00 (2^-127),
 * which is what microxcaling ({@code log2(0 + 2^-126)} then clamp), torchao (exponent field 0, then
 * clamp) and Transformer Engine ({@code float_to_e8m0(0)}) all produce.
 */
public enum MxScaleRule {
  /**
   * OCP MX v1.0 §6.3, microsoft/microxcaling and torchao {@code ScaleCalculationMode.FLOOR}:
   * E = floor(log2(amax)) - emax_elem, clamped to [-127, 127]. floor(log2) is taken exactly from the
   * FP32 exponent field, as torchao does (microxcaling's FP32 {@code torch.log2} can round an amax
   * a few ulps below a power of two up to that power; this rule does not copy that).
   */
  FLOOR,
  /**
   * torchao {@code ScaleCalculationMode.CEIL}, the "OCP ceil" formula of pytorch/ao#2035:
   * E = ceil(log2(amax)) - emax_elem, clamped. It is the rule that gives code 127 for amax 150 in
   * E4M3 in that issue (FLOOR and RCEIL both give 126).
   */
  CEIL,
  /**
   * NVIDIA's rule (Transformer Engine {@code float_to_e8m0(amax * max_norm_rcp)}, Blackwell
   * {@code cvt.rp.satfinite.ue8m0x2.f32}, torchao {@code RCEIL}): the FP32 product of amax and the
   * FP32 reciprocal of max_elem, rounded up to a power of two, saturating at 0xFE; NaN and Inf give
   * 0xFF. For every amax whose quotient is an FP32 normal number this equals the exact
   * ceil(log2(amax / max)) (the FP32 reciprocal's error is below the gap to the next power of two);
   * where the product falls among FP32 subnormals (amax below about 448 * 2^-126 for E4M3) the
   * product's rounding can land on 2^-127 exactly and give code 0 where the exact rule gives 1.
   */
  RCEIL;

  /** The E8M0 code of the scale for a block with this (non-negative, finite) amax. */
  public int scaleCode(float amax, FpFormat element) {
    int emax = MxScaleRule.checkElement(element).maxExponent();
    return switch (this) {
      case FLOOR -> clampToCode(Math.getExponent(amax) - emax);
      case CEIL -> {
        int bits = Float.floatToRawIntBits(amax);
        int ceilLog2 = Math.getExponent(amax) + ((bits & 0x7FFFFF) != 0 ? 1 : 0);
        yield clampToCode(ceilLog2 - emax);
      }
      case RCEIL -> roundUpToE8m0(amax * (1.0f / (float) element.maxFinite()));
    };
  }

  /** The unbiased exponent E of the scale 2^E for this amax (code - 127). */
  public int scaleExponent(float amax, FpFormat element) {
    return scaleCode(amax, element) - 127;
  }

  /** Element formats that MX blocks hold (OCP MX v1.0 §5): E4M3, E5M2, E3M2, E2M3, E2M1. */
  static FpFormat checkElement(FpFormat element) {
    return switch (element) {
      case E4M3, E5M2, E3M2, E2M3, E2M1 -> element;
      default -> throw new IllegalArgumentException("element format " + element
          + " is not an MX element format (expected e4m3, e5m2, e3m2, e2m3 or e2m1)");
    };
  }

  private static int clampToCode(int exponent) {
    return Math.max(-127, Math.min(127, exponent)) + 127;
  }

  /**
   * The E8M0 code of {@code value} rounded up to a power of two, saturating at 0xFE; NaN and Inf
   * give 0xFF. This is also cuBLASLt's rounding of D's block scales, "Computing scaling and
   * conversion factors for FP8 with UE8M0 scales" (cuBLAS documentation, 1D Block Quantization):
   * the exponent goes up by one for a normal value with a non-zero mantissa below exponent 254,
   * and for a subnormal one whose mantissa exceeds one half.
   */
  public static int roundUpToPowerOfTwo(float value) {
    return roundUpToE8m0(value);
  }

  /**
   * FP32 to E8M0 rounding up (toward +Inf) with saturation at 0xFE, from the FP32 bit fields: the
   * exponent field is the code of the value's binade, and any mantissa bit moves it one up. An FP32
   * subnormal at most 2^-127 (mantissa field at most 0x400000) gives 0x00 = 2^-127. NaN and Inf (exponent
   * field 0xFF) give 0xFF. Source: Transformer Engine {@code ptx::float_to_e8m0}'s software path,
   * which matches {@code cvt.rp.satfinite.ue8m0x2.f32}.
   */
  static int roundUpToE8m0(float value) {
    int bits = Float.floatToRawIntBits(value) & 0x7FFFFFFF;
    int exponent = bits >>> 23;
    int mantissa = bits & 0x7FFFFF;
    if (exponent == 0xFF) {
      return 0xFF;
    }
    boolean up = mantissa != 0 && exponent != 0xFE && !(exponent == 0 && mantissa <= 0x400000);
    return up ? exponent + 1 : exponent;
  }
}

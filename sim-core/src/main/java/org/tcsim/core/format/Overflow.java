package org.tcsim.core.format;

/**
 * What a conversion does with a value beyond the largest finite number of the target format.
 * Formats without infinities and NaN (FP4 E2M1, FP6 E2M3/E3M2) always saturate, whichever is chosen.
 */
public enum Overflow {
  /**
   * The IEEE 754 rule as ml_dtypes applies it: an overflow that IEEE would send to infinity gives
   * Inf where the format has one (E5M2, FP16, BF16, FP32) and NaN where it has none (E4M3
   * {@code float8_e4m3fn}, E8M0); overflows that IEEE rounds to the largest finite number (toward
   * zero, or a directed rounding away from the overflow's sign) give that number. Inf inputs stay
   * Inf, or become NaN where the format has no Inf. Source: ml_dtypes (docs/hardware-facts.md,
   * Number formats).
   */
  IEEE,
  /**
   * PTX {@code .satfinite} (also cuBLAS and PyTorch {@code to_fp8_saturated}): finite overflow and
   * ±Inf clamp to ±max finite; NaN stays NaN. Source: PTX ISA, {@code cvt}
   * (docs/hardware-facts.md, Number formats).
   */
  SATFINITE
}

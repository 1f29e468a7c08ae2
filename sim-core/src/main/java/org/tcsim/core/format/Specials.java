package org.tcsim.core.format;

/** How a format spends its codes on infinities and NaN. */
public enum Specials {
  /** IEEE 754: the all-ones exponent holds ±Inf (mantissa 0) and NaN (mantissa non-zero). */
  IEEE,
  /**
   * "fn" (finite, NaN): no infinities; only the all-ones exponent-and-mantissa code is NaN, so the
   * top binade holds normal numbers. OCP E4M3 ({@code float8_e4m3fn}) and UE4M3.
   */
  FN,
  /**
   * "fnu" (finite, NaN, unsigned, no zero): E8M0 ({@code float8_e8m0fnu}); 0xFF is NaN, every other
   * code is the power of two 2^(e-127).
   */
  FNU,
  /** Every code is a finite number (FP4 E2M1, FP6 E2M3 and E3M2). */
  NONE
}

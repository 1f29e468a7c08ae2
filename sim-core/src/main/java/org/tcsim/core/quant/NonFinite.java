package org.tcsim.core.quant;

/** What a recipe does with NaN or infinite input elements. */
public enum NonFinite {
  /** Throw an {@link IllegalArgumentException} naming the first such element's (row, col). */
  REJECT,
  /**
   * Carry them through: amaxes are taken over the finite elements only; with FP32 scales a NaN
   * element becomes the element format's NaN and ±Inf saturates to ±max (as {@code .satfinite});
   * a block-scaled (MX, NVFP4) block holding any non-finite element gets a NaN scale (E8M0 0xFF,
   * UE4M3 0x7F), as the OCP MX v1.0 spec and Transformer Engine's {@code float_to_e8m0} give for a
   * non-finite amax, and element codes 0 (FP4 has no NaN), so the whole block dequantises to NaN.
   */
  PROPAGATE
}

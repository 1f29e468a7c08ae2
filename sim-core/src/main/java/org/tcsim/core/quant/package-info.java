/**
 * Quantisation recipes: how frameworks turn FP32/BF16 tensors into FP8/FP4 operands and scales for
 * scaled GEMMs (docs/hardware-facts.md, Block scaling). Each recipe is one class behind the sealed
 * {@link
 * org.tcsim.core.quant.Recipe}; the scale layouts are named after cuBLASLt's scale modes
 * ({@link org.tcsim.core.quant.ScaleMode}). Where libraries compute a scale in FP32 arithmetic, the
 * recipe performs the same FP32 operations in the same order (Java {@code float} arithmetic is IEEE
 * binary32 with round-to-nearest-even), so that codes and scales match those libraries bit for bit.
 */
package org.tcsim.core.quant;

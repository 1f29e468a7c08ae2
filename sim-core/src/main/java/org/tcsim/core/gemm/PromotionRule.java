package org.tcsim.core.gemm;

/**
 * How a tensor-core partial sum is added into the FP32 register accumulator at a promotion, with
 * the scale that applies to that K-chunk (1 when every scale is constant along K).
 *
 * <p>CUTLASS's {@code GmmaFP8Accumulation} and DeepGEMM's {@code sm90_fp8_gemm_1d2d} add the
 * partial on the CUDA cores in FP32 (docs/hardware-facts.md, Library GEMM semantics); DeepGEMM
 * writes
 * {@code final_accum += scale * accum}, which nvcc contracts to one FFMA. The exact instruction is
 * not part of the public record, so both are offered, named.
 */
public enum PromotionRule {
  /** {@code acc = fma(partial, scale, acc)}: one rounding (nvcc's default contraction). Default. */
  FMA,
  /** {@code acc = acc + fp32(partial * scale)}: two roundings (contraction disabled). */
  MULTIPLY_THEN_ADD
}

package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;

/**
 * Row-wise scaling as PyTorch's row-wise {@code torch._scaled_mm} uses it (torchao float8
 * {@code ScalingGranularity.AXISWISE}; cuBLASLt {@link ScaleMode#OUTER_VEC_32F}): one FP32 scale per
 * row of A (amax over its K elements) or per column of B. As torchao's {@code amax_to_scale}, the
 * scale is s = fp8_max / max(amax, 1e-12) computed in float64 and rounded to FP32; elements are
 * {@code satfinite(RNE(fp32(x * s)))}; the decode scale is {@code fp32(1 / s)} (torchao passes
 * {@code scale.reciprocal()} to {@code _scaled_mm}).
 *
 * @param elementFormat E4M3 or E5M2
 */
public record RowwiseScaling(FpFormat elementFormat) implements Recipe {

  /** torchao's {@code EPS}, the amax floor that keeps the scale finite. */
  public static final double AMAX_FLOOR = 1e-12;

  public RowwiseScaling {
    Blocks.requireFp8(elementFormat);
  }

  @Override
  public ScaleMode mode() {
    return ScaleMode.OUTER_VEC_32F;
  }

  @Override
  public QuantizedTensor quantize(Matrix m, KAxis k, NonFinite policy) {
    double max = elementFormat.maxFinite();
    return Fp32Scaling.quantize(m, k, policy, ScaleMode.OUTER_VEC_32F, elementFormat,
        new Fp32Scaling.ScalePair() {
          @Override
          public float encode(float amax) {
            // torchao: amax.to(float64); max / clamp(amax, min=EPS); .to(float32)
            return (float) (max / Math.max((double) amax, AMAX_FLOOR));
          }

          @Override
          public float decode(float amax, float s) {
            return 1f / s;
          }
        });
  }
}

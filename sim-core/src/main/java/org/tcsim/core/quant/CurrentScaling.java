package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;

/**
 * Per-tensor current scaling (Transformer Engine {@code Float8CurrentScaling};
 * docs/hardware-facts.md, Block scaling): one
 * FP32 scale s = fp8_max / amax from this tensor's own amax (computed in FP32; a zero amax gives
 * s = 1), elements {@code satfinite(RNE(fp32(x * s)))}, decode scale {@code fp32(1 / s)} (what
 * {@code torch._scaled_mm} takes as scale_a / scale_b). Mode {@link ScaleMode#SCALAR_32F}.
 *
 * @param elementFormat E4M3 or E5M2
 */
public record CurrentScaling(FpFormat elementFormat) implements Recipe {

  public CurrentScaling {
    Blocks.requireFp8(elementFormat);
  }

  @Override
  public ScaleMode mode() {
    return ScaleMode.SCALAR_32F;
  }

  @Override
  public QuantizedTensor quantize(Matrix m, KAxis k, NonFinite policy) {
    float max = (float) elementFormat.maxFinite();
    return Fp32Scaling.quantize(m, k, policy, ScaleMode.SCALAR_32F, elementFormat,
        new Fp32Scaling.ScalePair() {
          @Override
          public float encode(float amax) {
            return Fp32Scaling.teScale(max, amax);
          }

          @Override
          public float decode(float amax, float s) {
            return 1f / s;
          }
        });
  }
}

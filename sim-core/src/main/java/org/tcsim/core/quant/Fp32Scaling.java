package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * The shared loop of the recipes with FP32 scales: per block, an encode scale s from the block's
 * amax; each element becomes {@code satfinite(RNE(fp32(x * s)))}, the FP32 product rounded once
 * more to FP8, exactly as the GPU kernels compute it (Transformer Engine's cast kernels, torchao's
 * {@code to_fp8_saturated(x * scale)}, DeepGEMM's {@code (x * (448 / amax)).to(float8)}); the block
 * stores the decode scale that the GEMM multiplies by.
 */
final class Fp32Scaling {

  /** How a recipe turns a block's finite amax into its encode and decode scales. */
  interface ScalePair {
    /** The scale the elements are multiplied by before rounding. */
    float encode(float amax);

    /** The scale stored for the GEMM ("scale_inv"), given the amax and the encode scale. */
    float decode(float amax, float encodeScale);
  }

  private Fp32Scaling() {}

  static QuantizedTensor quantize(Matrix m, KAxis k, NonFinite policy, ScaleMode mode,
      FpFormat element, ScalePair pair) {
    return quantize(m, k, policy, mode, mode.blockShape(m.rows(), m.cols(), k), element, pair);
  }

  /** As above with an explicit block shape (a what-if block size along K). */
  static QuantizedTensor quantize(Matrix m, KAxis k, NonFinite policy, ScaleMode mode,
      BlockShape shape, FpFormat element, ScalePair pair) {
    float[] scales = new float[shape.gridRows(m.rows()) * shape.gridCols(m.cols())];
    byte[] codes = new byte[m.rows() * m.cols()];
    Blocks.forEach(m, shape, (index, r0, r1, c0, c1) -> {
      float amax = Blocks.amax(m, r0, r1, c0, c1, policy);
      float s = pair.encode(amax);
      scales[index] = pair.decode(amax, s);
      Blocks.encode(m, codes, r0, r1, c0, c1,
          x -> element.encode(x * s, Rounding.RNE, Overflow.SATFINITE));
    });
    return new QuantizedTensor(m.rows(), m.cols(), k, mode, element, shape, codes, scales, null,
        1.0f);
  }

  /**
   * Transformer Engine's {@code compute_scale_from_amax} (no epsilon, no power-of-two rounding):
   * s = fp8_max / amax in FP32; a zero amax keeps s = 1; an s that overflows FP32 becomes
   * FLT_MAX.
   */
  static float teScale(float fp8Max, float amax) {
    if (amax == 0f) {
      return 1f;
    }
    float s = fp8Max / amax;
    return Float.isInfinite(s) ? Float.MAX_VALUE : s;
  }
}

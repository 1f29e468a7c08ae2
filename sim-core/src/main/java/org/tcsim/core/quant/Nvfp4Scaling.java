package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * NVFP4 two-level scaling ({@link ScaleMode#VEC16_UE4M3}; docs/hardware-facts.md, Block scaling):
 * E2M1 elements, one UE4M3
 * scale per 16 elements along K, and one FP32 per-tensor scale. The arithmetic is Transformer
 * Engine's ({@code core_nvfp4.cuh}), all in FP32 with round-to-nearest-even:
 * <ol>
 *   <li>S_enc = (448 * 6) / global_amax, capped at FLT_MAX; 1 if global_amax is 0;</li>
 *   <li>per block, scale code = satfinite(RNE_e4m3(block_amax * (S_enc * fp32(1/6))));</li>
 *   <li>S_dec = 1 / S_enc; per block, r = min(1 / (scale * S_dec), FLT_MAX);</li>
 *   <li>elements satfinite(RNE_e2m1(x * r)).</li>
 * </ol>
 * The per-tensor decode scale stored is S_dec, so value = e2m1 * ue4m3 * S_dec. A block whose scale
 * rounds to 0 dequantises to 0 whatever its (saturated) element codes. K not a multiple of 16 leaves
 * a partial last block.
 */
public record Nvfp4Scaling() implements Recipe {

  /** Elements per block. */
  public static final int BLOCK = 16;
  /** E4M3 max times E2M1 max: 448 * 6. */
  public static final float RANGE = 2688f;

  @Override
  public ScaleMode mode() {
    return ScaleMode.VEC16_UE4M3;
  }

  @Override
  public FpFormat elementFormat() {
    return FpFormat.E2M1;
  }

  /** TE {@code compute_global_encode_scaling_factor_FP4}. */
  public static float globalEncodeScale(float globalAmax) {
    if (globalAmax == 0f) {
      return 1f;
    }
    float s = Math.min(RANGE / globalAmax, Float.MAX_VALUE);
    return s == 0f ? 1f : s;
  }

  @Override
  public QuantizedTensor quantize(Matrix m, KAxis k, NonFinite policy) {
    float globalAmax = Blocks.amax(m, 0, m.rows(), 0, m.cols(), policy);
    float sEnc = globalEncodeScale(globalAmax);
    float sDec = 1f / sEnc;
    float blockFactor = sEnc * (1f / 6f);
    BlockShape shape = ScaleMode.VEC16_UE4M3.blockShape(m.rows(), m.cols(), k);
    byte[] scaleCodes = new byte[shape.gridRows(m.rows()) * shape.gridCols(m.cols())];
    byte[] codes = new byte[m.rows() * m.cols()];
    Blocks.forEach(m, shape, (index, r0, r1, c0, c1) -> {
      if (policy == NonFinite.PROPAGATE && Blocks.hasNonFinite(m, r0, r1, c0, c1)) {
        scaleCodes[index] = (byte) FpFormat.UE4M3.canonicalNaN();
        return;
      }
      float blockAmax = Blocks.amax(m, r0, r1, c0, c1, policy);
      int scaleCode = FpFormat.UE4M3.encode(blockAmax * blockFactor, Rounding.RNE,
          Overflow.SATFINITE);
      scaleCodes[index] = (byte) scaleCode;
      float blockScale = (float) FpFormat.UE4M3.decode(scaleCode);
      float r = Math.min(1f / (blockScale * sDec), Float.MAX_VALUE);
      Blocks.encode(m, codes, r0, r1, c0, c1,
          x -> FpFormat.E2M1.encode(x * r, Rounding.RNE, Overflow.SATFINITE));
    });
    return new QuantizedTensor(m.rows(), m.cols(), k, ScaleMode.VEC16_UE4M3, FpFormat.E2M1, shape,
        codes, null, scaleCodes, sDec);
  }
}

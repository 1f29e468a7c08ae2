package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;

/**
 * DeepSeek-V3 fine-grained scaling (DeepSeek-V3 technical report §3.3.2; DeepGEMM's
 * {@code per_token_cast_to_fp8} and
 * {@code per_block_cast_to_fp8}): 1 x 128 groups along K for activations
 * ({@link ScaleMode#VEC128_32F}) or 128 x 128 blocks for weights ({@link ScaleMode#BLK128x128_32F}).
 * Per group, in FP32: a = max(amax, 1e-4); elements {@code RNE(fp32(x * fp32(fp8_max / a)))}
 * (never beyond fp8_max, so saturation never acts); decode scale {@code fp32(a / fp8_max)} (DeepGEMM
 * stores {@code x_amax / 448}, not the reciprocal of the encode scale; the two can differ in the last
 * bit). A K that 128 does not divide leaves a partial last group, as DeepGEMM's zero padding does.
 *
 * <p>{@code blockSize} is a what-if: the extent of a group (1 x B) or block (B along K x 128
 * across K) along K; DeepSeek-V3 and cuBLASLt use 128. Only the extent along K changes, so the
 * GEMM still applies one scale per promotion chunk (which must divide B; see
 * {@code org.tcsim.core.gemm.Gemm}).
 *
 * @param elementFormat E4M3 (as DeepSeek-V3) or E5M2
 * @param mode VEC128_32F or BLK128x128_32F
 * @param blockSize elements per group or block along K ({@link #BLOCK} = 128 as DeepSeek-V3)
 */
public record GroupScaling(FpFormat elementFormat, ScaleMode mode, int blockSize)
    implements Recipe {

  /** DeepSeek-V3's group and block extent along K. */
  public static final int BLOCK = 128;

  /** DeepGEMM's amax floor ({@code clamp(1e-4)}), so that an all-zero group has a finite scale. */
  public static final float AMAX_FLOOR = 1e-4f;

  public GroupScaling {
    Blocks.requireFp8(elementFormat);
    if (mode != ScaleMode.VEC128_32F && mode != ScaleMode.BLK128x128_32F) {
      throw new IllegalArgumentException(
          "group scaling mode must be VEC128_32F or BLK128x128_32F, got " + mode);
    }
    MxScaling.checkBlockSize(blockSize);
  }

  /** DeepSeek-V3's 128 along K. */
  public GroupScaling(FpFormat elementFormat, ScaleMode mode) {
    this(elementFormat, mode, BLOCK);
  }

  /** The same recipe with a what-if extent along K. */
  public GroupScaling withBlockSize(int size) {
    return new GroupScaling(elementFormat, mode, size);
  }

  /** 1 x 128 activation groups in E4M3. */
  public static GroupScaling activations() {
    return new GroupScaling(FpFormat.E4M3, ScaleMode.VEC128_32F);
  }

  /** 128 x 128 weight blocks in E4M3. */
  public static GroupScaling weights() {
    return new GroupScaling(FpFormat.E4M3, ScaleMode.BLK128x128_32F);
  }

  @Override
  public QuantizedTensor quantize(Matrix m, KAxis k, NonFinite policy) {
    float max = (float) elementFormat.maxFinite();
    BlockShape shape = mode.blockShape(m.rows(), m.cols(), k, blockSize);
    Fp32Scaling.ScalePair pair = new Fp32Scaling.ScalePair() {
      @Override
      public float encode(float amax) {
        return max / Math.max(amax, AMAX_FLOOR);
      }

      @Override
      public float decode(float amax, float s) {
        return Math.max(amax, AMAX_FLOOR) / max;
      }
    };
    return Fp32Scaling.quantize(m, k, policy, mode, shape, elementFormat, pair);
  }
}

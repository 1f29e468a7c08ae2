package org.tcsim.core.gemm;

import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.quant.MxScaleRule;
import org.tcsim.core.quant.ScaleMode;

/**
 * cuBLASLt's quantisation of a block-scaled FP8 or FP4 output (cuBLAS documentation, "16/32-Element
 * 1D Block Scaling for FP8 and FP4 Data Types", "1D Block Quantization"): {@code {scale_D^out, D} =
 * Quantize(scale_D^in * D_fp32)}, per block of k elements of a column of D (along M), all in FP32
 * with round to nearest even:
 * <ol>
 *   <li>{@code v = scale_D^in * d} for each element (a multiplication by 1 with UE8M0 scales);</li>
 *   <li>{@code S_fp32 = Amax(block of v) / Amax(DType)}, Amax(DType) being the output format's
 *       largest finite value (448, 57344 or 6); a partial last block is quantised "as if the missing
 *       values are zero", i.e. over the rows that exist;</li>
 *   <li>UE8M0: S is S_fp32 rounded up to a power of two on its bit fields, saturating at 2^127
 *       ({@link MxScaleRule#roundUpToPowerOfTwo}; the documentation notes that this differs from
 *       the OCP MX rounding); UE4M3: {@code S = e4m3(S_fp32)}, round to nearest even, saturating
 *       at 448 as the cvt {@code .satfinite} conversions do;</li>
 *   <li>{@code R = 1 / fp32(S)} in FP32, and each element {@code DType(v * R)}: RNE, saturating
 *       to the largest finite value ({@code satfinite}, as cuBLASLt's FP8 outputs).</li>
 * </ol>
 * Two cases the documentation leaves open are tcsim's choices: a UE4M3 scale that rounds to 0
 * (a block whose amax is below 2^-10 * 6 of scale_D^in) gives {@code R = 0} and zero elements, as
 * NVIDIA's FP4 quantisation kernels do (TensorRT-LLM {@code quantization_utils.cuh}, an output
 * scale of 0 when the block scale is 0); a block holding NaN or infinity gets a NaN scale (E8M0
 * 0xFF, UE4M3 0x7F) and its elements NaN, or 0 in E2M1, which has no NaN.
 */
final class DBlockQuantizer {

  private final ScaleMode mode;
  private final FpFormat out;
  private final float scaleDIn;
  private final float maxFinite;
  private long saturated;

  DBlockQuantizer(GemmConfig config) {
    this.mode = config.outputScaleMode();
    this.out = config.outputFormat();
    this.scaleDIn = config.scaleD();
    this.maxFinite = (float) out.maxFinite();
  }

  /** The conversion factor R = 1 / fp32(S) of a scale code; 0 for a zero scale. */
  static float conversionFactor(ScaleMode mode, int scaleCode) {
    float s = (float) mode.scaleFormat().decode(scaleCode);
    return s == 0f ? 0f : 1f / s;
  }

  /**
   * Quantises the M x N FP32 D (row-major) into {@code codes} and returns the block scales.
   * Rows are swept in order, so the work is cache-friendly and its result independent of any
   * threading.
   */
  DBlockScales quantize(float[] d, int m, int n, int[] codes) {
    int block = mode.alongK();
    int blockRows = (m + block - 1) / block;
    byte[] scales = new byte[blockRows * n];
    float[] amax = new float[n];
    float[] factor = new float[n];
    for (int b = 0; b < blockRows; b++) {
      int r0 = b * block;
      int r1 = Math.min(m, r0 + block);
      java.util.Arrays.fill(amax, 0f);
      for (int i = r0; i < r1; i++) {
        for (int j = 0; j < n; j++) {
          // Math.max keeps a NaN, so a block holding one gets a NaN amax.
          amax[j] = Math.max(amax[j], Math.abs(scaleDIn * d[i * n + j]));
        }
      }
      for (int j = 0; j < n; j++) {
        int code = scaleCode(amax[j] / maxFinite);
        scales[b * n + j] = (byte) code;
        factor[j] = conversionFactor(mode, code);
      }
      for (int i = r0; i < r1; i++) {
        for (int j = 0; j < n; j++) {
          codes[i * n + j] = element((scaleDIn * d[i * n + j]) * factor[j]);
        }
      }
    }
    return new DBlockScales(mode, out, m, n, scales, scaleDIn);
  }

  /** Elements whose scaled value lay beyond the output's largest finite value. */
  long saturated() {
    return saturated;
  }

  private int scaleCode(float s) {
    return switch (mode) {
      case VEC32_UE8M0 -> MxScaleRule.roundUpToPowerOfTwo(s);
      case VEC16_UE4M3 -> FpFormat.UE4M3.encode(s, Rounding.RNE, Overflow.SATFINITE);
      default -> throw new AssertionError(mode);
    };
  }

  private int element(float v) {
    if (Float.isNaN(v)) {
      return out.hasNaN() ? out.canonicalNaN() : 0;
    }
    if (Math.abs(v) > maxFinite) {
      saturated++;
    }
    return out.encode(v, Rounding.RNE, Overflow.SATFINITE);
  }
}

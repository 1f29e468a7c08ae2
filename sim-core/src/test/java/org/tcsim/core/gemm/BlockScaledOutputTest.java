package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.Matrix;
import org.tcsim.core.quant.MxScaleRule;
import org.tcsim.core.quant.MxScaling;
import org.tcsim.core.quant.ElementRounding;
import org.tcsim.core.quant.Nvfp4Scaling;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;

/**
 * Block-scaled narrow outputs against an exact re-computation of cuBLAS's "1D Block Quantization"
 * (cuBLAS documentation, "16/32-Element 1D Block Scaling for FP8 and FP4 Data Types"): block amax
 * along M, {@code S_fp32 = amax / Amax(DType)}, the scale (UE8M0: the smallest power of two at or
 * above S_fp32, within [2^-127, 2^127]; UE4M3: the nearest UE4M3 value), {@code R = 1 / S}, and
 * each element the nearest code of {@code v * R}, every FP32 step rounded by {@link ExactFloat}.
 */
class BlockScaledOutputTest {

  /** What the reference computes for one D. */
  record Expected(int[] codes, byte[] scales, long saturated) {}

  static Expected reference(float[] d, int m, int n, FpFormat out, ScaleMode mode,
      float scaleDIn) {
    int block = mode == ScaleMode.VEC32_UE8M0 ? 32 : 16;
    int blockRows = (m + block - 1) / block;
    int[] codes = new int[m * n];
    byte[] scales = new byte[blockRows * n];
    long saturated = 0;
    float max = (float) out.maxFinite();
    for (int b = 0; b < blockRows; b++) {
      for (int j = 0; j < n; j++) {
        int r1 = Math.min(m, (b + 1) * block);
        float amax = 0f;
        for (int i = b * block; i < r1; i++) {
          amax = Math.max(amax, Math.abs(ExactFloat.mul(scaleDIn, d[i * n + j])));
        }
        float s32 = ExactFloat.div(amax, max);
        int code;
        float scale;
        if (mode == ScaleMode.VEC32_UE8M0) {
          int e = -127;
          while (e < 127 && new BigDecimal(Math.scalb(1.0, e)).compareTo(ExactFloat.exact(s32)) < 0) {
            e++;
          }
          code = e + 127;
          scale = (float) Math.scalb(1.0, e);
        } else {
          code = ExactFloat.nearestCode(FpFormat.UE4M3, s32);
          scale = (float) FpFormat.UE4M3.decode(code);
        }
        scales[b * n + j] = (byte) code;
        float factor = scale == 0f ? 0f : ExactFloat.div(1f, scale);
        for (int i = b * block; i < r1; i++) {
          float v = ExactFloat.mul(ExactFloat.mul(scaleDIn, d[i * n + j]), factor);
          saturated += Math.abs(v) > max ? 1 : 0;
          codes[i * n + j] = ExactFloat.nearestCode(out, v);
        }
      }
    }
    return new Expected(codes, scales, saturated);
  }

  /**
   * D values over many binades, with an all-zero block, a block of values so small that a UE4M3
   * scale rounds to 0, and a block so large that it rounds to UE4M3's 448 and saturates; M = 37
   * leaves partial blocks of 5 (UE8M0) and 5 (UE4M3) rows.
   */
  static float[] awkwardD(int m, int n, long seed) {
    Random r = new Random(seed);
    float[] d = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double v = r.nextGaussian() * Math.scalb(1.0, r.nextInt(24) - 12);
        if (j == 1) {
          v = 0;
        } else if (j == 2) {
          v = r.nextGaussian() * 1e-6;
        } else if (j == 3) {
          v = r.nextGaussian() * 1e6;
        }
        d[i * n + j] = (float) v;
      }
    }
    return d;
  }

  @ParameterizedTest
  @CsvSource({"e4m3, VEC32_UE8M0, 1", "e5m2, VEC32_UE8M0, 1", "e2m1, VEC32_UE8M0, 1",
      "e2m1, VEC16_UE4M3, 1", "e2m1, VEC16_UE4M3, 0.37", "e2m1, VEC16_UE4M3, 1000",
      "e4m3, VEC16_UE4M3, 3"})
  void quantisationMatchesTheDocumentedSteps(String outName, ScaleMode mode, float scaleDIn) {
    FpFormat out = FpFormat.parse(outName);
    int m = 37;
    int n = 6;
    for (long seed = 1; seed <= 5; seed++) {
      float[] d = awkwardD(m, n, seed);
      GemmConfig cfg = GemmConfig.hopper().withOutput(out, scaleDIn, mode);
      DBlockQuantizer q = new DBlockQuantizer(cfg);
      int[] codes = new int[m * n];
      DBlockScales scales = q.quantize(d, m, n, codes);
      Expected e = reference(d, m, n, out, mode, scaleDIn);
      assertArrayEquals(e.scales(), scales.codes(), "scales, seed " + seed);
      assertArrayEquals(e.codes(), codes, "elements, seed " + seed);
      assertEquals(e.saturated(), q.saturated(), "saturated, seed " + seed);
      assertEquals((m + scales.block() - 1) / scales.block(), scales.blockRows());
    }
  }

  @Test
  void workedBlocks() {
    // One UE8M0 block of E4M3: amax 500 -> S_fp32 = 500/448, rounded up to 2; R = 0.5;
    // 500 * 0.5 = 250, whose nearest E4M3 value is 256 (240 and 256 are neighbours); 3 * 0.5 = 1.5.
    float[] d = new float[32];
    d[0] = 500f;
    d[1] = 3f;
    int[] codes = new int[32];
    DBlockScales s = new DBlockQuantizer(GemmConfig.hopper().withOutput(FpFormat.E4M3, 1f,
        ScaleMode.VEC32_UE8M0)).quantize(d, 32, 1, codes);
    assertEquals(127 + 1, s.codeAt(0, 0));
    assertEquals(256.0, FpFormat.E4M3.decode(codes[0]));
    assertEquals(1.5, FpFormat.E4M3.decode(codes[1]));
    assertEquals(512.0, s.dequantize(new CodeMatrix(FpFormat.E4M3, 32, 1, codes), 0, 0));
    // amax exactly 448 * 2^3: S_fp32 is a power of two and is kept (no rounding up).
    d[0] = 448f * 8;
    s = new DBlockQuantizer(GemmConfig.hopper().withOutput(FpFormat.E4M3, 1f,
        ScaleMode.VEC32_UE8M0)).quantize(d, 32, 1, codes);
    assertEquals(127 + 3, s.codeAt(0, 0));
    // One UE4M3 block of E2M1: amax 7 -> S_fp32 = 7/6 = 1.1666..., nearest UE4M3 1.125;
    // R = 1/1.125 = 0.888...; 7 * R = 6.22 saturates to 6 (counted).
    float[] f = new float[16];
    f[0] = 7f;
    int[] c4 = new int[16];
    DBlockQuantizer q = new DBlockQuantizer(GemmConfig.hopper().withOutput(FpFormat.E2M1, 1f,
        ScaleMode.VEC16_UE4M3));
    DBlockScales s4 = q.quantize(f, 16, 1, c4);
    assertEquals(1.125, s4.scaleAt(0, 0));
    assertEquals(6.0, FpFormat.E2M1.decode(c4[0]));
    assertEquals(1, q.saturated());
  }

  @Test
  void nonFiniteBlocksGetANanScale() {
    float[] d = new float[64];
    d[3] = Float.NaN;
    d[40] = Float.POSITIVE_INFINITY;
    int[] codes = new int[64];
    DBlockScales s = new DBlockQuantizer(GemmConfig.hopper().withOutput(FpFormat.E4M3, 1f,
        ScaleMode.VEC32_UE8M0)).quantize(d, 64, 1, codes);
    assertEquals(0xFF, s.codeAt(0, 0));
    assertEquals(0xFF, s.codeAt(40, 0));
    assertTrue(FpFormat.E4M3.isNaN(codes[3]) && FpFormat.E4M3.isNaN(codes[5]));
    int[] fp4 = new int[64];
    DBlockScales s4 = new DBlockQuantizer(GemmConfig.hopper().withOutput(FpFormat.E2M1, 1f,
        ScaleMode.VEC16_UE4M3)).quantize(d, 64, 1, fp4);
    assertTrue(FpFormat.UE4M3.isNaN(s4.codeAt(3, 0)));
    assertEquals(0, fp4[3]); // E2M1 has no NaN: the NaN scale carries it
  }

  /**
   * Whole GEMMs with block-scaled outputs on the exact-sum (B200) datapath: the FP32 D is the one
   * an FP32-output run computes, the codes and scales are the reference quantisation of it, and
   * the accuracy summary compares in the codes' terms.
   */
  @Test
  void gemmOutputsAreTheQuantisedFp32Result() {
    Random r = new Random(3);
    int m = 40;
    int n = 24;
    Matrix x = Operands.normal(m, 64, r);
    Matrix w = Operands.normal(n, 64, r);
    QuantizedTensor mxA = new MxScaling(FpFormat.E4M3, MxScaleRule.RCEIL, ElementRounding.RNE)
        .quantize(x, KAxis.ALONG_ROWS);
    QuantizedTensor mxB = new MxScaling(FpFormat.E4M3, MxScaleRule.RCEIL, ElementRounding.RNE)
        .quantize(w, KAxis.ALONG_ROWS);
    QuantizedTensor nvA = new Nvfp4Scaling().quantize(x, KAxis.ALONG_ROWS);
    QuantizedTensor nvB = new Nvfp4Scaling().quantize(w, KAxis.ALONG_ROWS);
    GemmConfig base = GemmConfig.hopper().withThreads(2);
    check(base, mxA, mxB, FpFormat.E4M3, ScaleMode.VEC32_UE8M0, 1f, m, n);
    check(base, nvA, nvB, FpFormat.E2M1, ScaleMode.VEC16_UE4M3, 2.5f, m, n);
  }

  private static void check(GemmConfig base, QuantizedTensor a, QuantizedTensor b, FpFormat out,
      ScaleMode mode, float scaleDIn, int m, int n) {
    GemmResult fp32 = Gemm.run(GemmReferenceTest.B200, base, a, b);
    assertNull(fp32.dScales());
    GemmResult r = Gemm.run(GemmReferenceTest.B200, base.withOutput(out, scaleDIn, mode), a, b);
    assertArrayEquals(fp32.dFp32(), r.dFp32());
    Expected e = reference(fp32.dFp32(), m, n, out, mode, scaleDIn);
    assertNotNull(r.dScales());
    assertArrayEquals(e.scales(), r.dScales().codes());
    assertArrayEquals(e.codes(), r.d().codes());
    assertEquals(e.saturated(), r.saturated());
    AccuracySummary s = GemmAccuracy.compare(r, a, b, null, m * n, 1);
    assertEquals(m * n, s.compared());
    // Half an ulp of the output format at most, in the codes' terms, unless saturated.
    long withinHalf = s.ulpHistogram()[0] + s.ulpHistogram()[1];
    assertTrue(withinHalf >= m * n - r.saturated(), s.format());
  }

  @Test
  void outputScalingIsCheckedWithTheFormat() {
    GemmConfig c = GemmConfig.hopper();
    assertThrows(IllegalArgumentException.class, () -> c.withOutput(FpFormat.E2M1, 1f));
    assertThrows(IllegalArgumentException.class,
        () -> c.withOutput(FpFormat.BF16, 1f, ScaleMode.VEC32_UE8M0));
    assertThrows(IllegalArgumentException.class,
        () -> c.withOutput(FpFormat.E4M3, 2f, ScaleMode.VEC32_UE8M0));
    assertThrows(IllegalArgumentException.class,
        () -> c.withOutput(FpFormat.E4M3, 1f, ScaleMode.OUTER_VEC_32F));
    assertTrue(c.withOutput(FpFormat.E2M1, 0.5f, ScaleMode.VEC16_UE4M3).describe()
        .contains("out e2m1 with VEC16_UE4M3 block scales (scale_D^in 0.5)"),
        c.withOutput(FpFormat.E2M1, 0.5f, ScaleMode.VEC16_UE4M3).describe());
  }
}

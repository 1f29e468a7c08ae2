package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.quant.CurrentScaling;
import org.tcsim.core.quant.ElementRounding;
import org.tcsim.core.quant.GroupScaling;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.Matrix;
import org.tcsim.core.quant.MxScaleRule;
import org.tcsim.core.quant.MxScaling;
import org.tcsim.core.quant.Nvfp4Scaling;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.Recipe;
import org.tcsim.core.quant.RowwiseScaling;
import org.tcsim.core.quant.ScaleMode;

/**
 * Whole GEMMs, every GPU preset x scaling recipe x output format: the GEMM on the fast kernels
 * equals, bit for bit, the same GEMM with its tensor-core part on the generic datapath
 * ({@link Gemm#runOnReferenceKernels}), whose other parts (promotion, split-K, epilogue) are
 * checked by hand in {@code GemmReferenceTest}. Random ragged shapes (some spanning the fast
 * kernels' 1024-column tiles), promotion intervals, fast accumulation, split-K, alpha, beta with
 * C, bias, thread counts, and operands with a wide spread of magnitudes and exact zeros.
 */
class FastGemmEqualsReferenceGemmTest {

  /** The presets' values: H100, B200, Ada FP8 into FP32; H100/B200 and Ada FP8 into FP16. */
  private static final BlockFmaParams[] PRESETS = {
      FastKernelEquivalenceTest.H100,
      TruncatedSumKernelEquivalenceTest.B200,
      BlockFmaParams.of(16, 13, Rounding.RZ, FpFormat.FP32).withNormalisedMantissaBits(13),
      HalfAccumulatorKernelEquivalenceTest.MMA_SYNC_FP16,
      HalfAccumulatorKernelEquivalenceTest.ADA_FP16};

  private static final FpFormat[] OUTPUTS = {FpFormat.FP32, FpFormat.BF16, FpFormat.FP16,
      FpFormat.E4M3, FpFormat.E5M2};

  @Property(tries = 150)
  void fastGemmEqualsTheGemmOnTheReferenceDatapath(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 4) int preset,
      @ForAll @IntRange(min = 0, max = 5) int recipe) {
    Random r = new Random(seed);
    BlockFmaParams p = PRESETS[preset];
    boolean inMma = recipe == 3 || recipe == 4;
    if (inMma && preset != 1) {
      return; // block scales inside the MMA are modelled for the B200 datapath only
    }
    int along = switch (recipe) {
      case 2 -> 128;
      case 3 -> 32;
      case 4 -> 16;
      default -> 1;
    };
    int k = along == 1 ? 1 + r.nextInt(300) : along * (1 + r.nextInt(along == 128 ? 3 : 10));
    boolean wide = r.nextInt(6) == 0;
    int m = wide ? 1 + r.nextInt(2) : 1 + r.nextInt(40);
    int n = wide ? 1000 + r.nextInt(200) : 1 + r.nextInt(120);
    QuantizedTensor a = recipe(recipe, true).quantize(matrix(m, k, r), KAxis.ALONG_ROWS);
    QuantizedTensor b = recipe(recipe, false).quantize(matrix(n, k, r), KAxis.ALONG_ROWS);
    FpFormat out = OUTPUTS[r.nextInt(OUTPUTS.length)];
    int interval = recipe == 2 ? 1 + r.nextInt(4) / 3 * 3 : new int[] {0, 1, 4}[r.nextInt(3)];
    GemmConfig cfg = GemmConfig.hopper().withPromotionInterval(interval)
        .withSplitK(1 + r.nextInt(3)).withAlpha(r.nextBoolean() ? 1f : 0.375f)
        .withOutput(out, out.isFp8() && r.nextBoolean() ? 0.125f : 1f)
        .withThreads(1 + r.nextInt(2));
    CodeMatrix c = null;
    if (r.nextBoolean()) {
      float[] cv = new float[m * n];
      for (int x = 0; x < cv.length; x++) {
        cv[x] = (float) r.nextGaussian();
      }
      c = CodeMatrix.ofFloats(m, n, cv);
      cfg = cfg.withBeta(0.5f);
    }
    if (r.nextBoolean()) {
      float[] bias = new float[n];
      for (int j = 0; j < n; j++) {
        bias[j] = (float) r.nextGaussian();
      }
      cfg = cfg.withBias(bias);
    }
    GemmResult fast = Gemm.run(p, cfg, a, b, c);
    GemmResult reference = Gemm.runOnReferenceKernels(p, cfg, a, b, c);
    String what = p.describe() + " recipe " + recipe + " " + cfg.describe() + " " + m + "x" + n
        + "x" + k + " on " + fast.kernel() + " vs " + reference.kernel();
    assertFalse(fast.kernel().equals(reference.kernel()), "a fast kernel ran: " + what);
    assertArrayEquals(bits(reference.dFp32()), bits(fast.dFp32()), what);
    assertArrayEquals(reference.d().codes(), fast.d().codes(), what);
    assertEquals(Float.floatToRawIntBits(reference.amaxD()), Float.floatToRawIntBits(fast.amaxD()));
    assertEquals(reference.saturated(), fast.saturated());
  }

  private static Recipe recipe(int r, boolean isA) {
    FpFormat e4m3 = FpFormat.E4M3;
    return switch (r) {
      case 0 -> new CurrentScaling(e4m3);
      case 1 -> new RowwiseScaling(e4m3);
      case 2 -> new GroupScaling(e4m3, isA ? ScaleMode.VEC128_32F : ScaleMode.BLK128x128_32F);
      case 3 -> new MxScaling(e4m3, MxScaleRule.RCEIL, ElementRounding.RNE);
      case 4 -> new Nvfp4Scaling();
      default -> new CurrentScaling(isA ? e4m3 : FpFormat.E5M2);
    };
  }

  /** Values with a wide spread of magnitudes and some exact zeros. */
  private static Matrix matrix(int rows, int cols, Random r) {
    float[] x = new float[rows * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(10) == 0 ? 0f : (float) (r.nextGaussian() * Math.exp(r.nextGaussian() * 3));
    }
    return new Matrix(rows, cols, x);
  }

  private static int[] bits(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]);
    }
    return out;
  }
}

package org.tcsim.studies.whatif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.Matrix;

class SimulatedMatmulTest {
  /**
   * Hopper FP8 into FP32 (docs/hardware-facts.md, Hopper FP8; Khattak & Mikaitis H100TC): fma 32,
   * 13 bits, RZ.
   */
  static final BlockFmaParams H100_FP8 = BlockFmaParams.of(32, 13, Rounding.RZ, FpFormat.FP32)
      .withNormalisedMantissaBits(13);
  /** Blackwell FP8 into FP32 (docs/hardware-facts.md, B200 FP8): exact sum, RNE. */
  static final BlockFmaParams B200_FP8 = BlockFmaParams.of(32, 25, Rounding.RNE, FpFormat.FP32)
      .withAlignment(AlignmentMode.EXACT);
  /** FP16/BF16 into FP32 (docs/hardware-facts.md, FP16, BF16 and TF32): fma 16, 25 bits, RZ. */
  static final BlockFmaParams HALF = BlockFmaParams.of(16, 25, Rounding.RZ, FpFormat.FP32);

  private static SimulatedMatmul mm(QuantRecipe r, BlockFmaParams fp8) {
    return new SimulatedMatmul(r, fp8, HALF, GemmConfig.hopper().withThreads(1));
  }

  /**
   * Multiples of 1/2 in [-3.5, 3.5] with 3.5 first in every row: every row, block and tensor has
   * amax 3.5, so every recipe's scale is a power of two (448 / 3.5 = 128; MX: 2^-7), every scaled
   * value has at most 3 significant bits (exact in E4M3 and BF16) and every sum of products is a
   * multiple of 1/4 below 2^7, exact in FP32 and within Hopper's 13 alignment bits.
   */
  private static Matrix ints(int rows, int cols, long seed) {
    Random r = new Random(seed);
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % cols == 0 ? 3.5f : (r.nextInt(15) - 7) / 2f;
    }
    return new Matrix(rows, cols, v);
  }

  private static float[] exact(Matrix a, Matrix bt) {
    int m = a.rows();
    int n = bt.rows();
    int k = a.cols();
    float[] d = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        long s = 0; // in quarters
        for (int x = 0; x < k; x++) {
          s += (long) (2 * a.get(i, x)) * (long) (2 * bt.get(j, x));
        }
        d[i * n + j] = s / 4f;
      }
    }
    return d;
  }

  @Test
  void everyRecipeIsExactOnSmallIntegersWithPaddedK() {
    // K = 10 is padded to 128 (blocks), 32 (MX) or 16 (NVFP4 is not exact on 4: skip it).
    Matrix a = ints(5, 10, 1);
    Matrix b = ints(7, 10, 2);
    float[] want = exact(a, b);
    for (QuantRecipe r : QuantRecipe.values()) {
      if (r == QuantRecipe.NVFP4) {
        continue;
      }
      BlockFmaParams fp8 = r.scalesInMma() ? B200_FP8 : H100_FP8;
      SimulatedMatmul.Product p = mm(r, fp8).multiply(a, KAxis.ALONG_ROWS,
          r.newQuantiser(FpFormat.E4M3, false), b, KAxis.ALONG_ROWS,
          r.newQuantiser(FpFormat.E4M3, true));
      assertArrayEquals(want, p.d(), 0f, r.label());
      assertEquals(r.kMultiple() == 1 ? 10 : r.kMultiple(), p.k(), r.label());
    }
  }

  @Test
  void kAlongColumnsMeansTheTransposedOperand() {
    Matrix a = ints(6, 4, 3); // K x M: K = 6
    Matrix b = ints(6, 3, 4); // K x N
    float[] got = mm(QuantRecipe.FP32, H100_FP8).multiply(a, KAxis.ALONG_COLUMNS, null, b,
        KAxis.ALONG_COLUMNS, null).d();
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        long s = 0;
        for (int x = 0; x < 6; x++) {
          s += (long) (2 * a.get(x, i)) * (long) (2 * b.get(x, j));
        }
        assertEquals(s / 4f, got[i * 3 + j], 0);
      }
    }
  }

  @Test
  void mxOnATruncatingDatapathIsRefused() {
    Matrix a = ints(2, 32, 5);
    QuantRecipe r = QuantRecipe.MX_RCEIL;
    assertThrows(IllegalArgumentException.class, () -> mm(r, H100_FP8).multiply(a,
        KAxis.ALONG_ROWS, r.newQuantiser(FpFormat.E4M3, false), a, KAxis.ALONG_ROWS,
        r.newQuantiser(FpFormat.E4M3, true)));
  }

  @Test
  void channelOutliersScaleExactlyTheChosenChannels() {
    OperandDistribution d = new OperandDistribution(OperandDistribution.Kind.CHANNEL_OUTLIERS,
        0.05, 1e6);
    Matrix x = d.generate(50, 200, new Random(9));
    int big = 0;
    for (int c = 0; c < 200; c++) {
      double max = 0;
      for (int r = 0; r < 50; r++) {
        max = Math.max(max, Math.abs(x.get(r, c)));
      }
      // N(0,1) never reaches 1000 in 50 draws; a x1e6 channel always does.
      if (max > 1000) {
        big++;
      }
    }
    assertEquals(10, big);
  }
}

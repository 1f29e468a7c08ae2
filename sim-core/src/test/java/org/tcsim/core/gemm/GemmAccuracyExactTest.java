package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.tcsim.core.exact.Dyadic;
import org.tcsim.core.format.FpFormat;
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
 * The exact reference of the accuracy summary (codes summed in integers, scales applied per
 * block) equals the plain definition, the sum of the dequantised products in {@link Dyadic}
 * arithmetic, for every recipe, both K axes, E4M3, E5M2 and E2M1 elements and ragged K.
 */
class GemmAccuracyExactTest {

  @Property(tries = 200)
  void exactEqualsTheSumOfDequantisedProducts(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 7) int recipe) {
    Random r = new Random(seed);
    FpFormat f = r.nextBoolean() ? FpFormat.E4M3 : FpFormat.E5M2;
    Recipe qa = recipe(recipe, f, true);
    Recipe qb = recipe(recipe, f, false);
    boolean blocked = recipe >= 2 && recipe != 6;
    int along = recipe == 7 ? 16 : recipe >= 4 ? 32 : 128;
    int k = blocked ? along * (1 + r.nextInt(4)) : 1 + r.nextInt(300);
    int m = 1 + r.nextInt(5);
    int n = 1 + r.nextInt(recipe == 3 ? 200 : 5);
    KAxis axisA = r.nextBoolean() ? KAxis.ALONG_ROWS : KAxis.ALONG_COLUMNS;
    KAxis axisB = r.nextBoolean() ? KAxis.ALONG_ROWS : KAxis.ALONG_COLUMNS;
    QuantizedTensor a = qa.quantize(matrix(axisA == KAxis.ALONG_ROWS ? m : k,
        axisA == KAxis.ALONG_ROWS ? k : m, r), axisA);
    QuantizedTensor b = qb.quantize(matrix(axisB == KAxis.ALONG_ROWS ? n : k,
        axisB == KAxis.ALONG_ROWS ? k : n, r), axisB);
    GemmConfig cfg = GemmConfig.hopper().withAlpha(0.75f);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        Dyadic sum = Dyadic.ZERO;
        for (int kk = 0; kk < k; kk++) {
          double x = axisA == KAxis.ALONG_ROWS ? a.dequantize(i, kk) : a.dequantize(kk, i);
          double y = axisB == KAxis.ALONG_ROWS ? b.dequantize(j, kk) : b.dequantize(kk, j);
          sum = sum.add(Dyadic.of(x).multiply(Dyadic.of(y)));
        }
        Dyadic want = Dyadic.of(0.75f).multiply(sum);
        Dyadic got = GemmAccuracy.exact(a, b, null, cfg, i, j);
        assertEquals(0, want.compareTo(got), "(" + i + ", " + j + ") recipe " + recipe);
      }
    }
  }

  /**
   * K = 4096 products of E5M2 896 x 1792 (significands 7 x 7, last bits 2^7 and 2^8): each term
   * sits 47 places above the grid, 49 * 2^47, and 4096 of them exceed a long's range unless the
   * low part is carried: the sum is 4096 * 1605632 = 6576668672.
   */
  @org.junit.jupiter.api.Test
  void longSumsOfLargeE5m2ProductsCarry() {
    int k = 4096;
    byte[] a = Operands.filled(k, 0x63);
    byte[] b = Operands.filled(k, 0x67);
    assertEquals(896.0, FpFormat.E5M2.decode(0x63));
    assertEquals(1792.0, FpFormat.E5M2.decode(0x67));
    QuantizedTensor qa = Operands.perTensor(FpFormat.E5M2, 1, k, KAxis.ALONG_ROWS, a, 1f);
    QuantizedTensor qb = Operands.perTensor(FpFormat.E5M2, 1, k, KAxis.ALONG_ROWS, b, 1f);
    Dyadic got = CodeDot.exact(qa, 0, qb, 0, 0, k);
    assertEquals(0, Dyadic.of(6576668672.0).compareTo(got), got.toString());
  }

  private static Recipe recipe(int r, FpFormat f, boolean isA) {
    return switch (r) {
      case 0 -> new CurrentScaling(f);
      case 1 -> new RowwiseScaling(f);
      case 2 -> new GroupScaling(f, ScaleMode.VEC128_32F);
      case 3 -> new GroupScaling(f, isA ? ScaleMode.VEC128_32F : ScaleMode.BLK128x128_32F);
      case 4 -> new MxScaling(f, MxScaleRule.RCEIL, ElementRounding.RNE);
      case 5 -> new MxScaling(FpFormat.E2M1, MxScaleRule.FLOOR, ElementRounding.RNE);
      case 6 -> new CurrentScaling(FpFormat.E5M2);
      default -> new Nvfp4Scaling();
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
}

package org.tcsim.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;

/** The recipes with FP32 scales: per-tensor current and delayed, row-wise, 1x128 and 128x128. */
class Fp32RecipesTest {

  /** By hand: amax 3.5 gives s = 448 / 3.5 = 128 exactly; 0.1 * 128 = 12.8 rounds to 13. */
  @Test
  void currentScalingByHand() {
    QuantizedTensor q = new CurrentScaling(FpFormat.E4M3)
        .quantize(Matrix.of(2, 2, 3.5f, -1f, 0.75f, 0.1f), KAxis.ALONG_ROWS);
    assertArrayEquals(new float[] {1f / 128}, q.scales());
    assertEquals(0x7E, q.code(0, 0)); // 448
    assertArrayEquals(new double[] {3.5, -1, 0.75, 13.0 / 128}, q.dequantize());
  }

  /**
   * For random tensors, the amax element becomes exactly ±fp8_max (its product with s is within
   * one FP32 rounding of fp8_max, and every value that close rounds to max), and every element is
   * within the nearest-point distance plus the FP32 product's rounding (2^-23 |t|, twice the half
   * ulp, for the double rounding) of t = x * s, checked with BigDecimal; the decode scale is the
   * FP32 reciprocal of s = fp32(fp8_max / amax).
   */
  @Test
  void currentScalingMapsAmaxToMaxAndRoundsToNearest() {
    Random random = new Random(11);
    for (FpFormat f : new FpFormat[] {FpFormat.E4M3, FpFormat.E5M2}) {
      List<BigDecimal> grid = Exact.grid(f);
      for (int trial = 0; trial < 8; trial++) {
        float[] x = new float[48];
        int argmax = 0;
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (random.nextGaussian() * Math.scalb(1.0, random.nextInt(30) - 15));
          if (Math.abs(x[i]) > Math.abs(x[argmax])) {
            argmax = i;
          }
        }
        float amax = Math.abs(x[argmax]);
        float s = (float) f.maxFinite() / amax;
        QuantizedTensor q = new CurrentScaling(f).quantize(Matrix.of(6, 8, x), KAxis.ALONG_ROWS);
        assertEquals(1f / s, q.scales()[0]);
        assertEquals(f.maxFiniteCode(), q.code(argmax / 8, argmax % 8) & ~f.signMask());
        for (int i = 0; i < x.length; i++) {
          BigDecimal t = Exact.bd(x[i]).multiply(Exact.bd(s));
          BigDecimal y = Exact.bd(f.decode(q.code(i / 8, i % 8)));
          BigDecimal bound = Exact.minDistance(grid, t).add(t.abs().multiply(Exact.pow2(-23)));
          assertTrue(y.subtract(t).abs().compareTo(bound) <= 0, f + " element " + i);
          assertEquals(0, Exact.bd(q.dequantize(i / 8, i % 8))
              .compareTo(y.multiply(Exact.bd(q.scales()[0]))));
        }
      }
    }
  }

  @Test
  void zeroTensorKeepsUnitScale() {
    QuantizedTensor q = new CurrentScaling(FpFormat.E4M3)
        .quantize(Matrix.of(1, 3, 0f, -0f, 0f), KAxis.ALONG_ROWS);
    assertArrayEquals(new float[] {1f}, q.scales());
    assertEquals(0.0, q.dequantize(0, 0));
  }

  @Test
  void nanIsRejectedOrPropagated() {
    Matrix m = Matrix.of(2, 2, 1f, 2f, Float.NaN, Float.NEGATIVE_INFINITY);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CurrentScaling(FpFormat.E4M3).quantize(m, KAxis.ALONG_ROWS));
    assertTrue(e.getMessage().contains("(row 1, col 0)"), e.getMessage());
    QuantizedTensor q = new CurrentScaling(FpFormat.E4M3).quantize(m, KAxis.ALONG_ROWS,
        NonFinite.PROPAGATE);
    assertArrayEquals(new float[] {1f / 224}, q.scales()); // amax 2 over the finite elements
    assertTrue(Double.isNaN(q.dequantize(1, 0)));
    assertEquals(-448.0 * (1f / 224), q.dequantize(1, 1)); // -Inf saturates
  }

  /**
   * Delayed scaling, history 3, "max": call 1 uses s = 1; after it the history is [2, 0, 0] and
   * s = 448 / 2 = 224; call 2 (amax 1) is quantised with 224; history [1, 2, 0] keeps 224; call 3
   * (amax 4) uses 224, so 4 * 224 = 896 saturates to 448; history [4, 1, 2] gives 112; then three
   * calls of amax 0.5 give [0.5, 4, 1] -&gt; 112, [0.5, 0.5, 4] -&gt; 112, [0.5, 0.5, 0.5] -&gt; 896.
   */
  @Test
  void delayedScalingUsesTheHistory() {
    DelayedScaling d = new DelayedScaling(FpFormat.E4M3, 3,
        DelayedScaling.AmaxAlgorithm.MAX, 0);
    QuantizedTensor q1 = d.quantize(Matrix.of(1, 2, 2f, 1f), KAxis.ALONG_ROWS);
    assertArrayEquals(new float[] {1f}, q1.scales());
    assertEquals(224f, d.scale());
    QuantizedTensor q2 = d.quantize(Matrix.of(1, 2, 1f, -0.5f), KAxis.ALONG_ROWS);
    assertArrayEquals(new float[] {1f / 224}, q2.scales());
    assertEquals(224.0, FpFormat.E4M3.decode(q2.code(0, 0)));
    assertEquals(224f, d.scale());
    QuantizedTensor q3 = d.quantize(Matrix.of(1, 2, 4f, 0f), KAxis.ALONG_ROWS);
    assertEquals(448.0, FpFormat.E4M3.decode(q3.code(0, 0)));
    assertEquals(112f, d.scale());
    float[] expected = {112f, 112f, 896f};
    for (float e : expected) {
      d.quantize(Matrix.of(1, 1, 0.5f), KAxis.ALONG_ROWS);
      assertEquals(e, d.scale());
    }
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, d.history());
  }

  @Test
  void delayedScalingMostRecentAndMargin() {
    DelayedScaling recent = new DelayedScaling(FpFormat.E4M3, 4,
        DelayedScaling.AmaxAlgorithm.MOST_RECENT, 0);
    recent.record(4f);
    assertEquals(112f, recent.scale());
    recent.record(0.5f);
    assertEquals(896f, recent.scale());
    recent.record(0f); // a zero reference amax keeps the previous scale
    assertEquals(896f, recent.scale());
    DelayedScaling margin = new DelayedScaling(FpFormat.E5M2, 1,
        DelayedScaling.AmaxAlgorithm.MAX, 2);
    margin.record(7f); // 57344 / 7 = 8192, / 2^2 = 2048
    assertEquals(2048f, margin.scale());
    assertThrows(IllegalArgumentException.class, () -> new DelayedScaling(FpFormat.E4M3, 0,
        DelayedScaling.AmaxAlgorithm.MAX, 0));
  }

  /** Row-wise: one scale per row of A (K along rows) or per column of B (K along columns). */
  @Test
  void rowwiseScaling() {
    Matrix m = Matrix.of(2, 3, 2f, -1f, 0.5f, 0.5f, 0.25f, 0f);
    QuantizedTensor a = new RowwiseScaling(FpFormat.E4M3).quantize(m, KAxis.ALONG_ROWS);
    assertEquals(new BlockShape(1, 3), a.block());
    assertArrayEquals(new float[] {1f / 224, 1f / 896}, a.scales());
    // elements 448, -224, 112 and 448, 224, 0; 1/224 and 1/896 are not exact in FP32, so the
    // dequantised values are the element times the FP32 reciprocal, a hair off 2, -1, ...
    double r0 = 1f / 224;
    double r1 = 1f / 896;
    assertArrayEquals(new double[] {448 * r0, -224 * r0, 112 * r0, 448 * r1, 224 * r1, 0},
        a.dequantize());
    QuantizedTensor b = new RowwiseScaling(FpFormat.E4M3).quantize(m, KAxis.ALONG_COLUMNS);
    assertEquals(new BlockShape(2, 1), b.block());
    // column amaxes 2, 1, 0.5 -> scales 224, 448, 896
    assertArrayEquals(new float[] {1f / 224, 1f / 448, 1f / 896}, b.scales());
    // an all-zero row: amax floored at 1e-12, s = fp32(448 / 1e-12) (in float64 first)
    QuantizedTensor z = new RowwiseScaling(FpFormat.E4M3)
        .quantize(Matrix.of(1, 2, 0f, 0f), KAxis.ALONG_ROWS);
    assertEquals(1f / (float) (448 / 1e-12), z.scales()[0]);
  }

  /**
   * 1 x 128 groups with K = 130: a full group and a partial group of 2. Group amax 7 gives s = 64
   * and decode 7 / 448 = 2^-6; the second group (amax 0.875 from its two elements only) gives
   * decode 0.875 / 448 = 2^-9. An all-zero group gets amax 1e-4 (DeepGEMM's clamp).
   */
  @Test
  void groupsOf128AlongK() {
    float[] x = new float[3 * 130];
    x[5] = 7f;
    x[128] = -0.5f;
    x[129] = 0.875f;
    x[130 + 3] = 1f;
    QuantizedTensor q = GroupScaling.activations().quantize(Matrix.of(3, 130, x),
        KAxis.ALONG_ROWS);
    assertEquals(new BlockShape(1, 128), q.block());
    assertEquals(6, q.blockCount());
    float[] s = q.scales();
    assertEquals(0x1p-6f, s[0]);
    assertEquals(0x1p-9f, s[1]);
    assertEquals(1f / 448, s[2]);
    assertEquals(GroupScaling.AMAX_FLOOR / 448f, s[3]); // row 1, cols 128..129 are zero
    assertEquals(-0.5, q.dequantize(0, 128));
    assertEquals(0.875, q.dequantize(0, 129));
    assertEquals(7.0, q.dequantize(0, 5));
    // B stored K x N: groups of 128 down each column
    QuantizedTensor b = GroupScaling.activations().quantize(Matrix.of(130, 3, x),
        KAxis.ALONG_COLUMNS);
    assertEquals(new BlockShape(128, 1), b.block());
    assertEquals(2, b.gridRows());
    assertEquals(3, b.gridCols());
  }

  /** 128 x 128 blocks on a 130 x 260 weight: a 2 x 3 grid with partial edge blocks. */
  @Test
  void blocksOf128x128() {
    float[] x = new float[130 * 260];
    x[129 * 260 + 259] = 3.5f; // block (1, 2)
    x[0] = -448f; // block (0, 0)
    x[127 * 260 + 255] = 0.4375f; // block (0, 1)
    QuantizedTensor q = GroupScaling.weights().quantize(Matrix.of(130, 260, x), KAxis.ALONG_ROWS);
    assertEquals(new BlockShape(128, 128), q.block());
    assertEquals(2, q.gridRows());
    assertEquals(3, q.gridCols());
    assertEquals(5, q.blockIndex(129, 259));
    assertEquals(3.5f / 448, q.scales()[5]);
    assertEquals(1f, q.scales()[0]);
    assertEquals(0.4375f / 448, q.scales()[1]);
    assertEquals(3.5, q.dequantize(129, 259));
    assertEquals(-448.0, q.dequantize(0, 0));
    assertEquals(0x7E, q.code(129, 259)); // the block amax maps to 448
  }

  @Test
  void badArgumentsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GroupScaling(FpFormat.E4M3, ScaleMode.VEC32_UE8M0));
    assertTrue(e.getMessage().contains("VEC32_UE8M0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CurrentScaling(FpFormat.E2M1));
    assertTrue(e.getMessage().contains("e2m1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Matrix.of(2, 2, 1f, 2f, 3f));
    assertTrue(e.getMessage().contains("rows * cols = 4"), e.getMessage());
    assertEquals(ScaleMode.BLK128x128_32F, ScaleMode.parse("blk128x128_32f"));
  }
}

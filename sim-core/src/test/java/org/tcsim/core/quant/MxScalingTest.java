package org.tcsim.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;

/** MX block quantisation against microxcaling's published vectors and exact reasoning. */
class MxScalingTest {

  private static final MxScaling MICROXCALING_E4M3 =
      new MxScaling(FpFormat.E4M3, MxScaleRule.FLOOR, ElementRounding.HALF_AWAY);

  private static double[] dequantizeRow(QuantizedTensor q) {
    double[] out = new double[q.cols()];
    for (int c = 0; c < out.length; c++) {
      out[c] = q.dequantize(0, c);
    }
    return out;
  }

  /**
   * microsoft/microxcaling mx/tests/test_fp8_e4m3_fix.py (MIT): one block, FLOOR
   * scale, round-half-away. amax 485 gives E = floor(log2 485) - 8 = 0; 485 and 475 saturate to
   * 448; 400 is the midpoint of 384 and 416 and goes away from zero; -450 saturates.
   */
  @Test
  void microxcalingE4m3Fix() {
    float[] x = {485, 475, 400, -485, -475, -450, 0x1p-6f, -0x1p-6f};
    double[] expected = {448, 448, 416, -448, -448, -448, 0x1p-6, -0x1p-6};
    QuantizedTensor q = MICROXCALING_E4M3.quantize(Matrix.of(1, 8, x), KAxis.ALONG_ROWS);
    assertEquals(127, q.scaleCodes()[0] & 0xFF);
    assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(dequantizeRow(q)));
  }

  /** The same block with RNE (TE, torchao, hardware): the tie 400 goes to the even 384. */
  @Test
  void e4m3FixWithRne() {
    float[] x = {485, 475, 400, -485, -475, -450, 0x1p-6f, -0x1p-6f};
    QuantizedTensor q = MxScaling.mxfp8(MxScaleRule.FLOOR).quantize(Matrix.of(1, 8, x),
        KAxis.ALONG_ROWS);
    assertEquals(384.0, q.dequantize(0, 2));
    assertEquals(448.0, q.dequantize(0, 0));
  }

  /**
   * microxcaling test_fp8_e4m3_fix.py, test_mxfp8_e4m3_round (MIT): a block of 32 whose expected
   * values are the same for round="nearest" and round="even". amax 2.66 gives E = 1 - 8 = -7.
   */
  @Test
  void microxcalingRoundVector() {
    double[] x = {-0.582733273506, -0.256973713636, 0.506033003330, 0.400039970875,
        -0.437093466520, 1.275019764900, -2.123294353485, 1.514909625053,
        -2.660086154938, -0.200791791081, -0.060985822231, -0.209203109145,
        2.385987281799, 0.062245476991, 0.217003762722, -0.857734560966,
        0.507945835590, 0.896152675152, -0.751049160957, -0.488164335489,
        0.805381953716, -0.172028362751, 0.271137863398, -0.503807783127,
        1.879478693008, -0.294227510691, 0.968807995319, 0.670037031174,
        -0.871595799923, 0.304561793804, -0.567594051361, -1.265962004662};
    double[] t = {-0.562500000000, -0.250000000000, 0.500000000000, 0.406250000000,
        -0.437500000000, 1.250000000000, -2.000000000000, 1.500000000000,
        -2.750000000000, -0.203125000000, -0.062500000000, -0.203125000000,
        2.500000000000, 0.062500000000, 0.218750000000, -0.875000000000,
        0.500000000000, 0.875000000000, -0.750000000000, -0.500000000000,
        0.812500000000, -0.171875000000, 0.281250000000, -0.500000000000,
        1.875000000000, -0.281250000000, 1.000000000000, 0.687500000000,
        -0.875000000000, 0.312500000000, -0.562500000000, -1.250000000000};
    float[] xf = new float[32];
    for (int i = 0; i < 32; i++) {
      xf[i] = (float) x[i]; // torch.as_tensor(dtype=float32) rounds the Python doubles
    }
    for (ElementRounding rounding : ElementRounding.values()) {
      QuantizedTensor q = new MxScaling(FpFormat.E4M3, MxScaleRule.FLOOR, rounding)
          .quantize(Matrix.of(1, 32, xf), KAxis.ALONG_ROWS);
      assertEquals(127 - 7, q.scaleCodes()[0] & 0xFF);
      assertEquals(java.util.Arrays.toString(t), java.util.Arrays.toString(dequantizeRow(q)),
          rounding.name());
    }
  }

  /**
   * microxcaling mx/tests/test_e5m0_scale.py checks a 5-bit scale exponent (range [-15, 15]) with
   * int2 elements (values -1, 0, 1): 2^16 overflows the scale (NaN), 2^-16 clamps the scale to
   * 2^-15 and its element 0.5 rounds half-away to 1 (so 2^-15 comes back), 2^-17 gives element 0.25,
   * which rounds to 0. Neither the 5-bit scale nor int2 exist in MX v1.0, so this reproduces the same
   * shape with E8M0 (clamp at 2^-127) and E2M1 (smallest step 0.5): 2^-129 clamps the scale to
   * 2^-127, its element 0.25 is half of 0.5 and rounds away to 0.5, giving 2^-128 (with RNE: 0);
   * 2^-130 gives element 0.125 and 0. The overflow half does not apply: the largest finite FP32
   * amax gives FLOOR exponent 127 - emax_elem &lt;= 125, inside E8M0, so only a non-finite input
   * can produce the NaN scale (tested under PROPAGATE).
   */
  @Test
  void scaleUnderflowLikeE5m0Test() {
    MxScaling halfAway = new MxScaling(FpFormat.E2M1, MxScaleRule.FLOOR, ElementRounding.HALF_AWAY);
    MxScaling even = new MxScaling(FpFormat.E2M1, MxScaleRule.FLOOR, ElementRounding.RNE);
    float[][] inputs = {{0x1p-128f}, {0x1p-129f}, {0x1p-130f}, {1f}};
    double[] expectedHalfAway = {0x1p-128, 0x1p-128, 0, 1};
    double[] expectedEven = {0x1p-128, 0, 0, 1};
    for (int i = 0; i < inputs.length; i++) {
      float[] block = new float[32];
      block[0] = inputs[i][0];
      for (float sign : new float[] {1f, -1f}) {
        float[] b = block.clone();
        b[0] *= sign;
        QuantizedTensor qa = halfAway.quantize(Matrix.of(1, 32, b), KAxis.ALONG_ROWS);
        QuantizedTensor qe = even.quantize(Matrix.of(1, 32, b), KAxis.ALONG_ROWS);
        assertEquals(sign * expectedHalfAway[i], qa.dequantize(0, 0), "half-away " + inputs[i][0]);
        assertEquals(sign * expectedEven[i], qe.dequantize(0, 0), "even " + inputs[i][0]);
        for (int c = 1; c < 32; c++) {
          assertEquals(0.0, qa.dequantize(0, c));
        }
      }
    }
  }

  /** Floor saturates the amax element where RCEIL does not: amax 500 (E4M3). */
  @Test
  void floorSaturatesRceilDoesNot() {
    float[] x = new float[32];
    x[0] = 500f;
    x[1] = 1f;
    Matrix m = Matrix.of(1, 32, x);
    QuantizedTensor floor = MxScaling.mxfp8(MxScaleRule.FLOOR).quantize(m, KAxis.ALONG_ROWS);
    QuantizedTensor rceil = MxScaling.mxfp8(MxScaleRule.RCEIL).quantize(m, KAxis.ALONG_ROWS);
    assertEquals(448.0, floor.dequantize(0, 0)); // X = 1, 500 saturates
    assertEquals(512.0, rceil.dequantize(0, 0)); // X = 2, 250 rounds to 256 (spacing 16)
    assertEquals(1.0, floor.dequantize(0, 1));
    assertEquals(1.0, rceil.dequantize(0, 1)); // 0.5 is exact in E4M3
  }

  /**
   * Geometry: for B stored K x N (K along columns), blocks run down each column. A 64 x 2 matrix has
   * 2 x 2 blocks; column 1's second block holds rows 32..63. K = 40 along rows gives a full block
   * and a partial one of 8.
   */
  @Test
  void blocksFollowTheKAxis() {
    float[] b = new float[64 * 2];
    b[40 * 2 + 1] = 448f; // row 40, col 1: second K-block of column 1
    b[3 * 2 + 1] = 1f;
    QuantizedTensor q = MxScaling.mxfp8(MxScaleRule.FLOOR).quantize(Matrix.of(64, 2, b),
        KAxis.ALONG_COLUMNS);
    assertEquals(new BlockShape(32, 1), q.block());
    assertEquals(2, q.gridRows());
    assertEquals(2, q.gridCols());
    assertEquals(127, q.scaleCodes()[q.blockIndex(40, 1)] & 0xFF);
    assertEquals(127 - 8, q.scaleCodes()[q.blockIndex(3, 1)] & 0xFF);
    assertEquals(0, q.scaleCodes()[q.blockIndex(0, 0)] & 0xFF); // all-zero block: 2^-127
    assertEquals(448.0, q.dequantize(40, 1));
    assertEquals(1.0, q.dequantize(3, 1));

    float[] a = new float[40];
    a[35] = 3f;
    QuantizedTensor p = MxScaling.mxfp8(MxScaleRule.RCEIL).quantize(Matrix.of(1, 40, a),
        KAxis.ALONG_ROWS);
    assertEquals(2, p.blockCount());
    assertEquals(0, p.scaleCodes()[0] & 0xFF);
    // 3/448 lies in (2^-8, 2^-7]: X = 2^-7, element 384
    assertEquals(127 - 7, p.scaleCodes()[1] & 0xFF);
    assertEquals(3.0, p.dequantize(0, 35));
  }

  @Test
  void nanIsRejectedWithItsPosition() {
    float[] x = new float[64];
    x[37] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MxScaling.mxfp8(MxScaleRule.RCEIL).quantize(Matrix.of(2, 32, x), KAxis.ALONG_ROWS));
    assertTrue(e.getMessage().contains("(row 1, col 5)"), e.getMessage());
  }

  @Test
  void nonFiniteBlocksPropagateAsNanScale() {
    float[] x = new float[64];
    x[3] = Float.POSITIVE_INFINITY;
    x[40] = 2f;
    QuantizedTensor q = MxScaling.mxfp8(MxScaleRule.FLOOR)
        .quantize(Matrix.of(1, 64, x), KAxis.ALONG_ROWS, NonFinite.PROPAGATE);
    assertEquals(0xFF, q.scaleCodes()[0] & 0xFF);
    assertTrue(Double.isNaN(q.dequantize(0, 0)));
    assertTrue(Double.isNaN(q.dequantize(0, 3)));
    assertEquals(2.0, q.dequantize(0, 40));
  }

  /**
   * Every element of random blocks is a nearest value of the element grid to x / X (RNE gives a
   * nearest point; saturation is the nearest point beyond max), checked with BigDecimal, for both
   * rules and all MX element formats; and X is what the rule says.
   */
  @Test
  void elementsAreNearestPointsExactly() {
    Random random = new Random(7);
    for (FpFormat f : new FpFormat[] {FpFormat.E4M3, FpFormat.E5M2, FpFormat.E3M2, FpFormat.E2M3,
        FpFormat.E2M1}) {
      List<BigDecimal> grid = Exact.grid(f);
      for (MxScaleRule rule : MxScaleRule.values()) {
        float[] x = new float[2 * 64];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (random.nextGaussian() * Math.scalb(1.0, random.nextInt(40) - 20));
        }
        QuantizedTensor q = new MxScaling(f, rule, ElementRounding.RNE)
            .quantize(Matrix.of(2, 64, x), KAxis.ALONG_ROWS);
        for (int r = 0; r < 2; r++) {
          for (int c = 0; c < 64; c++) {
            int code = q.scaleCodes()[q.blockIndex(r, c)] & 0xFF;
            BigDecimal scale = Exact.pow2(code - 127);
            BigDecimal t = Exact.bd(x[r * 64 + c]).divide(scale);
            BigDecimal element = Exact.bd(f.decode(q.code(r, c)));
            assertEquals(0, element.subtract(t).abs().compareTo(Exact.minDistance(grid, t)),
                f + " " + rule + " (" + r + "," + c + ")");
            assertEquals(0, Exact.bd(q.dequantize(r, c)).compareTo(element.multiply(scale)));
          }
        }
      }
    }
  }
}

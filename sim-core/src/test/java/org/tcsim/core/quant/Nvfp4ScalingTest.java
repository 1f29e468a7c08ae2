package org.tcsim.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;

/** NVFP4 two-level scaling: hand-worked blocks and exact error bounds. */
class Nvfp4ScalingTest {

  /**
   * Global amax 2688 = 448 * 6 gives S_enc = S_dec = 1. Block 0 (amax 6): scale 6 / 6 = 1, elements
   * as they are, 0.25 is the midpoint of 0 and 0.5 and goes to the even 0. Block 1 (amax 2688):
   * scale 448, element 6. Block 2 (amax 3): scale 0.5, so elements are doubled: 1.25 * 2 = 2.5 is
   * the midpoint of 2 and 3 and goes to the even 2 (code 0b0100), back to 1.
   */
  @Test
  void handWorkedBlocks() {
    float[] x = new float[48];
    x[0] = 6f;
    x[1] = 3f;
    x[2] = -1.5f;
    x[3] = 0.5f;
    x[4] = 0.25f;
    x[16] = 2688f;
    x[17] = 500f; // 500 / 448 = 1.116 -> 1
    x[32] = 3f;
    x[33] = 1.25f;
    QuantizedTensor q = new Nvfp4Scaling().quantize(Matrix.of(1, 48, x), KAxis.ALONG_ROWS);
    assertEquals(1f, q.tensorScale());
    assertArrayEquals(new byte[] {0x38, 0x7E, 0x30}, q.scaleCodes()); // 1, 448, 0.5 in E4M3
    double[] d = q.dequantize();
    assertEquals(6.0, d[0]);
    assertEquals(3.0, d[1]);
    assertEquals(-1.5, d[2]);
    assertEquals(0.5, d[3]);
    assertEquals(0.0, d[4]);
    assertEquals(2688.0, d[16]);
    assertEquals(448.0, d[17]);
    assertEquals(3.0, d[32]);
    assertEquals(1.0, d[33]);
  }

  @Test
  void zeroTensor() {
    QuantizedTensor q = new Nvfp4Scaling().quantize(Matrix.of(1, 16, new float[16]),
        KAxis.ALONG_ROWS);
    assertEquals(1f, q.tensorScale());
    assertEquals(0, q.scaleCodes()[0]);
    assertEquals(0.0, q.dequantize(0, 7));
  }

  /**
   * Random tensors: S_dec = fp32(1 / fp32(2688 / amax)); each block scale is within the E4M3
   * nearest-point distance (plus FP32 slop 2^-21 u) of u = block_amax * 2688 / (6 * global_amax);
   * each element is within the E2M1 nearest-point distance (plus 2^-21 |t|) of
   * t = x / (scale * S_dec); and the dequantised value is exactly element * scale * S_dec. All
   * checked with BigDecimal. K along columns exercises the B layout.
   */
  @Test
  void reconstructionWithinTheExactBounds() {
    Random random = new Random(3);
    List<BigDecimal> e2m1 = Exact.grid(FpFormat.E2M1);
    List<BigDecimal> e4m3 = Exact.grid(FpFormat.E4M3);
    MathContext mc = new MathContext(60);
    for (int trial = 0; trial < 10; trial++) {
      int rows = 48;
      int cols = 5;
      float[] x = new float[rows * cols];
      float amax = 0f;
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (random.nextGaussian() * Math.scalb(1.0, random.nextInt(12) - 6));
        amax = Math.max(amax, Math.abs(x[i]));
      }
      QuantizedTensor q = new Nvfp4Scaling().quantize(Matrix.of(rows, cols, x),
          KAxis.ALONG_COLUMNS);
      assertEquals(new BlockShape(16, 1), q.block());
      assertEquals(1f / (2688f / amax), q.tensorScale());
      BigDecimal sDec = Exact.bd(q.tensorScale());
      for (int b = 0; b < q.blockCount(); b++) {
        int br = b / q.gridCols();
        int c = b % q.gridCols();
        float blockAmax = 0f;
        for (int r = br * 16; r < br * 16 + 16; r++) {
          blockAmax = Math.max(blockAmax, Math.abs(x[r * cols + c]));
        }
        BigDecimal u = Exact.bd(blockAmax).multiply(Exact.bd(2688))
            .divide(Exact.bd(6).multiply(Exact.bd(amax)), mc);
        BigDecimal scale = Exact.bd(q.blockScale(b));
        BigDecimal slop = u.multiply(Exact.pow2(-21));
        assertTrue(scale.subtract(u).abs().compareTo(Exact.minDistance(e4m3, u).add(slop)) <= 0,
            "block scale " + b);
        for (int r = br * 16; r < br * 16 + 16; r++) {
          BigDecimal t = Exact.bd(x[r * cols + c]).divide(scale.multiply(sDec), mc);
          BigDecimal e = Exact.bd(FpFormat.E2M1.decode(q.code(r, c)));
          BigDecimal bound = Exact.minDistance(e2m1, t).add(t.abs().multiply(Exact.pow2(-21)));
          assertTrue(e.subtract(t).abs().compareTo(bound) <= 0, "element (" + r + "," + c + ")");
          assertEquals(0, Exact.bd(q.dequantize(r, c)).compareTo(e.multiply(scale).multiply(sDec)));
        }
      }
    }
  }

  @Test
  void nonFiniteBlockGetsNanScale() {
    float[] x = new float[32];
    x[20] = Float.NaN;
    x[3] = 1f;
    QuantizedTensor q = new Nvfp4Scaling().quantize(Matrix.of(1, 32, x), KAxis.ALONG_ROWS,
        NonFinite.PROPAGATE);
    assertEquals(0x7F, q.scaleCodes()[1]);
    assertTrue(Double.isNaN(q.dequantize(0, 20)));
    assertEquals(1.0, q.dequantize(0, 3), 1e-6);
  }
}

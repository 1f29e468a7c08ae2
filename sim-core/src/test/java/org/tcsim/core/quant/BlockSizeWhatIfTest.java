package org.tcsim.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;

/**
 * What-if block sizes along K (issue 8): hand-built rows whose scales are derived by hand from the
 * rules (OCP MX v1.0 FLOOR: E = floor(log2 amax) - 8 for E4M3; DeepGEMM: amax / 448).
 */
class BlockSizeWhatIfTest {

  /** 1 x 32 along K: first half amax 1, second half amax 64; one tiny element at k = 1. */
  private static Matrix mxRow() {
    float[] x = new float[32];
    x[0] = 1f;
    x[1] = 0x1.2p-12f; // 9 * 2^-15
    x[16] = 64f;
    return Matrix.of(1, 32, x);
  }

  @Test
  void mxBlocksOf16HaveTheirOwnScales() {
    MxScaling r = new MxScaling(FpFormat.E4M3, MxScaleRule.FLOOR, ElementRounding.RNE, 16);
    QuantizedTensor q = r.quantize(mxRow(), KAxis.ALONG_ROWS);
    assertEquals(new BlockShape(1, 16), q.block());
    assertEquals(ScaleMode.VEC32_UE8M0, q.mode());
    // amax 1 -> E = 0 - 8 -> code 119; amax 64 -> E = 6 - 8 -> code 125.
    assertArrayEquals(new byte[] {119, 125}, q.scaleCodes());
    assertEquals(1.0, q.dequantize(0, 0));
    assertEquals(0x1.2p-12, q.dequantize(0, 1)); // 1.125 * 2^-4 in E4M3: exact
    assertEquals(64.0, q.dequantize(0, 16));
  }

  @Test
  void mxDefaultBlockOf32SharesOneScale() {
    MxScaling r = new MxScaling(FpFormat.E4M3, MxScaleRule.FLOOR, ElementRounding.RNE);
    assertEquals(32, r.blockSize());
    QuantizedTensor q = r.quantize(mxRow(), KAxis.ALONG_ROWS);
    assertEquals(new BlockShape(1, 32), q.block());
    assertArrayEquals(new byte[] {125}, q.scaleCodes());
    // 9 * 2^-15 / 2^-2 = 0.5625 * 2^-9: rounds to the smallest subnormal 2^-9, times 2^-2.
    assertEquals(0x1p-11, q.dequantize(0, 1));
    assertEquals(r, r.withBlockSize(32));
  }

  @Test
  void groupsOf32AlongK() {
    float[] x = new float[64];
    x[3] = 7f;
    x[40] = 0.875f;
    x[41] = 0.5f;
    Matrix m = Matrix.of(1, 64, x);
    QuantizedTensor q = new GroupScaling(FpFormat.E4M3, ScaleMode.VEC128_32F, 32)
        .quantize(m, KAxis.ALONG_ROWS);
    assertEquals(new BlockShape(1, 32), q.block());
    assertArrayEquals(new float[] {0x1p-6f, 0x1p-9f}, q.scales()); // 7/448, 0.875/448
    assertEquals(0.5, q.dequantize(0, 41));
    QuantizedTensor d = GroupScaling.activations().quantize(m, KAxis.ALONG_ROWS);
    assertEquals(new BlockShape(1, 128), d.block());
    assertArrayEquals(new float[] {0x1p-6f}, d.scales());
  }

  @Test
  void weightBlocksChangeOnlyAlongK() {
    QuantizedTensor q = new GroupScaling(FpFormat.E4M3, ScaleMode.BLK128x128_32F, 256)
        .quantize(Matrix.of(130, 300, new float[130 * 300]), KAxis.ALONG_ROWS);
    assertEquals(new BlockShape(128, 256), q.block());
    QuantizedTensor b = new GroupScaling(FpFormat.E4M3, ScaleMode.BLK128x128_32F, 64)
        .quantize(Matrix.of(300, 130, new float[300 * 130]), KAxis.ALONG_COLUMNS);
    assertEquals(new BlockShape(64, 128), b.block());
  }

  @Test
  void badBlockSizesAreRefused() {
    for (int bad : new int[] {0, 1, 24, 2048, -32}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new MxScaling(FpFormat.E4M3, MxScaleRule.RCEIL, ElementRounding.RNE, bad));
      assertTrue(e.getMessage().contains("power of two from 2 to 1024, got " + bad),
          e.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> new GroupScaling(FpFormat.E4M3, ScaleMode.VEC128_32F, bad));
    }
  }
}

package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;

/**
 * The GEMM with what-if scale blocks along K, against a reference spelled out here: per promotion
 * chunk the exact sum of the dequantised products (exact in a double: element exponents and scales
 * are drawn from a narrow range so every chunk spans fewer than 53 bits), rounded once to FP32 as
 * the B200 exact-sum datapath does, then promoted in FP32 (plain add for MX; fma with the FP32
 * product of the two group scales for 1x128, the documented rule).
 */
class GemmBlockSizeTest {

  private static final int M = 3;
  private static final int N = 4;
  private static final int K = 128;

  /** E4M3 codes with exponents 2^-2..2^2 (biased 5..9), random sign and mantissa. */
  private static byte[] codes(int count, Random r) {
    byte[] c = new byte[count];
    for (int i = 0; i < count; i++) {
      c[i] = (byte) ((r.nextBoolean() ? 0x80 : 0) | (5 + r.nextInt(5)) << 3 | r.nextInt(8));
    }
    return c;
  }

  private static QuantizedTensor mx(int outer, int block, byte[] codes, Random r) {
    byte[] scales = new byte[outer * (K / block)];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = (byte) (122 + r.nextInt(9)); // 2^-5 .. 2^3
    }
    return new QuantizedTensor(outer, K, KAxis.ALONG_ROWS, ScaleMode.VEC32_UE8M0, FpFormat.E4M3,
        ScaleMode.VEC32_UE8M0.blockShape(outer, K, KAxis.ALONG_ROWS, block), codes, null, scales,
        1f);
  }

  private static QuantizedTensor group(int outer, int block, byte[] codes, Random r) {
    float[] scales = new float[outer * (K / block)];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = 0x1p-3f * (1 + r.nextInt(8));
    }
    return new QuantizedTensor(outer, K, KAxis.ALONG_ROWS, ScaleMode.VEC128_32F, FpFormat.E4M3,
        ScaleMode.VEC128_32F.blockShape(outer, K, KAxis.ALONG_ROWS, block), codes, scales, null,
        1f);
  }

  private static GemmConfig chunksOf32() {
    return GemmConfig.hopper().withMmaK(32).withPromotionInterval(1).withThreads(1);
  }

  @Test
  void mxBlocksOf16MatchTheReference() {
    Random r = new Random(16);
    byte[] ac = codes(M * K, r);
    byte[] bc = codes(N * K, r);
    QuantizedTensor a = mx(M, 16, ac, r);
    QuantizedTensor b = mx(N, 16, bc, r);
    GemmResult g = Gemm.run(GemmReferenceTest.ONE_ROUNDING, chunksOf32(), a, b);
    for (int i = 0; i < M; i++) {
      for (int j = 0; j < N; j++) {
        float acc = 0f;
        for (int c0 = 0; c0 < K; c0 += 32) {
          double exact = 0;
          for (int k = c0; k < c0 + 32; k++) {
            exact += a.dequantize(i, k) * b.dequantize(j, k);
          }
          acc = acc + (float) exact;
        }
        assertEquals(acc, g.dFp32()[i * N + j], "D(" + i + ", " + j + ")");
      }
    }
  }

  @Test
  void groupsOf32AndOf64MatchTheReference() {
    for (int block : new int[] {32, 64}) {
      Random r = new Random(block);
      QuantizedTensor a = group(M, block, codes(M * K, r), r);
      QuantizedTensor b = group(N, block, codes(N * K, r), r);
      GemmResult g = Gemm.run(GemmReferenceTest.ONE_ROUNDING, chunksOf32(), a, b);
      for (int i = 0; i < M; i++) {
        for (int j = 0; j < N; j++) {
          float acc = 0f;
          for (int c0 = 0; c0 < K; c0 += 32) {
            double exact = 0;
            for (int k = c0; k < c0 + 32; k++) {
              exact += FpFormat.E4M3.decode(a.code(i, k)) * FpFormat.E4M3.decode(b.code(j, k));
            }
            float scale = a.scales()[a.blockIndex(i, c0)] * b.scales()[b.blockIndex(j, c0)];
            acc = Math.fma((float) exact, scale, acc);
          }
          assertEquals(acc, g.dFp32()[i * N + j], "block " + block + " D(" + i + ", " + j + ")");
        }
      }
    }
  }

  @Test
  void groupBlockSmallerThanThePromotionChunkIsRefused() {
    Random r = new Random(1);
    QuantizedTensor a = group(M, 64, codes(M * K, r), r);
    QuantizedTensor b = group(N, 64, codes(N * K, r), r);
    GemmConfig config = GemmConfig.hopper().withThreads(1); // 4 x k32 = chunks of 128
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.run(GemmReferenceTest.ONE_ROUNDING, config, a, b));
    assertTrue(e.getMessage().contains("promotion chunks of 128 K, which do not divide the "
        + "64-element scale blocks along K of A"), e.getMessage());
    assertTrue(e.getMessage().contains("use promotionInterval 2"), e.getMessage());
  }

  @Test
  void mxOperandsWithDifferentBlocksAreRefused() {
    Random r = new Random(2);
    QuantizedTensor a = mx(M, 16, codes(M * K, r), r);
    QuantizedTensor b = mx(N, 32, codes(N * K, r), r);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.run(GemmReferenceTest.ONE_ROUNDING, chunksOf32(), a, b));
    assertTrue(e.getMessage().contains("same scale block along K on both operands, got 16 (A) "
        + "and 32 (B)"), e.getMessage());
  }

  @Test
  void nvfp4AndPerTensorBlocksStayFixed() {
    QuantizedTensor t = new QuantizedTensor(2, K, KAxis.ALONG_ROWS, ScaleMode.SCALAR_32F,
        FpFormat.E4M3, new org.tcsim.core.quant.BlockShape(2, 64), new byte[2 * K], new float[2],
        null, 1f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.run(GemmReferenceTest.ONE_ROUNDING, chunksOf32(), t, t));
    assertTrue(e.getMessage().contains("does not match its mode"), e.getMessage());
  }
}

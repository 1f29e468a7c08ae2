package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;

/**
 * Tiny GEMMs checked element by element against an independent computation written out here:
 * {@link BlockFmaDatapath#dot} over each promotion chunk from +0, the FP32 promotion, split-K sum
 * (slices of whole 128-K tiles)
 * and epilogue spelled out in Java float arithmetic, the output conversion by FpFormat.encode.
 */
class GemmReferenceTest {

  static final BlockFmaParams H100 = FastKernelEquivalenceTest.H100;
  /** The B200 FP8 preset values (BlackwellTensorCore.FP8_FP32): RNE(RZ_24(exact sum) + C). */
  static final BlockFmaParams B200 = TruncatedSumKernelEquivalenceTest.B200;
  /**
   * The B200 FP8 model shipped before (BlackwellTensorCore.FP8_FP32_ONE_ROUNDING): the exact sum
   * plus C rounded once to nearest even; a what-if exact-sum datapath for the generic kernels.
   */
  static final BlockFmaParams ONE_ROUNDING = BlockFmaParams.of(32, 25, Rounding.RNE,
      FpFormat.FP32).withAlignment(AlignmentMode.EXACT);

  /** Reference for per-tensor / row-wise scales (constant along K). */
  static float reference(BlockFmaParams p, FpFormat fa, byte[] a, FpFormat fb, byte[] bT, int i,
      int j, int k, int chunk, int splitK, float alpha, float scale, float beta, float c,
      float bias) {
    BlockFmaDatapath dp = new BlockFmaDatapath(fa, fb, p);
    int[] row = new int[k];
    int[] col = new int[k];
    for (int t = 0; t < k; t++) {
      row[t] = a[i * k + t] & 0xFF;
      col[t] = bT[j * k + t] & 0xFF;
    }
    int slice = (k + splitK - 1) / splitK;
    // slices are whole K tiles of 128 (chunks of 32, 64 or 128 divide it)
    int granule = 128;
    slice = (slice + granule - 1) / granule * granule;
    float total = 0f;
    for (int s0 = 0; s0 < k; s0 += slice) {
      int s1 = Math.min(k, s0 + slice);
      float acc = 0f;
      int step = chunk == 0 ? s1 - s0 : chunk;
      for (int c0 = s0; c0 < s1; c0 += step) {
        int n = Math.min(step, s1 - c0);
        int partial = dp.dot(row, c0, 1, col, c0, 1, n, 0, null);
        acc = acc + Float.intBitsToFloat(partial);
      }
      total = s0 == 0 ? acc : total + acc;
    }
    // with C, the last product and the addition are one rounding (a fused multiply-add)
    float d = beta != 0f ? Math.fma(alpha * scale, total, beta * c) : (alpha * scale) * total;
    return d + bias;
  }

  @ParameterizedTest
  @CsvSource({
      // kernel params, promotion interval, split-K, K
      "h100, 4, 1, 384", "h100, 1, 1, 200", "h100, 0, 1, 384", "h100, 4, 2, 512",
      "h100, 2, 3, 448", "b200, 4, 1, 256", "b200, 0, 2, 320", "b200, 1, 3, 480",
      "exact, 4, 1, 256", "exact, 0, 2, 320"})
  void tinyGemmMatchesHandAssembledReference(String gpu, int interval, int splitK, int k) {
    BlockFmaParams p = switch (gpu) {
      case "h100" -> H100;
      case "b200" -> B200;
      default -> ONE_ROUNDING;
    };
    Random r = new Random(k * 31L + interval + splitK);
    int m = 5;
    int n = 7;
    FpFormat fa = FpFormat.E4M3;
    FpFormat fb = FpFormat.E5M2;
    byte[] a = Operands.random(fa, m * k, r);
    byte[] bT = Operands.random(fb, n * k, r); // B stored N x K ("TN")
    // The same B also given K x N (column K axis) to check the layouts agree.
    byte[] bKn = new byte[k * n];
    for (int j = 0; j < n; j++) {
      for (int t = 0; t < k; t++) {
        bKn[t * n + j] = bT[j * k + t];
      }
    }
    float[] cValues = new float[m * n];
    float[] bias = new float[n];
    for (int x = 0; x < cValues.length; x++) {
      cValues[x] = (float) r.nextGaussian();
    }
    for (int j = 0; j < n; j++) {
      bias[j] = (float) r.nextGaussian();
    }
    float sa = 0.75f;
    float sb = 1.25f;
    GemmConfig cfg = GemmConfig.hopper().withPromotionInterval(interval).withSplitK(splitK)
        .withAlpha(0.5f).withBeta(2f).withBias(bias).withThreads(2);
    QuantizedTensor qa = Operands.perTensor(fa, m, k, KAxis.ALONG_ROWS, a, sa);
    QuantizedTensor qbT = Operands.perTensor(fb, n, k, KAxis.ALONG_ROWS, bT, sb);
    QuantizedTensor qbKn = Operands.perTensor(fb, k, n, KAxis.ALONG_COLUMNS, bKn, sb);
    CodeMatrix c = CodeMatrix.ofFloats(m, n, cValues);
    GemmResult tn = Gemm.run(p, cfg, qa, qbT, c);
    GemmResult nn = Gemm.run(p, cfg, qa, qbKn, c);
    GemmResult bf16 = Gemm.run(p, cfg.withOutput(FpFormat.BF16, 1f), qa, qbT, c);
    GemmResult e4m3 = Gemm.run(p, cfg.withOutput(FpFormat.E4M3, 0.25f), qa, qbT, c);
    float scale = sa * sb;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        // the epilogue multiplies (alpha * sa) * sb; 0.5 * 0.75 * 1.25 is exact either way
        float want = reference(p, fa, a, fb, bT, i, j, k, interval * 32, splitK, 0.5f, scale, 2f,
            cValues[i * n + j], bias[j]);
        String at = "(" + i + "," + j + ") " + tn.kernel();
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(tn.fp32(i, j)), at);
        assertEquals(Float.floatToRawIntBits(want), nn.d().code(i, j), at);
        assertEquals(FpFormat.BF16.encode(want, Rounding.RNE, Overflow.IEEE), bf16.d().code(i, j));
        assertEquals(FpFormat.E4M3.encode(want * 0.25f, Rounding.RNE, Overflow.SATFINITE),
            e4m3.d().code(i, j));
      }
    }
  }

  /**
   * 1x128 x 128x128 block scales (DeepSeek-V3 / DeepGEMM) applied at promotion with an FMA:
   * acc = fma(partial, sa * sb, acc), written out here with Math.fma. K = 200 leaves a partial
   * last block of 72, which cuBLASLt allows (L = ceil(K / 128) blocks; cuBLAS documentation,
   * "128-element 1D and 128x128 2D Block Scaling For FP8 Data Types"): its chunk is promoted with
   * its own scales.
   */
  @ParameterizedTest
  @CsvSource({"384", "200", "130"})
  void blockScalesAppliedAtPromotion(int k) {
    Random r = new Random(7);
    int m = 3;
    int n = 130; // two B scale blocks across N
    int blocks = (k + 127) / 128;
    FpFormat f = FpFormat.E4M3;
    byte[] a = Operands.gaussian(f, m * k, r);
    byte[] bT = Operands.gaussian(f, n * k, r);
    float[] sa = new float[m * blocks];
    float[] sb = new float[2 * blocks]; // N x K with K along rows: grid 2 x blocks
    for (int x = 0; x < sa.length; x++) {
      sa[x] = (float) Math.exp(r.nextGaussian());
    }
    for (int x = 0; x < sb.length; x++) {
      sb[x] = (float) Math.exp(r.nextGaussian());
    }
    QuantizedTensor qa = Operands.withScales(f, m, k, KAxis.ALONG_ROWS, ScaleMode.VEC128_32F, a, sa);
    QuantizedTensor qb = Operands.withScales(f, n, k, KAxis.ALONG_ROWS, ScaleMode.BLK128x128_32F,
        bT, sb);
    for (PromotionRule rule : PromotionRule.values()) {
      GemmResult res = Gemm.run(H100, GemmConfig.hopper().withPromotionRule(rule), qa, qb);
      BlockFmaDatapath dp = new BlockFmaDatapath(f, f, H100);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int[] row = new int[k];
          int[] col = new int[k];
          for (int t = 0; t < k; t++) {
            row[t] = a[i * k + t] & 0xFF;
            col[t] = bT[j * k + t] & 0xFF;
          }
          float acc = 0f;
          for (int c0 = 0; c0 < k; c0 += 128) {
            int len = Math.min(128, k - c0);
            float partial = Float.intBitsToFloat(dp.dot(row, c0, 1, col, c0, 1, len, 0, null));
            float s = sa[i * blocks + c0 / 128] * sb[(j / 128) * blocks + c0 / 128];
            acc = rule == PromotionRule.FMA ? Math.fma(partial, s, acc) : acc + partial * s;
          }
          assertEquals(acc, res.fp32(i, j), "(" + i + "," + j + ") " + rule + " K " + k);
        }
      }
    }
  }
}

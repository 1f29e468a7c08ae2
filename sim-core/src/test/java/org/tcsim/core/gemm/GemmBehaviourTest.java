package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;

/** PyTorch facts, promotion vs fast accumulation, determinism, bad input, accuracy, memory. */
class GemmBehaviourTest {

  static final BlockFmaParams H100 = FastKernelEquivalenceTest.H100;
  static final int E4M3_HALF = 0x30; // 0.5 = 2^-1: exponent field 6, mantissa 0
  static final int E4M3_ONE = 0x38;

  /**
   * torch test_float8_basics / test_float8_scale (docs/hardware-facts.md, torch._scaled_mm):
   * 16x16 of 0.5, K = 16, gives 4.
   */
  @Test
  void sixteenSquaredHalvesGiveExactlyFour() {
    QuantizedTensor a = Operands.perTensor(FpFormat.E4M3, 16, 16, KAxis.ALONG_ROWS,
        Operands.filled(256, E4M3_HALF), 1f);
    QuantizedTensor b = Operands.perTensor(FpFormat.E4M3, 16, 16, KAxis.ALONG_ROWS,
        Operands.filled(256, E4M3_HALF), 1f);
    for (FpFormat out : new FpFormat[] {FpFormat.FP32, FpFormat.BF16, FpFormat.FP16}) {
      GemmResult r = Gemm.run(H100, GemmConfig.hopper().withOutput(out, 1f), a, b);
      for (int i = 0; i < 16; i++) {
        for (int j = 0; j < 16; j++) {
          assertEquals(4.0, r.value(i, j), out + " (" + i + "," + j + ")");
        }
      }
    }
  }

  /** torch test_float8_rowwise_scaling_sanity: ones with row-wise scales 0.5 x 0.5 give K * 0.25. */
  @Test
  void rowwiseScalingGivesKTimesAQuarter() {
    int m = 16;
    int n = 32;
    int k = 512;
    float[] sa = new float[m];
    float[] sb = new float[n];
    java.util.Arrays.fill(sa, 0.5f);
    java.util.Arrays.fill(sb, 0.5f);
    QuantizedTensor a = Operands.withScales(FpFormat.E4M3, m, k, KAxis.ALONG_ROWS,
        ScaleMode.OUTER_VEC_32F, Operands.filled(m * k, E4M3_ONE), sa);
    QuantizedTensor b = Operands.withScales(FpFormat.E4M3, n, k, KAxis.ALONG_ROWS,
        ScaleMode.OUTER_VEC_32F, Operands.filled(n * k, E4M3_ONE), sb);
    GemmResult r = Gemm.run(H100, GemmConfig.hopper().withOutput(FpFormat.BF16, 1f), a, b);
    for (int x = 0; x < m * n; x++) {
      assertEquals(k * 0.25, r.value(x / n, x % n));
    }
  }

  /** Identity times X is X, for every E4M3 value in X (torch test_float8_basics). */
  @Test
  void identityTimesXIsX() {
    int size = 32;
    byte[] eye = new byte[size * size];
    byte[] x = new byte[size * size];
    Random r = new Random(3);
    for (int i = 0; i < size; i++) {
      eye[i * size + i] = (byte) E4M3_ONE;
    }
    x = Operands.random(FpFormat.E4M3, size * size, r);
    // D = I * X with X given K x N (K along columns) so that D(i, j) = X(i, j).
    GemmResult d = Gemm.run(H100, GemmConfig.hopper(),
        Operands.perTensor(FpFormat.E4M3, size, size, KAxis.ALONG_ROWS, eye, 1f),
        Operands.perTensor(FpFormat.E4M3, size, size, KAxis.ALONG_COLUMNS, x, 1f));
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        // compared as numbers: an exact zero sum is +0 in the published model, so -0 comes back +0
        assertTrue(FpFormat.E4M3.decode(x[i * size + j] & 0xFF) == d.value(i, j), i + "," + j);
      }
    }
  }

  /**
   * Why Hopper kernels promote (docs/hardware-facts.md, Hopper FP8). Ones times ones, K = 32768. By
   * hand for the H100
   * datapath (13 bits kept below the step's largest exponent, truncation, RZ to 13 mantissa bits):
   * while the accumulator C is below 2^14 its lead L is at most 13, the grid is 2^(L-13) &lt;= 1,
   * each 1.0 product is kept whole and the 13-bit result is exact (the sum stays below 2^14 + 32,
   * exact with 13 mantissa bits at lead 13... and reaches 2^14 exactly after 512 steps). Once C =
   * 2^14, the grid is 2^(14-13) = 2 and every product 1.0 truncates to 0: the accumulator stalls at
   * 16384. With promotion every 4 k32 MMAs, each chunk's partial is exactly 128 and the FP32 sums
   * of 128s are exact up to 2^24: D = 32768.
   */
  @Test
  void fastAccumulationStallsWherePromotionStaysExact() {
    int k = 32768;
    QuantizedTensor a = Operands.perTensor(FpFormat.E4M3, 2, k, KAxis.ALONG_ROWS,
        Operands.filled(2 * k, E4M3_ONE), 1f);
    QuantizedTensor b = Operands.perTensor(FpFormat.E4M3, 3, k, KAxis.ALONG_ROWS,
        Operands.filled(3 * k, E4M3_ONE), 1f);
    GemmResult promoted = Gemm.run(H100, GemmConfig.hopper(), a, b);
    GemmResult fast = Gemm.run(H100, GemmConfig.hopper().withFastAccumulation(), a, b);
    GemmResult half = Gemm.run(H100, GemmConfig.hopper().withFastAccumulation(),
        Operands.perTensor(FpFormat.E4M3, 2, 16384, KAxis.ALONG_ROWS,
            Operands.filled(2 * 16384, E4M3_ONE), 1f),
        Operands.perTensor(FpFormat.E4M3, 3, 16384, KAxis.ALONG_ROWS,
            Operands.filled(3 * 16384, E4M3_ONE), 1f));
    for (int x = 0; x < 6; x++) {
      assertEquals(32768f, promoted.fp32(x / 3, x % 3));
      assertEquals(16384f, fast.fp32(x / 3, x % 3));
      assertEquals(16384f, half.fp32(x / 3, x % 3)); // growth is exact up to the stall
    }
    // Split-K in two slices of fast accumulation: each slice stalls at 16384? No: each slice is
    // 16384 ones, reached exactly; their FP32 sum is 32768.
    GemmResult split = Gemm.run(H100, GemmConfig.hopper().withFastAccumulation().withSplitK(2), a, b);
    assertEquals(32768f, split.fp32(0, 0));
  }

  @Test
  void resultsDoNotDependOnThreadCount() {
    Random r = new Random(11);
    int m = 70;
    int n = 150;
    int k = 640;
    QuantizedTensor a = Operands.perTensor(FpFormat.E4M3, m, k, KAxis.ALONG_ROWS,
        Operands.gaussian(FpFormat.E4M3, m * k, r), 0.1f);
    QuantizedTensor b = Operands.perTensor(FpFormat.E5M2, k, n, KAxis.ALONG_COLUMNS,
        Operands.random(FpFormat.E5M2, k * n, r), 3f);
    for (BlockFmaParams p : new BlockFmaParams[] {H100, GemmReferenceTest.ONE_ROUNDING}) {
      for (GemmConfig base : new GemmConfig[] {GemmConfig.hopper(),
          GemmConfig.hopper().withFastAccumulation().withSplitK(3)}) {
        float[] one = Gemm.run(p, base.withThreads(1), a, b).dFp32();
        for (int threads : new int[] {2, 3, 8}) {
          float[] many = Gemm.run(p, base.withThreads(threads), a, b).dFp32();
          assertArrayEquals(one, many, p.describe() + " threads " + threads);
        }
      }
    }
  }

  /** The progress listener hears of the start and of every tile once, and changes nothing. */
  @Test
  void progressCountsEveryTileAndChangesNothing() {
    Random r = new Random(12);
    // 300 x 200 x 256: several tiles of D in both directions, partial ones at the edges.
    QuantizedTensor a = new org.tcsim.core.quant.CurrentScaling(FpFormat.E4M3)
        .quantize(Operands.normal(300, 256, r), KAxis.ALONG_ROWS);
    QuantizedTensor b = new org.tcsim.core.quant.CurrentScaling(FpFormat.E4M3)
        .quantize(Operands.normal(200, 256, r), KAxis.ALONG_ROWS);
    GemmConfig cfg = GemmConfig.hopper().withThreads(3).withOutput(FpFormat.BF16, 1f);
    java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong highest = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
    GemmResult heard = Gemm.run(H100, cfg, a, b, null, (done, tiles) -> {
      calls.incrementAndGet();
      highest.accumulateAndGet(done, Math::max);
      total.set(tiles);
    });
    GemmResult quiet = Gemm.run(H100, cfg, a, b);
    assertArrayEquals(quiet.d().codes(), heard.d().codes());
    assertTrue(total.get() > 1, "tiles " + total.get());
    assertEquals(total.get() + 1, calls.get(), "once at the start, once per tile");
    assertEquals(total.get(), highest.get());
  }

  @Test
  void badInputIsRefusedNamingTheArgument() {
    QuantizedTensor a = Operands.perTensor(FpFormat.E4M3, 4, 256, KAxis.ALONG_ROWS,
        Operands.filled(1024, E4M3_ONE), 1f);
    QuantizedTensor b = Operands.perTensor(FpFormat.E4M3, 8, 256, KAxis.ALONG_ROWS,
        Operands.filled(2048, E4M3_ONE), 1f);
    GemmConfig cfg = GemmConfig.hopper();
    assertMessage("K=128", () -> Gemm.run(H100, cfg, a,
        Operands.perTensor(FpFormat.E4M3, 8, 128, KAxis.ALONG_ROWS, new byte[1024], 1f)));
    byte[] nan = Operands.filled(1024, E4M3_ONE);
    nan[1 * 256 + 5] = 0x7F;
    assertMessage("A element (m 1, k 5)", () -> Gemm.run(H100, cfg,
        Operands.perTensor(FpFormat.E4M3, 4, 256, KAxis.ALONG_ROWS, nan, 1f), b));
    assertMessage("scale of B", () -> Gemm.run(H100, cfg, a,
        Operands.perTensor(FpFormat.E4M3, 8, 256, KAxis.ALONG_ROWS, new byte[2048], Float.NaN)));
    assertMessage("beta", () -> Gemm.run(H100, cfg.withBeta(1f), a, b));
    assertMessage("C is 3x8", () -> Gemm.run(H100, cfg.withBeta(1f), a, b,
        CodeMatrix.ofFloats(3, 8, new float[24])));
    float[] cInf = new float[32];
    cInf[9] = Float.POSITIVE_INFINITY;
    assertMessage("C element (1, 1)", () -> Gemm.run(H100, cfg.withBeta(1f), a, b,
        CodeMatrix.ofFloats(4, 8, cInf)));
    assertMessage("bias", () -> Gemm.run(H100, cfg.withBias(new float[3]), a, b));
    assertMessage("alpha", () -> cfg.withAlpha(Float.NaN));
    // K not a multiple of the 32 that MX blocks need (1x128 groups take a partial last block).
    QuantizedTensor mx48 = new QuantizedTensor(4, 48, KAxis.ALONG_ROWS, ScaleMode.VEC32_UE8M0,
        FpFormat.E4M3, ScaleMode.VEC32_UE8M0.blockShape(4, 48, KAxis.ALONG_ROWS), new byte[192],
        null, Operands.filled(8, 127), 1f);
    assertMessage("K=48 is not a multiple of 32", () -> Gemm.run(GemmReferenceTest.B200, cfg,
        mx48, mx48));
    QuantizedTensor g256 = Operands.withScales(FpFormat.E4M3, 4, 256, KAxis.ALONG_ROWS,
        ScaleMode.VEC128_32F, new byte[1024], new float[] {1, 1, 1, 1, 1, 1, 1, 1});
    QuantizedTensor b256 = Operands.withScales(FpFormat.E4M3, 8, 256, KAxis.ALONG_ROWS,
        ScaleMode.BLK128x128_32F, new byte[2048], new float[] {1, 1});
    assertMessage("fast accumulation", () -> Gemm.run(H100, cfg.withFastAccumulation(), g256,
        b256));
    assertMessage("promotionInterval=8", () -> Gemm.run(H100, cfg.withPromotionInterval(8), g256,
        b256));
    assertMessage("cannot be combined", () -> Gemm.run(H100, cfg, g256,
        new QuantizedTensor(8, 256, KAxis.ALONG_ROWS, ScaleMode.VEC32_UE8M0, FpFormat.E4M3,
            ScaleMode.VEC32_UE8M0.blockShape(8, 256, KAxis.ALONG_ROWS), new byte[2048], null,
            new byte[64], 1f)));
    // A scale layout that does not match its mode: 1x128 groups given as 4x128 blocks.
    QuantizedTensor wrongLayout = new QuantizedTensor(4, 256, KAxis.ALONG_ROWS,
        ScaleMode.VEC128_32F, FpFormat.E4M3, new org.tcsim.core.quant.BlockShape(4, 128),
        new byte[1024], new float[2], null, 1f);
    assertMessage("scale layout", () -> Gemm.run(H100, cfg, wrongLayout, b256));
    // MXFP8 on the truncating Hopper datapath: not modelled, said so.
    QuantizedTensor mxA = new QuantizedTensor(4, 256, KAxis.ALONG_ROWS, ScaleMode.VEC32_UE8M0,
        FpFormat.E4M3, ScaleMode.VEC32_UE8M0.blockShape(4, 256, KAxis.ALONG_ROWS),
        new byte[1024], null, Operands.filled(32, 127), 1f);
    QuantizedTensor mxB = new QuantizedTensor(8, 256, KAxis.ALONG_ROWS, ScaleMode.VEC32_UE8M0,
        FpFormat.E4M3, ScaleMode.VEC32_UE8M0.blockShape(8, 256, KAxis.ALONG_ROWS),
        new byte[2048], null, Operands.filled(64, 127), 1f);
    assertMessage("exact-sum datapath", () -> Gemm.run(H100, cfg, mxA, mxB));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable run) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
    assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
  }

  /**
   * MXFP8 on the exact-sum (B200) datapath: with power-of-two scales 2^s, each step is
   * RNE(2^(sa+sb) * exact block sum + C); with all scale codes 127 (2^0) it must equal the
   * unscaled GEMM, and scaling A's blocks by 2^3 must scale D by exactly 8 when every block's
   * sum is scaled alike (a single K block).
   */
  @Test
  void mxfp8ScalesApplyInsideTheMma() {
    Random r = new Random(5);
    int m = 3;
    int n = 4;
    int k = 32;
    byte[] a = Operands.random(FpFormat.E4M3, m * k, r);
    byte[] b = Operands.random(FpFormat.E4M3, n * k, r);
    BlockFmaParams b200 = GemmReferenceTest.ONE_ROUNDING;
    GemmResult plain = Gemm.run(b200, GemmConfig.hopper(),
        Operands.perTensor(FpFormat.E4M3, m, k, KAxis.ALONG_ROWS, a, 1f),
        Operands.perTensor(FpFormat.E4M3, n, k, KAxis.ALONG_ROWS, b, 1f));
    GemmResult mx = Gemm.run(b200, GemmConfig.hopper(), mx(a, m, k, 127 + 3), mx(b, n, k, 127));
    assertEquals("block-scaled-datapath", mx.kernel());
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(plain.fp32(i, j) * 8f, mx.fp32(i, j));
      }
    }
  }

  private static QuantizedTensor mx(byte[] codes, int rows, int k, int scaleCode) {
    return new QuantizedTensor(rows, k, KAxis.ALONG_ROWS, ScaleMode.VEC32_UE8M0, FpFormat.E4M3,
        ScaleMode.VEC32_UE8M0.blockShape(rows, k, KAxis.ALONG_ROWS), codes, null,
        Operands.filled(rows * (k / 32), scaleCode), 1f);
  }

  /**
   * The accuracy summary against exact arithmetic. One element checked by hand: A and B rows
   * alternate 1.0 and 2^-9 (E4M3's smallest subnormal), K = 64: exact = 32 * (1 + 2^-18); the H100
   * datapath keeps 13 bits below the step's largest exponent (0, from 1.0 * 1.0), so each 2^-18
   * product truncates to 0 and D = 32 exactly and the relative error is 32 * 2^-18 / (32 + 32 * 2^-18) = 1 / (2^18 + 1).
   */
  @Test
  void accuracySummaryAgainstExact() {
    int k = 64;
    byte[] a = new byte[k];
    byte[] b = new byte[k];
    for (int t = 0; t < k; t++) {
      a[t] = (byte) (t % 2 == 0 ? E4M3_ONE : 0x01);
      b[t] = (byte) (t % 2 == 0 ? E4M3_ONE : 0x01);
    }
    QuantizedTensor qa = Operands.perTensor(FpFormat.E4M3, 1, k, KAxis.ALONG_ROWS, a, 1f);
    QuantizedTensor qb = Operands.perTensor(FpFormat.E4M3, 1, k, KAxis.ALONG_ROWS, b, 1f);
    GemmResult r = Gemm.run(H100, GemmConfig.hopper(), qa, qb);
    assertEquals(32f, r.fp32(0, 0));
    AccuracySummary s = GemmAccuracy.compare(r, qa, qb, null, 100, 1);
    double expected = BigDecimal.ONE.divide(BigDecimal.valueOf((1L << 18) + 1),
        MathContext.DECIMAL64).doubleValue();
    assertEquals(expected, s.maxRelativeError(), 1e-18);
    assertEquals(1, s.compared());
    // |error| = 32 * 2^-18 = 2^-13; ulp(32) in FP32 is 2^(5-23) = 2^-18: 32 ulps, bin "<=32"
    assertEquals(1, s.ulpHistogram()[UlpBins.ERROR_LABELS.indexOf("<=32")]);
    assertTrue(!s.sampled());
  }

  @Test
  void fp8OutputSaturationIsCounted() {
    // 1.0 x 1.0 over K = 512 gives 512; scaleD 1 into E4M3 (max 448) saturates every element.
    QuantizedTensor a = Operands.perTensor(FpFormat.E4M3, 2, 512, KAxis.ALONG_ROWS,
        Operands.filled(1024, E4M3_ONE), 1f);
    GemmResult r = Gemm.run(H100, GemmConfig.hopper().withOutput(FpFormat.E4M3, 1f), a, a);
    assertEquals(4, r.saturated());
    assertEquals(448.0, r.value(1, 1));
    assertEquals(512f, r.amaxD());
    GemmResult scaled = Gemm.run(H100, GemmConfig.hopper().withOutput(FpFormat.E4M3, 0.5f), a, a);
    assertEquals(0, scaled.saturated());
    assertEquals(256.0, scaled.value(0, 0));
  }

  @Test
  void memoryEstimateRefusesWhatDoesNotFit() {
    MemoryEstimate e = MemoryEstimate.of(100_000, 100_000, 100_000, 2);
    GemmTooLargeException x = assertThrows(GemmTooLargeException.class,
        () -> e.requireFits(8L << 30));
    assertTrue(x.getMessage().contains("100000x100000x100000"), x.getMessage());
    assertTrue(x.getMessage().contains("GiB"), x.getMessage());
    // 12 bytes per output element alone is 111.8 GiB here
    assertTrue(e.totalBytes() > 12L * 100_000 * 100_000);
    MemoryEstimate.of(64, 64, 64, 2).requireFits(8L << 30); // fits: no exception
  }
}

package org.tcsim.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.tcsim.core.format.FpFormat;
import org.tcsim.gpu.GemmRecipe;
import org.tcsim.traces.io.Npy;
import org.tcsim.traces.io.NpyDtype;

class TensorCoreAssertionsTest {

  /** E4M3 1.0; all-ones K=32 with scales 1: every element of D is exactly 32. */
  private static TensorCoreGemm ones(int m, int n) {
    byte[] a = new byte[m * 32];
    byte[] b = new byte[n * 32];
    Arrays.fill(a, (byte) 0x38);
    Arrays.fill(b, (byte) 0x38);
    return TensorCoreGemm.e4m3(m, n, 32, a, b);
  }

  private static final int FP32_32 = 0x42000000;

  @Test
  void exactOutputPasses(@TempDir Path dir) throws Exception {
    int[] d = new int[4 * 3];
    Arrays.fill(d, FP32_32);
    TensorCoreAssertions.assertMatchesTensorCore("h100", ones(4, 3), d);
    float[] f = new float[4 * 3];
    Arrays.fill(f, 32f);
    Path npy = dir.resolve("d.npy");
    Npy.writeFloats(npy, false, new long[] {4, 3}, f);
    TensorCoreAssertions.assertMatchesTensorCore("b200", ones(4, 3), npy);
    // BF16 output of 32 * 0.5 * 2 = 32: 0x4200.
    int[] bf = new int[12];
    Arrays.fill(bf, 0x4200);
    TensorCoreAssertions.assertMatchesTensorCore("h100",
        ones(4, 3).scales(0.5f, 2f).output(FpFormat.BF16), bf);
  }

  /**
   * The library option. All ones with K = 32768 (scales 1): with promotion every 128 K the sum is
   * exactly 32768; without promotion the H100 accumulator, which keeps 13 bits below its leading
   * bit, stops at 2^14 = 16384 (each further 1 is 14 binades down and truncated away). torch's
   * use_fast_accum turns promotion off on Hopper; DeepGEMM has no such flag; torch needs N to be a
   * multiple of 16.
   */
  @Test
  void libraryOptionCarriesItsSemanticsAndRules() {
    int k = 32768;
    byte[] a = new byte[k];
    byte[] b = new byte[16 * k];
    Arrays.fill(a, (byte) 0x38);
    Arrays.fill(b, (byte) 0x38);
    TensorCoreGemm g = TensorCoreGemm.e4m3(1, 16, k, a, b);
    int fp32Of32768 = 0x47000000;
    int fp32Of16384 = 0x46800000;
    assertEquals(fp32Of32768, TensorCoreAssertions.expectedCodes("h100", g.library("torch"))[0]);
    assertEquals(fp32Of16384,
        TensorCoreAssertions.expectedCodes("h100", g.library("torch").withFastAccumulation())[0]);
    IllegalArgumentException noFlag = assertThrows(IllegalArgumentException.class,
        () -> TensorCoreAssertions.expectedCodes("h800",
            g.library("deepgemm").withFastAccumulation()));
    assertTrue(noFlag.getMessage().contains("no fast-accumulation mode"), noFlag.getMessage());
    IllegalArgumentException n8 = assertThrows(IllegalArgumentException.class,
        () -> TensorCoreAssertions.expectedCodes("h100", ones(4, 8).library("torch")));
    assertTrue(n8.getMessage().contains("multiples of 16") && n8.getMessage().contains("Blas.cpp"),
        n8.getMessage());
    // torch row-wise on sm_100 (PyTorch's own kernel): bf16 or fp16 out only; with scales 0.5 per
    // row and 4 per column every order gives exactly 2 * 32 = 64 (BF16 0x4280).
    float[] rows = new float[4];
    float[] cols = new float[16];
    Arrays.fill(rows, 0.5f);
    Arrays.fill(cols, 4f);
    TensorCoreGemm rowwise = ones(4, 16).library("torch").rowwiseScales(rows, cols);
    IllegalArgumentException fp32 = assertThrows(IllegalArgumentException.class,
        () -> TensorCoreAssertions.expectedCodes("b200", rowwise));
    assertTrue(fp32.getMessage().contains("only bf16 and fp16"), fp32.getMessage());
    int[] bf = new int[4 * 16];
    Arrays.fill(bf, 0x4280);
    TensorCoreAssertions.assertMatchesTensorCore("b200", rowwise.output(FpFormat.BF16), bf);
    // on sm_90 it is a cuBLASLt call, which writes FP32 too: 64.0f
    int[] fp32Ones = new int[4 * 16];
    Arrays.fill(fp32Ones, Float.floatToRawIntBits(64f));
    TensorCoreAssertions.assertMatchesTensorCore("h100", rowwise, fp32Ones);
  }

  @Test
  void failureNamesTheFirstMismatchesWithBitsUlpsHistogramAndDiagnosis() {
    int[] d = new int[4 * 3];
    Arrays.fill(d, FP32_32);
    d[1 * 3 + 2] = FP32_32 + 1;
    d[3 * 3 + 0] = 0x42000004;
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> TensorCoreAssertions.assertMatchesTensorCore("h100", ones(4, 3), d));
    String[] lines = e.getMessage().split("\n");
    assertEquals("kernel output differs from h100 tensor cores in 2 of 12 elements of D (4x3 fp32);"
        + " first 2:", lines[0]);
    assertEquals("  (row 1, col 2): actual 0x42000001 (32.000003814697266), expected 0x42000000 "
        + "(32.0), 1 ulp", lines[1]);
    assertEquals("  (row 3, col 0): actual 0x42000004 (32.00001525878906), expected 0x42000000 "
        + "(32.0), 4 ulps", lines[2]);
    assertEquals("mismatches by ULP distance: 1:1 3-4:1", lines[3]);
    // Bits no nearby setting gives (the exact sum is 32 and every setting computes it exactly).
    assertEquals("diagnosis (first 2 mismatches): no nearby setting reproduces the bits of the "
        + "kernel output (tried: exact product rounded once, fast accumulation, libraries, "
        + "promotion interval and rule, other GPUs, datapath variants)", lines[4]);
    assertEquals(5, lines.length, e.getMessage());
  }

  @Test
  void aUlpToleranceAcceptsSmallDifferencesAndNeverANaN() {
    int[] d = new int[4 * 3];
    Arrays.fill(d, FP32_32);
    d[1 * 3 + 2] = FP32_32 + 1;
    d[3 * 3 + 0] = 0x42000004;
    TensorCoreAssertions.assertMatchesTensorCore("h100", ones(4, 3), d, 4);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> TensorCoreAssertions.assertMatchesTensorCore("h100", ones(4, 3), d, 3));
    assertTrue(e.getMessage().startsWith("kernel output differs from h100 tensor cores in 2 of 12"
        + " elements of D (4x3 fp32) by up to 4 ulps (tolerance 3); first 2:"), e.getMessage());
    assertTrue(e.getMessage().contains("\nmismatches by ULP distance: 1:1 3-4:1\n"),
        e.getMessage());
    d[0] = 0x7FC00000; // NaN
    AssertionFailedError nan = assertThrows(AssertionFailedError.class,
        () -> TensorCoreAssertions.assertMatchesTensorCore("h100", ones(4, 3), d, 1 << 30));
    assertTrue(nan.getMessage().contains("a NaN against a number"), nan.getMessage());
  }

  /**
   * Row-wise, block, MX and NVFP4 scales on all-ones operands: every partial sum is a small
   * integer and every scale a power of two, so D is exactly the sum of the block sums times
   * their scales, computed here by hand.
   */
  @Test
  void rowwiseBlockMxAndNvfp4ScalesGiveTheExactlyScaledSums() {
    // Row-wise: D[i][j] = 32 * sa[i] * sb[j].
    float[] sa = {0.5f, 2f};
    float[] sb = {1f, 4f, 0.25f};
    int[] d = new int[6];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        d[i * 3 + j] = Float.floatToRawIntBits(32f * sa[i] * sb[j]);
      }
    }
    TensorCoreAssertions.assertMatchesTensorCore("h100", ones(2, 3).rowwiseScales(sa, sb), d);
    // Block, K = 256: A's groups (M x 2) and B's blocks (ceil(3/128) x 2 = 1 x 2).
    byte[] a = new byte[2 * 256];
    byte[] b = new byte[3 * 256];
    Arrays.fill(a, (byte) 0x38);
    Arrays.fill(b, (byte) 0x38);
    float[] ga = {1f, 2f, 0.5f, 4f};
    float[] gb = {2f, 0.5f};
    int[] db = new int[6];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        db[i * 3 + j] = Float.floatToRawIntBits(128f * ga[i * 2] * gb[0]
            + 128f * ga[i * 2 + 1] * gb[1]);
      }
    }
    TensorCoreAssertions.assertMatchesTensorCore("h800",
        TensorCoreGemm.e4m3(2, 3, 256, a, b).blockScales(ga, gb), db);
    // MXFP8 on B200, K = 64: E8M0 codes 2^(code - 127).
    byte[] a64 = new byte[64];
    byte[] b64 = new byte[64];
    Arrays.fill(a64, (byte) 0x38);
    Arrays.fill(b64, (byte) 0x38);
    TensorCoreAssertions.assertMatchesTensorCore("b200", TensorCoreGemm.e4m3(1, 1, 64, a64, b64)
        .mxScales(new byte[] {(byte) 128, (byte) 126}, new byte[] {(byte) 127, (byte) 129}),
        new int[] {Float.floatToRawIntBits(32f * 2 * 1 + 32f * 0.5f * 4)});
    // NVFP4 on B200, K = 32: E2M1 1.0 is code 0x2; UE4M3 0x38 = 1, 0x40 = 2, 0x30 = 0.5.
    byte[] e2m1 = new byte[32];
    Arrays.fill(e2m1, (byte) 0x2);
    TensorCoreAssertions.assertMatchesTensorCore("b200",
        TensorCoreGemm.of(FpFormat.E2M1, FpFormat.E2M1, 1, 1, 32, e2m1, e2m1)
            .nvfp4Scales(new byte[] {0x38, 0x40}, new byte[] {0x30, 0x38}).alpha(2f),
        new int[] {Float.floatToRawIntBits(2f * (16f * 1 * 0.5f + 16f * 2 * 1))});
  }

  @Test
  void aGemmWhollyInNpyFilesIsChecked(@TempDir Path dir) throws Exception {
    int[] ones = new int[2 * 32];
    Arrays.fill(ones, 0x38);
    Path a = dir.resolve("a.npy");
    Path b = dir.resolve("b.npy");
    Npy.write(a, NpyDtype.U1, false, new long[] {2, 32}, ones);
    Npy.write(b, NpyDtype.V1, false, new long[] {32, 2}, ones); // ml_dtypes float8_e4m3fn
    Path sa = dir.resolve("sa.npy");
    Path sb = dir.resolve("sb.npy");
    Npy.writeFloats(sa, false, new long[] {2, 1}, new float[] {1f, 2f});
    Npy.writeFloats(sb, false, new long[] {1, 2}, new float[] {0.5f, 4f});
    Path d = dir.resolve("d.npy");
    Npy.writeFloats(d, false, new long[] {2, 2}, new float[] {16f, 128f, 32f, 256f});
    TensorCoreAssertions.assertMatchesTensorCore("h100", a, b, GemmRecipe.ROWWISE, sa, sb,
        FpFormat.FP32, d);
    Npy.writeFloats(d, false, new long[] {2, 2}, new float[] {16f, 128f, 32f, 255f});
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> TensorCoreAssertions.assertMatchesTensorCore("h100", a, b, GemmRecipe.ROWWISE, sa,
            sb, FpFormat.FP32, d));
    assertTrue(e.getMessage().contains("in 1 of 4 elements"), e.getMessage());
  }

  @Test
  void accuracySummaryPrintsReadably() {
    String s = TensorCoreAssertions.accuracy("h100", ones(4, 3), 100).toString();
    assertTrue(s.startsWith("accuracy vs exact (all 12 of 12 elements): max rel err 0.000e+00"),
        s);
    // All 12 exact: the bins past the last non-empty one are left out of the line.
    assertTrue(s.contains("ULP error histogram: 0:12" + System.lineSeparator()), s);
  }

  @Test
  void wrongSizeOrDtypeFails(@TempDir Path dir) throws Exception {
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> TensorCoreAssertions.assertMatchesTensorCore("h100", ones(4, 3), new int[5]));
    assertTrue(e.getMessage().contains("has 5 elements, D is 4x3"), e.getMessage());
    Path npy = dir.resolve("d.npy");
    Npy.writeFloats(npy, false, new long[] {4, 3}, new float[12]);
    AssertionFailedError e2 = assertThrows(AssertionFailedError.class,
        () -> TensorCoreAssertions.assertMatchesTensorCore("h100",
            ones(4, 3).output(FpFormat.BF16), npy));
    assertTrue(e2.getMessage().contains("<f4"), e2.getMessage());
  }
}

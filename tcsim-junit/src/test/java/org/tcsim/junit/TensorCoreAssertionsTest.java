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
import org.tcsim.traces.io.Npy;

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
    // torch row-wise: bf16 or fp16 out only; with scales 0.5 per row and 4 per column every order
    // gives exactly 2 * 32 = 64 (BF16 0x4280).
    float[] rows = new float[4];
    float[] cols = new float[16];
    Arrays.fill(rows, 0.5f);
    Arrays.fill(cols, 4f);
    TensorCoreGemm rowwise = ones(4, 16).library("torch").rowwiseScales(rows, cols);
    IllegalArgumentException fp32 = assertThrows(IllegalArgumentException.class,
        () -> TensorCoreAssertions.expectedCodes("h100", rowwise));
    assertTrue(fp32.getMessage().contains("only bf16 and fp16"), fp32.getMessage());
    int[] bf = new int[4 * 16];
    Arrays.fill(bf, 0x4280);
    TensorCoreAssertions.assertMatchesTensorCore("h100", rowwise.output(FpFormat.BF16), bf);
  }

  @Test
  void failureNamesTheFirstMismatchesWithBitsAndUlps() {
    int[] d = new int[4 * 3];
    Arrays.fill(d, FP32_32);
    d[1 * 3 + 2] = FP32_32 + 1;
    d[3 * 3 + 0] = 0x42000004;
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> TensorCoreAssertions.assertMatchesTensorCore("h100", ones(4, 3), d));
    assertEquals("kernel output differs from h100 tensor cores in 2 of 12 elements of D (4x3 fp32);"
        + " first 2:\n"
        + "  (row 1, col 2): actual 0x42000001 (32.000003814697266), expected 0x42000000 (32.0), "
        + "1 ulp\n"
        + "  (row 3, col 0): actual 0x42000004 (32.00001525878906), expected 0x42000000 (32.0), "
        + "4 ulps", e.getMessage());
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

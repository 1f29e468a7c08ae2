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

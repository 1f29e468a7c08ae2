package org.tcsim.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.GemmResult;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Simulation;
import org.tcsim.traces.io.Npy;
import org.tcsim.traces.io.NpyArray;
import org.tcsim.traces.io.NpyDtype;
import org.tcsim.replay.CodeDistance;
import org.tcsim.replay.Mismatch;

/**
 * JUnit 5 assertions for kernel authors: a kernel's output must equal, bit for bit, what the
 * tensor cores of a given GPU produce for the same operands and settings, run the way the chosen
 * library runs them ({@link TensorCoreGemm#library}: its promotion interval and fast-accumulation
 * meaning on the GPU, its epilogue order, and its rules, which refuse what it cannot run; see
 * {@link org.tcsim.gpu.Simulation}).
 *
 * <pre>{@code
 * TensorCoreGemm gemm = TensorCoreGemm.e4m3(m, n, k, aCodes, bCodes).scales(sa, sb)
 *     .output(FpFormat.BF16);
 * TensorCoreAssertions.assertMatchesTensorCore("h100", gemm, myKernelOutputCodes);
 * }</pre>
 */
public final class TensorCoreAssertions {

  /** Mismatches listed in a failure message. */
  public static final int SHOWN = 10;

  private TensorCoreAssertions() {}

  /** The codes (M x N, row-major, in the GEMM's output format) the GPU's tensor cores produce. */
  public static int[] expectedCodes(String gpu, TensorCoreGemm gemm) {
    Simulation sim = Simulation.of(GpuCatalog.byName(gpu), gemm.workload());
    GemmConfig config = sim.config(new Simulation.Epilogue(gemm.alpha(), 0f, 1f), 1);
    GemmResult r = sim.run(config, gemm.a(), gemm.b(), null);
    return r.d().codes();
  }

  /**
   * Asserts that {@code actual} (M x N codes of the GEMM's output format, row-major; an FP32 output
   * as {@code Float.floatToRawIntBits}, BF16/FP16 as 16-bit patterns) equals the tensor cores'
   * output bit for bit. The failure message names the first mismatching elements with both bit
   * patterns, their values and their distance in ULPs.
   */
  public static void assertMatchesTensorCore(String gpu, TensorCoreGemm gemm, int[] actual) {
    int m = gemm.m();
    int n = gemm.n();
    if (actual.length != (long) m * n) {
      Assertions.fail("kernel output has " + actual.length + " elements, D is " + m + "x" + n
          + " = " + (long) m * n);
    }
    int[] expected = expectedCodes(gpu, gemm);
    FpFormat f = gemm.out();
    long count = 0;
    List<Mismatch> first = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int x = i * n + j;
        int a = actual[x] & (int) (f.codeCount() - 1);
        if (a != expected[x]) {
          count++;
          if (first.size() < SHOWN) {
            first.add(new Mismatch(i, j, f, a, expected[x], CodeDistance.of(f, a, expected[x])));
          }
        }
      }
    }
    if (count == 0) {
      return;
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "kernel output differs from %s tensor cores in %d of %d elements of D (%dx%d %s); first %d:",
        gpu, count, (long) m * n, m, n, f, first.size()));
    for (Mismatch x : first) {
      sb.append("\n  ").append(x.describe("actual", "expected"));
    }
    Assertions.fail(sb.toString());
  }

  /**
   * The same for a kernel output saved as {@code .npy}: an M x N array of {@code <f4} (FP32
   * output), {@code <u2} or {@code <f2} (BF16 / FP16 bits) or {@code |u1} (FP8 codes).
   */
  public static void assertMatchesTensorCore(String gpu, TensorCoreGemm gemm, Path actualNpy) {
    int m = gemm.m();
    int n = gemm.n();
    int[] codes = new int[Math.multiplyExact(m, n)];
    try (NpyArray a = Npy.open(actualNpy)) {
      a.requireShape(m, n, "kernel output");
      NpyDtype want = switch (gemm.out()) {
        case FP32 -> NpyDtype.F4;
        case BF16 -> NpyDtype.U2;
        case FP16 -> a.header().dtype() == NpyDtype.F2 ? NpyDtype.F2 : NpyDtype.U2;
        default -> NpyDtype.U1;
      };
      if (a.header().dtype() != want) {
        Assertions.fail(actualNpy + " holds " + a.header().dtype().descr() + " but a " + gemm.out()
            + " output is read from " + want.descr());
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          codes[i * n + j] = a.bits(a.index(i, j));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertMatchesTensorCore(gpu, gemm, codes);
  }
}

package org.tcsim.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.AccuracySummary;
import org.tcsim.core.gemm.GemmAccuracy;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.GemmResult;
import org.tcsim.gpu.GemmRecipe;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Simulation;
import org.tcsim.replay.CodeDistance;
import org.tcsim.replay.GemmCheck;
import org.tcsim.replay.GoldenComparison;
import org.tcsim.replay.Mismatch;
import org.tcsim.replay.NpyOutput;

/**
 * JUnit 5 assertions for kernel authors: a kernel's output must equal, bit for bit (or within a
 * given number of ULPs), what the tensor cores of a given GPU produce for the same operands and
 * settings, run the way the chosen library runs them ({@link TensorCoreGemm#library}: the GPU's
 * datapath, the library's MMA K, promotion and fast-accumulation meaning, its epilogue order, and
 * its rules, which refuse what it cannot run; the same comparison as {@code tcsim check}).
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
    Simulation sim = simulation(gpu, gemm);
    GemmConfig config = sim.config(new Simulation.Epilogue(gemm.alpha(), 0f, 1f), 1);
    GemmResult r = sim.run(config, gemm.a(), gemm.b(), null);
    return r.d().codes();
  }

  /**
   * How far the tensor cores' D is from the exact product of the dequantised operands (all
   * elements up to {@code maxElements}, else a seeded sample); its {@code toString} is a few
   * readable lines.
   */
  public static AccuracySummary accuracy(String gpu, TensorCoreGemm gemm, int maxElements) {
    Simulation sim = simulation(gpu, gemm);
    GemmConfig config = sim.config(new Simulation.Epilogue(gemm.alpha(), 0f, 1f), 1);
    GemmResult r = sim.run(config, gemm.a(), gemm.b(), null);
    return GemmAccuracy.compare(r, gemm.a(), gemm.b(), null, maxElements, 1L);
  }

  private static Simulation simulation(String gpu, TensorCoreGemm gemm) {
    Simulation sim = Simulation.of(GpuCatalog.byName(gpu), gemm.workload());
    sim.preset(); // says why when the GPU cannot compute these bits
    return sim;
  }

  /**
   * Asserts that {@code actual} (M x N codes of the GEMM's output format, row-major; an FP32 output
   * as {@code Float.floatToRawIntBits}, BF16/FP16 as 16-bit patterns) equals the tensor cores'
   * output bit for bit. The failure message names the first mismatching elements with both bit
   * patterns, their values and their distance in ULPs, the ULP histogram of all mismatches and a
   * diagnosis (settings that would reproduce the kernel's bits, as {@code tcsim check} gives).
   */
  public static void assertMatchesTensorCore(String gpu, TensorCoreGemm gemm, int[] actual) {
    assertMatchesTensorCore(gpu, gemm, actual, 0);
  }

  /**
   * As {@link #assertMatchesTensorCore(String, TensorCoreGemm, int[])}, passing when every
   * element is within {@code maxUlps} ULPs of the tensor cores' (a NaN where the tensor cores have
   * another value, or the other way round, always fails).
   */
  public static void assertMatchesTensorCore(String gpu, TensorCoreGemm gemm, int[] actual,
      long maxUlps) {
    if (maxUlps < 0) {
      throw new IllegalArgumentException("maxUlps must be >= 0, got " + maxUlps);
    }
    int m = gemm.m();
    int n = gemm.n();
    if (actual.length != (long) m * n) {
      Assertions.fail("kernel output has " + actual.length + " elements, D is " + m + "x" + n
          + " = " + (long) m * n);
    }
    FpFormat f = gemm.out();
    int mask = (int) (f.codeCount() - 1);
    int[] codes = new int[actual.length];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = actual[i] & mask;
    }
    GemmCheck.Result r = GemmCheck.run(simulation(gpu, gemm), gemm.a(), gemm.b(), gemm.alpha(),
        codes, "kernel output", 1, true);
    if (r.passed() || (maxUlps > 0 && r.within(maxUlps))) {
      return;
    }
    Assertions.fail(message(gpu, gemm, r, maxUlps));
  }

  static String message(String gpu, TensorCoreGemm gemm, GemmCheck.Result r, long maxUlps) {
    GoldenComparison c = r.comparison();
    List<Mismatch> first = c.firstMismatches();
    String beyond = maxUlps == 0 ? "" : r.maxUlps() == CodeDistance.NOT_COMPARABLE
        ? " (a NaN against a number; tolerance " + maxUlps + " ulps)"
        : " by up to " + r.maxUlps() + " ulps (tolerance " + maxUlps + ")";
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "kernel output differs from %s tensor cores in %d of %d elements of D (%dx%d %s)%s; "
            + "first %d:", gpu, c.mismatches(), c.compared(), gemm.m(), gemm.n(), gemm.out(),
        beyond, first.size()));
    for (Mismatch x : first) {
      sb.append("\n  ").append(x.describe("actual", "expected"));
    }
    String bins = UlpBins.nonEmpty(UlpBins.DISTANCE_LABELS, c.ulpHistogram());
    sb.append("\nmismatches by ULP distance: ").append(bins);
    sb.append('\n').append(r.diagnosis().line("the kernel output"));
    return sb.toString();
  }

  /**
   * The same for a kernel output saved as {@code .npy}: an M x N array of float32 (FP32 output),
   * uint16 bits or float16 (FP16), uint16 bits or ml_dtypes bfloat16 (BF16), uint8 codes or an
   * ml_dtypes array (FP8).
   */
  public static void assertMatchesTensorCore(String gpu, TensorCoreGemm gemm, Path actualNpy) {
    assertMatchesTensorCore(gpu, gemm, actualNpy, 0);
  }

  /** As {@link #assertMatchesTensorCore(String, TensorCoreGemm, Path)}, within {@code maxUlps}. */
  public static void assertMatchesTensorCore(String gpu, TensorCoreGemm gemm, Path actualNpy,
      long maxUlps) {
    int[] codes;
    try {
      codes = NpyOutput.read(actualNpy, gemm.out(), gemm.m(), gemm.n(), "kernel output");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException | org.tcsim.core.InputFormatException e) {
      Assertions.fail(e.getMessage());
      return;
    }
    assertMatchesTensorCore(gpu, gemm, codes, maxUlps);
  }

  /**
   * A GEMM wholly in {@code .npy} files, as {@code tcsim check} takes it: A (M x K) and B (K x N)
   * as E4M3 codes or ml_dtypes {@code float8_e4m3fn} arrays, their scales for {@code scaling}
   * (null for per-tensor scaling by 1), and the kernel's D; see
   * {@link TensorCoreGemm#fromNpy(Path, Path, GemmRecipe, Path, Path, FpFormat)}.
   */
  public static void assertMatchesTensorCore(String gpu, Path aNpy, Path bNpy,
      GemmRecipe scaling, Path scaleANpy, Path scaleBNpy, FpFormat out, Path expectedNpy) {
    assertMatchesTensorCore(gpu, TensorCoreGemm.fromNpy(aNpy, bNpy, scaling, scaleANpy,
        scaleBNpy, out), expectedNpy);
  }
}

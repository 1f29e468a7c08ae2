package org.tcsim.replay;

import java.util.List;
import java.util.Objects;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.GemmResult;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.gpu.Simulation;

/**
 * Checks a kernel's output D, bit for bit, against what the simulated tensor cores compute for the
 * same operands: the comparison behind {@code tcsim check} and the JUnit assertions. D is computed
 * in row bands (as {@link Replayer} does), so only one band of the simulated output exists at a
 * time; the kernel's D is held as codes.
 */
public final class GemmCheck {

  /** Mismatching elements recomputed by the diagnosis, at most. */
  public static final int DIAGNOSED = GoldenComparison.KEEP;

  /**
   * The outcome of one check.
   *
   * @param name the kernel output's name (its file name), as the mismatches call it
   * @param preset the datapath preset that computed the reference
   * @param config the kernel settings, in words
   * @param comparison counts, ULP histogram and first mismatches (actual: the kernel's code,
   *     expected: tcsim's)
   * @param maxUlps the largest ULP distance of a mismatch (0 when none;
   *     {@link CodeDistance#NOT_COMPARABLE} when a NaN is involved)
   * @param diagnosis what explains the first mismatches (empty when not asked for or none)
   */
  public record Result(String name, String preset, String config, GoldenComparison comparison,
      long maxUlps, CheckDiagnosis diagnosis) {

    /** Every element bit-exact. */
    public boolean passed() {
      return comparison.passed();
    }

    /** Every mismatch at most {@code ulps} ULPs away, none involving a NaN. */
    public boolean within(long ulps) {
      return comparison.compared() > 0 && maxUlps != CodeDistance.NOT_COMPARABLE
          && maxUlps <= ulps;
    }
  }

  private GemmCheck() {}

  /**
   * Runs {@code sim}'s GEMM D = alpha * (A B) on {@code threads} threads and compares it with
   * {@code actual}, the kernel's M x N codes of the output format, row-major.
   *
   * @param diagnose whether to explain the first mismatches ({@link CheckDiagnosis})
   */
  public static Result run(Simulation sim, QuantizedTensor a, QuantizedTensor b, float alpha,
      int[] actual, String name, int threads, boolean diagnose) {
    Objects.requireNonNull(actual, "actual");
    int m = a.rows();
    int n = b.rows();
    if (actual.length != (long) m * n) {
      throw new IllegalArgumentException(name + " has " + actual.length + " elements, D is " + m
          + "x" + n);
    }
    GemmConfig config = sim.config(new Simulation.Epilogue(alpha, 0f, 1f), threads);
    MismatchGrid grid = new MismatchGrid(name, config.outputFormat(), m, n);
    long maxUlps = 0;
    int r0 = 0;
    for (QuantizedTensor band : RowBands.split(a, RowBands.bandRows(m, n))) {
      GemmResult r = sim.run(config, band, b, null);
      for (int i = 0; i < band.rows(); i++) {
        for (int j = 0; j < n; j++) {
          int mine = r.d().code(i, j);
          int theirs = actual[(r0 + i) * n + j];
          grid.add(r0 + i, j, theirs, mine);
          if (theirs != mine) {
            long u = CodeDistance.of(config.outputFormat(), theirs, mine);
            maxUlps = Math.max(maxUlps, u);
          }
        }
      }
      r0 += band.rows();
    }
    GoldenComparison cmp = grid.result();
    List<Mismatch> first = cmp.firstMismatches();
    CheckDiagnosis diagnosis = diagnose && !first.isEmpty()
        ? CheckDiagnosis.of(sim, config, a, b, first.subList(0, Math.min(DIAGNOSED, first.size())))
        : new CheckDiagnosis(0, List.of());
    return new Result(name, sim.preset().id(), config.describe(), cmp, maxUlps, diagnosis);
  }
}

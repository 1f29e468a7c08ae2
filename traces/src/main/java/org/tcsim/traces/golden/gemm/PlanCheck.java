package org.tcsim.traces.golden.gemm;

import java.util.ArrayList;
import java.util.List;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;

/**
 * The dry run of a capture: what cuBLASLt would refuse, operands that do not match their recorded
 * generator, and the size and time the capture will take.
 *
 * <p>cuBLASLt rules (cuBLAS documentation, {@code cublasLtMatmul} FP8 table and its alignment
 * notes; D): A and B E4M3 or E5M2 but not both E5M2; "TN" layout; dimensions and leading
 * dimensions multiples of 16; D in FP32, BF16, FP16 or E4M3 (E5M2 only with an E5M2 input); C
 * of the output type, BF16 or FP16 beside an FP8 output.
 */
public final class PlanCheck {
  private PlanCheck() {}

  /** What the dry run found. */
  public record Report(List<String> problems, int cases, int captured, long elements,
      double estimatedSeconds) {}

  /**
   * Time model for the estimate (rough, stated so that it can be argued with): 90 s to build both
   * programs with nvcc and start CUDA and cuBLASLt, 0.2 s per case (heuristic query, launch,
   * copy back), and 1 s per 10^6 operand elements parsed from hex text.
   */
  static final double BUILD_AND_INIT_S = 90;
  static final double PER_CASE_S = 0.2;
  static final double PER_MILLION_ELEMENTS_S = 1;

  public static Report check(List<GoldenGemmCase> cases) {
    List<String> problems = new ArrayList<>();
    long elements = 0;
    int captured = 0;
    for (GoldenGemmCase c : cases) {
      String p = c.id() + ": ";
      if (c.m() % 16 != 0 || c.n() % 16 != 0 || c.k() % 16 != 0) {
        problems.add(p + "m, n, k must be multiples of 16 for cuBLASLt FP8, got " + c.m() + "x"
            + c.n() + "x" + c.k());
      }
      if (c.aFormat() == FpFormat.E5M2 && c.bFormat() == FpFormat.E5M2) {
        problems.add(p + "cuBLASLt has no E5M2 x E5M2 GEMM");
      }
      boolean anyE5 = c.aFormat() == FpFormat.E5M2 || c.bFormat() == FpFormat.E5M2;
      switch (c.dFormat()) {
        case FP32, BF16, FP16, E4M3 -> { }
        case E5M2 -> {
          if (!anyE5) {
            problems.add(p + "E5M2 output needs an E5M2 input");
          }
        }
        default -> problems.add(p + "output format " + c.dFormat() + " is not an FP8 GEMM output");
      }
      boolean fp8Out = c.dFormat() == FpFormat.E4M3 || c.dFormat() == FpFormat.E5M2;
      boolean cOk = fp8Out ? c.cFormat() == FpFormat.BF16 || c.cFormat() == FpFormat.FP16
          : c.cFormat() == c.dFormat();
      if (!cOk) {
        problems.add(p + "C format " + c.cFormat() + " does not go with output " + c.dFormat());
      }
      if (!fp8Out && c.scaleD() != 1f) {
        problems.add(p + "scale_d is only applied to an FP8 output");
      }
      elements += (long) c.k() * (c.m() + c.n()) + (long) c.m() * c.n();
      checkGenerator(problems, p + "A", c.generators().a(), c.aFormat(), c.m(), c.k(), c.a());
      checkGenerator(problems, p + "B", c.generators().b(), c.bFormat(), c.n(), c.k(), c.b());
      if (c.c() != null) {
        checkGenerator(problems, p + "C", c.generators().c(), c.cFormat(), c.m(), c.n(), c.c());
      }
      if (c.scaleMode() == ScaleMode.OUTER_VEC_32F) {
        checkGenerator(problems, p + "scale_a", c.generators().scaleA(), FpFormat.FP32, c.m(), 1,
            floatCodes(c.scaleA()));
        checkGenerator(problems, p + "scale_b", c.generators().scaleB(), FpFormat.FP32, c.n(), 1,
            floatCodes(c.scaleB()));
      }
      if (c.captured()) {
        captured++;
      }
    }
    double seconds = BUILD_AND_INIT_S + PER_CASE_S * cases.size()
        + PER_MILLION_ELEMENTS_S * elements / 1e6;
    return new Report(problems, cases.size(), captured, elements, seconds);
  }

  private static void checkGenerator(List<String> problems, String what, String spec,
      FpFormat f, int rows, int cols, byte[] codes) {
    int[] wide = new int[codes.length];
    for (int i = 0; i < codes.length; i++) {
      wide[i] = codes[i] & 0xFF;
    }
    checkGenerator(problems, what, spec, f, rows, cols, wide);
  }

  private static void checkGenerator(List<String> problems, String what, String spec,
      FpFormat f, int rows, int cols, int[] codes) {
    if (spec.equals(GoldenGemmFolder.NA)) {
      return;
    }
    OperandSpec s;
    try {
      s = OperandSpec.parse(spec);
    } catch (IllegalArgumentException e) {
      problems.add(what + ": " + e.getMessage());
      return;
    }
    int[] regenerated;
    try {
      regenerated = s.generate(f, rows, cols);
    } catch (IllegalArgumentException | ArithmeticException e) {
      // A recipe that parses but cannot run (a missing or non-numeric parameter, an empty
      // exponent range) is a problem of the plan, reported with the others.
      problems.add(what + ": generator '" + spec + "': " + e.getMessage());
      return;
    }
    for (int i = 0; i < codes.length; i++) {
      if (regenerated[i] != codes[i]) {
        problems.add(what + ": element " + i + " is " + f.hex(codes[i]) + " but its generator '"
            + spec + "' gives " + f.hex(regenerated[i]));
        return;
      }
    }
  }

  private static int[] floatCodes(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]);
    }
    return out;
  }
}

package org.tcsim.gpu;

import java.util.Objects;
import org.tcsim.core.format.FpFormat;

/**
 * One GEMM as both models see it: the numerics (what bits come out) and the timing (when) are
 * computed from this one description by {@link Simulation}, so they cannot disagree about it.
 *
 * @param m rows of A and D
 * @param n columns of B and D
 * @param k the reduction length
 * @param groups independent GEMMs of this shape (grouped GEMM); 1 for a plain GEMM
 * @param a the element format of A as stored (FP4 recipes fix it to E2M1)
 * @param b the element format of B as stored
 * @param recipe how A and B are scaled
 * @param fastAccum whether the library's fast-accumulation flag is set
 * @param library the library whose kernel is reproduced
 * @param out the format of D
 */
public record GemmWorkload(long m, long n, long k, int groups, FpFormat a, FpFormat b,
    GemmRecipe recipe, boolean fastAccum, Library library, FpFormat out) {

  public GemmWorkload {
    if (m < 1 || n < 1 || k < 1 || groups < 1) {
      throw new IllegalArgumentException("m, n, k and groups must be positive, got " + m + ", " + n
          + ", " + k + ", " + groups);
    }
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(recipe, "recipe");
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(out, "out");
  }

  /** An E4M3 x E4M3 per-tensor GEMM into FP32 through cuBLASLt. */
  public static GemmWorkload fp8(long m, long n, long k) {
    return new GemmWorkload(m, n, k, 1, FpFormat.E4M3, FpFormat.E4M3, GemmRecipe.TENSOR, false,
        Library.CUBLASLT, FpFormat.FP32);
  }

  /** Multiply-adds of the whole workload. */
  public long macs() {
    return m * n * k * groups;
  }

  public GemmWorkload withRecipe(GemmRecipe r) {
    return new GemmWorkload(m, n, k, groups, a, b, r, fastAccum, library, out);
  }

  public GemmWorkload withLibrary(Library l) {
    return new GemmWorkload(m, n, k, groups, a, b, recipe, fastAccum, l, out);
  }

  public GemmWorkload withFastAccum(boolean f) {
    return new GemmWorkload(m, n, k, groups, a, b, recipe, f, library, out);
  }

  public GemmWorkload withOut(FpFormat o) {
    return new GemmWorkload(m, n, k, groups, a, b, recipe, fastAccum, library, o);
  }

  public GemmWorkload withFormats(FpFormat fa, FpFormat fb) {
    return new GemmWorkload(m, n, k, groups, fa, fb, recipe, fastAccum, library, out);
  }

  /** {@code 1024x1024x4096 e4m3 x e4m3 -> fp32, tensor, cublaslt}. */
  public String describe() {
    return m + "x" + n + "x" + k + (groups > 1 ? " x" + groups + " groups" : "") + " "
        + a.shortName() + " x " + b.shortName() + " -> " + out.shortName() + ", "
        + recipe + (fastAccum ? " fast-accum" : "") + ", " + library;
  }
}

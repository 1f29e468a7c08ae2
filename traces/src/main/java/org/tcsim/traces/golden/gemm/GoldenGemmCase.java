package org.tcsim.traces.golden.gemm;

import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;

/**
 * One FP8 GEMM as cuBLASLt ran it (or is to run it), in the terms a replay needs:
 * {@code D = alpha * scaleA * scaleB * (A B) + beta * C}, then for an FP8 output
 * {@code saturate(D * scaleD)} (cuBLASLt semantics; docs/hardware-facts.md, cuBLASLt).
 *
 * <p>Layouts. cuBLASLt's FP8 GEMMs on Hopper take A transposed and B not ("TN", column-major):
 * A is stored as a K x M column-major matrix (lda = K) and B as K x N (ldb = K), so both are
 * contiguous along K. Here that is: {@code a[i*k + kk] = A[i][kk]} (M rows of K codes) and
 * {@code b[j*k + kk] = B[kk][j]} (N columns of K codes). C and D are M x N, held row-major here
 * ({@code d[i*n + j]}) although cuBLASLt stores them column-major (ldc = ldd = M).
 *
 * <p>Arrays are held as given (records compare them by reference): treat them as read-only.
 *
 * @param a M*K FP8 codes, one byte each
 * @param b N*K FP8 codes, one byte each
 * @param c M*N codes of {@code cFormat}, or null when beta is 0 and no C is read
 * @param scaleA one value (SCALAR_32F) or M values (OUTER_VEC_32F)
 * @param scaleB one value (SCALAR_32F) or N values (OUTER_VEC_32F)
 * @param scaleD the output scale (used for an FP8 output only; 1 otherwise)
 * @param expectedD M*N codes of {@code dFormat} measured on the GPU, or null for a plan
 * @param status {@code planned}, {@code ok}, or why the GPU did not produce a result
 * @param generators how A, B, C and the scale vectors were generated (OperandSpec text or "-")
 */
public record GoldenGemmCase(String id, String purpose, int m, int n, int k,
    FpFormat aFormat, FpFormat bFormat, FpFormat cFormat, FpFormat dFormat,
    ScaleMode scaleMode, float[] scaleA, float[] scaleB, float scaleD, float alpha, float beta,
    boolean fastAccum, byte[] a, byte[] b, int[] c, int[] expectedD, String status,
    Generators generators, GemmProvenance provenance) {

  /** The generator specs of the inputs, "-" where an input is absent. */
  public record Generators(String a, String b, String c, String scaleA, String scaleB) {}

  public GoldenGemmCase {
    if (!id.matches("[a-z0-9_]{1,64}")) {
      throw new IllegalArgumentException("case id '" + id + "' must be 1-64 of [a-z0-9_]");
    }
    if (m < 1 || n < 1 || k < 1) {
      throw new IllegalArgumentException(id + ": m, n, k must be positive");
    }
    if (!aFormat.isFp8() || !bFormat.isFp8()) {
      throw new IllegalArgumentException(id + ": A and B must be e4m3 or e5m2");
    }
    if (scaleMode != ScaleMode.SCALAR_32F && scaleMode != ScaleMode.OUTER_VEC_32F) {
      throw new IllegalArgumentException(id + ": scale mode " + scaleMode
          + " is not captured (SCALAR_32F and OUTER_VEC_32F only)");
    }
    int sa = scaleMode == ScaleMode.SCALAR_32F ? 1 : m;
    int sb = scaleMode == ScaleMode.SCALAR_32F ? 1 : n;
    check(a.length == (long) m * k, id, "A has " + a.length + " codes, expected M*K");
    check(b.length == (long) n * k, id, "B has " + b.length + " codes, expected N*K");
    check(c == null || c.length == (long) m * n, id, "C must have M*N codes");
    check(c != null || beta == 0f, id, "beta is not 0 but there is no C");
    check(expectedD == null || expectedD.length == (long) m * n, id, "D must have M*N codes");
    check(scaleA.length == sa, id, "scaleA has " + scaleA.length + " values, expected " + sa);
    check(scaleB.length == sb, id, "scaleB has " + scaleB.length + " values, expected " + sb);
  }

  private static void check(boolean ok, String id, String message) {
    if (!ok) {
      throw new IllegalArgumentException(id + ": " + message);
    }
  }

  /** A[i][kk] as a code of {@link #aFormat}. */
  public int a(int i, int kk) {
    return a[i * k + kk] & 0xFF;
  }

  /** B[kk][j] as a code of {@link #bFormat}. */
  public int b(int kk, int j) {
    return b[j * k + kk] & 0xFF;
  }

  /** The measured D[i][j] as a code of {@link #dFormat}; fails for a case not captured. */
  public int expected(int i, int j) {
    if (expectedD == null) {
      throw new IllegalStateException(id + " has no captured result (status " + status + ")");
    }
    return expectedD[i * n + j];
  }

  /** True when the GPU produced this case's D. */
  public boolean captured() {
    return expectedD != null && status.equals("ok");
  }
}

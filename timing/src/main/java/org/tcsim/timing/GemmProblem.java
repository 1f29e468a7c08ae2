package org.tcsim.timing;

/**
 * One GEMM to time: {@code groups} independent products D[m x n] = A[m x k] * B[k x n] (a grouped
 * GEMM when groups > 1), FP8 inputs, an output of {@code outBytes} per element.
 */
public record GemmProblem(long m, long n, long k, int groups, int outBytes, ScalingRecipe recipe) {

  public GemmProblem {
    if (m <= 0 || n <= 0 || k <= 0) {
      throw new IllegalArgumentException("m, n, k must be positive: " + m + "x" + n + "x" + k);
    }
    if (groups <= 0) {
      throw new IllegalArgumentException("groups must be positive: " + groups);
    }
    if (outBytes <= 0) {
      throw new IllegalArgumentException("output bytes must be positive: " + outBytes);
    }
  }

  /** A DeepGEMM-style problem: blockwise FP8 scaling, BF16 output. */
  public static GemmProblem fp8(long m, long n, long k, int groups) {
    return new GemmProblem(m, n, k, groups, 2, ScalingRecipe.BLOCKWISE);
  }

  /** Useful FLOPs: 2 m n k per group. */
  public double flops() {
    return 2.0 * m * n * k * groups;
  }

  /** The least bytes any kernel must move: A and B once (one byte per FP8 element) and D once. */
  public double minimumBytes() {
    return (double) groups * (m * k + n * k + (double) m * n * outBytes);
  }
}

package org.tcsim.timing;

/**
 * One GEMM to time: {@code groups} independent products D[m x n] = A[m x k] * B[k x n] (a grouped
 * GEMM when groups > 1), FP8 or FP4 inputs as the recipe says, an output of {@code outBytes} per
 * element.
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

  /** The least bytes any kernel must move: A and B once (with their scales) and D once. */
  public double minimumBytes() {
    double scalesPerK = recipe.scaleBytesPerRow(128) / 128;
    double scalesPerKB = recipe.scaleBytesPerRowB(128) / 128;
    return (double) groups * ((double) m * k * (recipe.elementBytes() + scalesPerK)
        + (double) n * k * (recipe.elementBytes() + scalesPerKB) + (double) m * n * outBytes);
  }
}

package org.tcsim.timing;

import java.util.List;

/**
 * One GEMM to time: {@code groups} independent products D[m x n] = A[m x k] * B[k x n] (a grouped
 * GEMM when groups > 1), FP8 or FP4 inputs as the recipe says, an output of {@code outBytes} per
 * element.
 *
 * <p>Two grouped layouts (DeepGEMM's m-grouped GEMMs): contiguous, every group with {@code m} rows
 * ({@code maskedRows} empty; a caller pads each group to the tile's M, as DeepGEMM's contiguous
 * layout requires); and masked, A shaped groups x m x k of which group g holds only
 * {@code maskedRows.get(g)} valid rows (at most m): the kernel is chosen for {@code m} (DeepGEMM's
 * expected_m) and skips the tiles beyond each group's rows.
 */
public record GemmProblem(long m, long n, long k, int groups, int outBytes, ScalingRecipe recipe,
    List<Long> maskedRows) {

  /** A dense or contiguous grouped problem: every group has {@code m} rows. */
  public GemmProblem(long m, long n, long k, int groups, int outBytes, ScalingRecipe recipe) {
    this(m, n, k, groups, outBytes, recipe, List.of());
  }

  /** A masked grouped problem: group g has {@code rows.get(g)} valid rows of at most {@code m}. */
  public static GemmProblem masked(long m, long n, long k, List<Long> rows, int outBytes, ScalingRecipe recipe) {
    return new GemmProblem(m, n, k, rows.size(), outBytes, recipe, rows);
  }

  public GemmProblem {
    maskedRows = List.copyOf(maskedRows);
    if (!maskedRows.isEmpty()) {
      if (maskedRows.size() != groups) {
        throw new IllegalArgumentException("masked layout: " + maskedRows.size() + " group row counts for "
            + groups + " groups");
      }
      for (int g = 0; g < groups; g++) {
        long r = maskedRows.get(g);
        if (r < 0 || r > m) {
          throw new IllegalArgumentException("masked layout: group " + g + " has " + r + " rows, outside 0.." + m);
        }
      }
      if (maskedRows.stream().allMatch(r -> r == 0)) {
        throw new IllegalArgumentException("masked layout: every group is empty");
      }
    }
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

  /** True for the masked layout. */
  public boolean isMasked() {
    return !maskedRows.isEmpty();
  }

  /** Valid rows of group {@code g}: {@code m}, or its mask entry. */
  public long rows(int g) {
    return maskedRows.isEmpty() ? m : maskedRows.get(g);
  }

  /** Valid rows over all groups. */
  public double totalRows() {
    if (maskedRows.isEmpty()) {
      return (double) m * groups;
    }
    double sum = 0;
    for (long r : maskedRows) {
      sum += r;
    }
    return sum;
  }

  /** Useful FLOPs: 2 m n k per group (the valid rows of each group when masked). */
  public double flops() {
    return 2.0 * totalRows() * n * k;
  }

  /** The least bytes any kernel must move: A and B once (with their scales) and D once. */
  public double minimumBytes() {
    double scalesPerK = recipe.scaleBytesPerRow(128) / 128;
    double scalesPerKB = recipe.scaleBytesPerRowB(128) / 128;
    double rows = totalRows();
    double weights = 0;
    for (int g = 0; g < groups; g++) {
      weights += rows(g) > 0 ? 1 : 0; // a masked group with no rows never reads its B
    }
    return rows * k * (recipe.elementBytes() + scalesPerK) + weights * n * k * (recipe.elementBytes() + scalesPerKB)
        + rows * n * outBytes;
  }
}

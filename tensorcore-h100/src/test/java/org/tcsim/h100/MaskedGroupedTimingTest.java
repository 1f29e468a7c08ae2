package org.tcsim.h100;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.KernelConfig;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.ScalingRecipe;
import org.tcsim.timing.TileHeuristic;

/**
 * DeepGEMM's masked m-grouped layout (A shaped groups x expected_m x k, group g valid for
 * masked_m[g] rows) beside the contiguous one.
 */
class MaskedGroupedTimingTest {

  private static final MachineSpec H800 = HopperMachines.H800;
  private static final int GROUPS = 8;
  private static final long N = 4096;
  private static final long K = 7168;

  private static GemmProblem masked(long expectedM, List<Long> rows) {
    return GemmProblem.masked(expectedM, N, K, rows, 2, ScalingRecipe.BLOCKWISE);
  }

  @Test
  void fullMasksTimeAsTheContiguousLayout() {
    GemmProblem contiguous = GemmProblem.fp8(256, N, K, GROUPS);
    GemmProblem full = masked(256, Collections.nCopies(GROUPS, 256L));
    KernelConfig c = TileHeuristic.choose(H800, contiguous);
    double a = GemmTimingModel.predict(H800, contiguous, c).microseconds();
    double b = GemmTimingModel.predict(H800, full, c).microseconds();
    assertEquals(a, b, 1e-9 * a);
    assertEquals(contiguous.flops(), full.flops());
  }

  @Test
  void timeRisesWithTheValidRowsAndWithExpectedM() {
    double previous = 0;
    for (long rows = 32; rows <= 256; rows += 32) {
      double us = GemmTimingModel.predict(H800, masked(256, Collections.nCopies(GROUPS, rows))).microseconds();
      assertTrue(us >= previous * (1 - 1e-9), rows + " valid rows: " + us + " us after " + previous);
      previous = us;
    }
    previous = 0;
    for (long expected = 16; expected <= 512; expected *= 2) {
      double us = GemmTimingModel.predict(H800, masked(expected, Collections.nCopies(GROUPS, expected))).microseconds();
      assertTrue(us >= previous * (1 - 1e-9), "expected_m " + expected + ": " + us + " us after " + previous);
      previous = us;
    }
  }

  @Test
  void emptyGroupsCostNothing() {
    // Seven empty experts: the work is one 256 x 4096 x 7168 GEMM, and none of their weights is read.
    GemmProblem one = GemmProblem.fp8(256, N, K, 1);
    List<Long> rows = new java.util.ArrayList<>(Collections.nCopies(GROUPS, 0L));
    rows.set(3, 256L);
    GemmProblem sparse = masked(256, rows);
    assertEquals(one.minimumBytes(), sparse.minimumBytes(), 1e-9 * one.minimumBytes());
    KernelConfig c = TileHeuristic.choose(H800, one);
    double a = GemmTimingModel.predict(H800, one, c).microseconds();
    double b = GemmTimingModel.predict(H800, sparse, c).microseconds();
    assertEquals(a, b, 1e-9 * a);
  }

  @Test
  void masksOutsideTheLayoutAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> masked(128, List.of(64L, 129L)));
    assertThrows(IllegalArgumentException.class, () -> masked(128, List.of(0L, 0L)));
    assertThrows(IllegalArgumentException.class, () -> masked(128, List.of(-1L, 5L)));
  }
}

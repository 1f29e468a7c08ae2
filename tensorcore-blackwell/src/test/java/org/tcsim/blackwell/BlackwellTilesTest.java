package org.tcsim.blackwell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.KernelConfig;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.ScalingRecipe;
import org.tcsim.timing.TileHeuristic;
import org.tcsim.timing.TimingResult;

/**
 * The tiles the B200 timing model may launch: block-scaled kernels take block N 64, 128, 192 or
 * 256 (CUTLASS's Blackwell block-scaled GEMMs), plain FP8 ones any multiple of 16 up to 256
 * (PTX ISA tcgen05.mma shapes for M = 128).
 */
class BlackwellTilesTest {

  private static final MachineSpec B200 = BlackwellMachines.B200;

  private static Set<Integer> blockNs(ScalingRecipe recipe, long size) {
    GemmProblem p = new GemmProblem(size, size, size, 1, 2, recipe);
    Set<Integer> ns = new TreeSet<>();
    for (KernelConfig c : TileHeuristic.candidates(B200, p)) {
      ns.add(c.blockN());
    }
    return ns;
  }

  @Test
  void blockScaledRecipesOnlyLaunchTheirFourTileWidths() {
    for (ScalingRecipe r : List.of(ScalingRecipe.MXFP8, ScalingRecipe.NVFP4, ScalingRecipe.MXFP4)) {
      assertEquals(Set.of(64, 128, 192, 256), blockNs(r, 4096), r.label());
    }
  }

  @Test
  void perTensorFp8KeepsEveryMultipleOfSixteen() {
    Set<Integer> ns = blockNs(ScalingRecipe.PER_TENSOR, 4096);
    assertTrue(ns.contains(16) && ns.contains(112) && ns.contains(176) && ns.contains(256), ns.toString());
    assertEquals(16, ns.size(), ns.toString());
  }

  @Test
  void aPinnedBlockScaledTileOfAnotherWidthIsRefusedWithTheRule() {
    GemmProblem p = new GemmProblem(1024, 1024, 1024, 1, 2, ScalingRecipe.NVFP4);
    int bk = TileHeuristic.blockK(ScalingRecipe.NVFP4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TileHeuristic.complete(B200, p, 128, 112, bk, null, null));
    assertTrue(e.getMessage().contains("64, 128, 192 or 256") && e.getMessage().contains("nvfp4"), e.getMessage());
    KernelConfig ok = TileHeuristic.complete(B200, p, 128, 192, bk, null, null);
    assertEquals(192, ok.blockN());
    // The same width is fine without block scales.
    GemmProblem plain = new GemmProblem(1024, 1024, 1024, 1, 2, ScalingRecipe.PER_TENSOR);
    assertEquals(112, TileHeuristic.complete(B200, plain, 128, 112, TileHeuristic.BLOCK_K, null, null).blockN());
  }

  @Test
  void aPinnedTileOf256RowsIsRefusedAsTheCtaPairItIs() {
    // CUTLASS names its 2-SM tcgen05 tiles by the pair (vLLM's 256x128x64); the model's block M is
    // one CTA's rows, at most the 128 lanes of tensor memory.
    GemmProblem p = new GemmProblem(256, 8192, 2048, 1, 2, ScalingRecipe.PER_TENSOR);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TileHeuristic.complete(B200, p, 256, 128, TileHeuristic.BLOCK_K, null, null));
    assertTrue(e.getMessage().contains("cta_group::2") && e.getMessage().contains("pin 128x128"),
        e.getMessage());
    // cta_group::1 MMAs of 64 rows exist (PTX ISA, tcgen05.mma shapes) and stay pinnable.
    assertEquals(64, TileHeuristic.complete(B200, p, 64, 128, TileHeuristic.BLOCK_K, null, null).blockM());
    assertEquals(128, TileHeuristic.complete(B200, p, 128, 128, TileHeuristic.BLOCK_K, null, null).blockM());
  }

  @Test
  void theSearchedNvfp4KernelHasALegalTileAndStaysUnderTheFp4Peak() {
    for (long size : new long[] {1024, 1536, 2048, 8192}) {
      GemmProblem p = new GemmProblem(size, size, size, 1, 2, ScalingRecipe.NVFP4);
      TimingResult r = GemmTimingModel.predict(B200, p);
      assertTrue(TileHeuristic.blockScaledTileN(r.config().blockN()), size + ": " + r.config().tileText());
      double peak = B200.get(MachineParam.SMS) * r.clockGhz() * 1e9 * B200.get(MachineParam.FP4_FLOPS_PER_CLK) / 1e12;
      assertTrue(r.tflops() < peak, size + ": " + r.tflops() + " TFLOPS over the " + peak + " peak");
    }
    assertFalse(TileHeuristic.blockScaledTileN(112));
    assertFalse(TileHeuristic.blockScaledTileN(320));
  }

  @Test
  void pairedNTilesRunA2x2ClusterThatHalvesTheOperandTrafficThroughL2() {
    // 4096 / 128 = 32 N tiles pair up: a 2x2 cluster (the SM pair shares B, the two pairs share A).
    // 1088 / 64 = 17 N tiles do not: the SM pair alone.
    GemmProblem even = new GemmProblem(4096, 4096, 4096, 1, 2, ScalingRecipe.PER_TENSOR);
    KernelConfig c = TileHeuristic.complete(B200, even, 128, 128, TileHeuristic.BLOCK_K, null, null);
    assertEquals("2x2", c.clusterText());
    GemmProblem odd = new GemmProblem(4096, 1088, 4096, 1, 2, ScalingRecipe.PER_TENSOR);
    assertEquals("2x1", TileHeuristic.complete(B200, odd, 128, 64, TileHeuristic.BLOCK_K, null, null).clusterText());
    // The same launch as a 2x1 cluster loads all of A per CTA: operand bytes per K step go from
    // 128 + 64 rows (2x1) to 64 + 64 (2x2), a third fewer.
    KernelConfig pair = TileHeuristic.complete(B200, even, 128, 128, TileHeuristic.BLOCK_K, null, new int[] {2, 1});
    double quad = GemmTimingModel.predict(B200, even, c).l2Bytes();
    double two = GemmTimingModel.predict(B200, even, pair).l2Bytes();
    assertTrue(quad < 0.8 * two, quad + " bytes through L2 with 2x2, " + two + " with 2x1");
  }
}

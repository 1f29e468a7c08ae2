package org.tcsim.ada;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.ScalingRecipe;
import org.tcsim.timing.TileHeuristic;
import org.tcsim.timing.TimingResult;

/** The L40S machine description against its datasheet (NVIDIA L40S datasheet: 733 dense FP8 TFLOPS, 864 GB/s). */
class L40sTimingTest {

  private static final MachineSpec L40S = AdaGpus.L40S;

  /** Dense FP8 peak of the datasheet (1,466 TFLOPS with sparsity). */
  private static final double DATASHEET_FP8_TFLOPS = 733;

  private static final long[][] SHAPES = {
    {1, 8192, 8192}, {16, 4096, 4096}, {128, 8192, 2048}, {1024, 1024, 1024}, {4096, 4096, 4096},
    {8192, 8192, 8192}, {4096, 14336, 4096}
  };

  @Test
  void theDescriptionGivesTheDatasheetPeak() {
    assertEquals(DATASHEET_FP8_TFLOPS, L40S.peakTflops(), 1.0);
  }

  @Test
  void neverAboveTheDatasheetPeakNorTheMemoryBandwidth() {
    for (ScalingRecipe recipe : new ScalingRecipe[] {ScalingRecipe.PER_TENSOR, ScalingRecipe.PER_TENSOR_FAST_ACCUM,
        ScalingRecipe.ROWWISE}) {
      for (long[] s : SHAPES) {
        GemmProblem p = new GemmProblem(s[0], s[1], s[2], 1, 2, recipe);
        TimingResult r = GemmTimingModel.predict(L40S, p);
        double peakNow = L40S.get(MachineParam.SMS) * r.clockGhz() * 1e9 * L40S.get(MachineParam.MMA_FLOPS_PER_CLK) / 1e12;
        assertTrue(r.tflops() < DATASHEET_FP8_TFLOPS, p + ": " + r.tflops());
        assertTrue(r.tflops() < peakNow, p + ": " + r.tflops() + " over " + peakNow + " at " + r.clockGhz() + " GHz");
        assertTrue(r.hbmGBps() < 864, p + ": " + r.hbmGBps() + " GB/s");
        assertTrue(r.watts() <= 350 * 1.03, p + ": " + r.watts() + " W");
      }
    }
  }

  @Test
  void aDecodeShapeIsBoundByTheWeightStream() {
    // One token against an 8192 x 8192 FP8 weight: 64 MiB at 864 GB/s is at least 78 us.
    GemmProblem p = new GemmProblem(1, 8192, 8192, 1, 2, ScalingRecipe.PER_TENSOR);
    double floorUs = 8192.0 * 8192 / 864e9 * 1e6;
    double us = GemmTimingModel.predict(L40S, p).microseconds();
    assertTrue(us > floorUs && us < 1.5 * floorUs + L40S.get(MachineParam.LAUNCH_US), us + " us vs " + floorUs);
  }

  @Test
  void adaHasNoClustersNorBlockScaledOrFp4Mma() {
    GemmProblem p = new GemmProblem(4096, 4096, 4096, 1, 2, ScalingRecipe.PER_TENSOR);
    assertEquals(1, GemmTimingModel.predict(L40S, p).config().clusterSize());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TileHeuristic.complete(L40S, p, 128, 128, 128, null, new int[] {2, 1}));
    assertTrue(e.getMessage().contains("tma_multicast"), e.getMessage());
    for (ScalingRecipe r : new ScalingRecipe[] {ScalingRecipe.BLOCKWISE, ScalingRecipe.MXFP8, ScalingRecipe.NVFP4}) {
      GemmProblem q = new GemmProblem(256, 256, 256, 1, 2, r);
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> GemmTimingModel.predict(L40S, q));
      assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
    }
  }
}

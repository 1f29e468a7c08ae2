package org.tcsim.h100;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.KernelConfig;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.ScalingRecipe;
import org.tcsim.timing.TileHeuristic;
import org.tcsim.timing.TileSearch;
import org.tcsim.timing.TimingResult;

/**
 * Split-K on Hopper: a tuned library cuts K across CTAs only when the output tiles leave SMs idle,
 * and then it pays for the partial sums.
 */
class SplitKTimingTest {

  private static final MachineSpec H800 = HopperMachines.H800;
  private static final int SMS = H800.getInt(MachineParam.SMS);

  /** A deep-K GEMM with two 64x128 output tiles: 130 of 132 SMs would idle without a split. */
  private static final GemmProblem FEW_TILES = new GemmProblem(64, 256, 65536, 1, 2, ScalingRecipe.PER_TENSOR);

  private static KernelConfig tile64x128(GemmProblem p) {
    return TileHeuristic.complete(H800, p, 64, 128, TileHeuristic.BLOCK_K, null, new int[] {1, 1});
  }

  @Test
  void splitsAreOfferedOnlyWhileTheSlicesFitOneWave() {
    GemmProblem[] shapes = {FEW_TILES, GemmProblem.fp8(64, 2112, 7168, 1), GemmProblem.fp8(128, 7168, 2048, 1),
        GemmProblem.fp8(4096, 7168, 16384, 1)};
    for (GemmProblem p : shapes) {
      List<KernelConfig> candidates = TileHeuristic.candidates(H800, p);
      for (KernelConfig c : TileSearch.splits(H800, p, candidates)) {
        long tiles = TileHeuristic.tiles(p, c.blockM(), c.blockN());
        assertTrue(c.splitK() >= 2 && tiles * c.splitK() <= SMS, p + " " + c);
        assertTrue((p.k() + c.blockK() - 1) / c.blockK() >= 2L * c.splitK(), "each slice keeps two K blocks: " + c);
      }
    }
    // 4096 x 7168 has at least 16 x 28 = 448 tiles of the largest candidate: never split.
    GemmProblem big = GemmProblem.fp8(4096, 7168, 16384, 1);
    assertTrue(TileSearch.splits(H800, big, TileHeuristic.candidates(H800, big)).isEmpty());
    assertEquals(1, GemmTimingModel.predict(H800, big).config().splitK());
  }

  @Test
  void aFewTileDeepKGemmRunsFasterSplit() {
    // Unsplit, two SMs each walk 512 K blocks of 2*64*128*128/8192 = 256 MMA cycles: 131k cycles,
    // over 70 us at 1.83 GHz. Cut 8 ways, 16 SMs walk 64 blocks each (9 us), and the operands
    // (21 MB) stream from HBM in about 7 us: the split must win by a factor of three at least.
    TimingResult whole = GemmTimingModel.predict(H800, FEW_TILES, tile64x128(FEW_TILES));
    TimingResult split = GemmTimingModel.predict(H800, FEW_TILES, tile64x128(FEW_TILES).withSplitK(8));
    assertTrue(whole.microseconds() > 70, whole.microseconds() + " us");
    assertTrue(split.microseconds() * 3 < whole.microseconds(), split.microseconds() + " vs " + whole.microseconds());
    // The tuned-library search finds a split for it, and it is no slower than the pinned one.
    TimingResult best = GemmTimingModel.predict(H800, FEW_TILES);
    assertTrue(best.config().splitK() > 1, best.config().toString());
    assertTrue(best.microseconds() <= whole.microseconds(), best.microseconds() + " vs " + whole.microseconds());
  }

  @Test
  void thePartialSumsAreMovedAndPaidFor() {
    // Eight FP32 partial tiles of 64 x 256 cross L2 beyond what the unsplit kernel moves, and the
    // fix-up makes the split kernel slower than its slices alone would be.
    KernelConfig c = tile64x128(FEW_TILES);
    TimingResult whole = GemmTimingModel.predict(H800, FEW_TILES, c);
    TimingResult split = GemmTimingModel.predict(H800, FEW_TILES, c.withSplitK(8));
    double partials = 8.0 * 64 * 256 * 4;
    assertTrue(split.l2Bytes() >= whole.l2Bytes() + partials, split.l2Bytes() + " vs " + whole.l2Bytes());
    // A shallow K has nothing to gain: two K blocks per slice at most, and the fix-up on top.
    GemmProblem shallow = new GemmProblem(64, 256, 512, 1, 2, ScalingRecipe.PER_TENSOR);
    KernelConfig s = tile64x128(shallow);
    double one = GemmTimingModel.predict(H800, shallow, s).microseconds();
    double two = GemmTimingModel.predict(H800, shallow, s.withSplitK(2)).microseconds();
    assertTrue(two > 0.6 * one, "a split of 4 K blocks cannot halve the time: " + two + " vs " + one);
  }
}

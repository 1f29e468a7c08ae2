package org.tcsim.blackwell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.timing.Bound;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.ScalingRecipe;
import org.tcsim.timing.TimingResult;

/**
 * What the B200 timing model names as the bound. Blackwell applies every recipe's scales inside
 * the MMA (PTX ISA tcgen05.mma .block_scale; per-tensor and row-wise scales in the epilogue), so
 * its CUDA cores never promote: when they explain the time, it is the epilogue.
 */
class BlackwellBoundTest {

  @Test
  void noRecipeOnBlackwellIsPromotionBound() {
    for (ScalingRecipe recipe : List.of(ScalingRecipe.PER_TENSOR, ScalingRecipe.ROWWISE, ScalingRecipe.BLOCKWISE,
        ScalingRecipe.MXFP8, ScalingRecipe.NVFP4, ScalingRecipe.MXFP4)) {
      for (long size : new long[] {512, 1024, 2048, 4096}) {
        TimingResult r = GemmTimingModel.predict(BlackwellMachines.B200,
            new GemmProblem(size, size, size, 1, 2, recipe));
        assertNotEquals(Bound.PROMOTION, r.bound(), recipe.label() + " " + size + "^3");
      }
    }
  }

  @Test
  void aShortKFp4CubeIsEpilogueBound() {
    // 2048^3 NVFP4: eight K blocks of 256 per tile, one or two tiles per SM, so each tile's
    // conversion and store of 128 x 128 BF16 outputs takes the CUDA cores longer than its MMAs.
    TimingResult r = GemmTimingModel.predict(BlackwellMachines.B200,
        new GemmProblem(2048, 2048, 2048, 1, 2, ScalingRecipe.NVFP4));
    assertEquals(Bound.EPILOGUE, r.bound(), r.toString());
  }
}

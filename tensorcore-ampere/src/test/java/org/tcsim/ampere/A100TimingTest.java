package org.tcsim.ampere;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.ScalingRecipe;

/** The A100's machine description has no FP8 or FP4 MMA, so the timing model refuses every recipe with that reason. */
class A100TimingTest {

  @Test
  void everyFp8AndFp4RecipeIsRefusedWithTheReason() {
    for (ScalingRecipe r : ScalingRecipe.values()) {
      GemmProblem p = new GemmProblem(1024, 1024, 1024, 1, 2, r);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GemmTimingModel.predict(AmpereGpus.A100, p), r.label());
      assertTrue(e.getMessage().contains("refused") && e.getMessage().contains("a100"), e.getMessage());
      assertTrue(e.getMessage().contains(r.fp4() ? "FP4" : "FP8"), e.getMessage());
    }
  }
}

package org.tcsim.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.tcsim.timing.ScalingRecipe;

/**
 * One vocabulary of recipes: every name {@code tcsim gemm} takes (GemmRecipe, Transformer Engine's
 * class names included) means the same recipe to {@code tcsim time} and to a --validate file
 * (ScalingRecipe), whatever its case.
 */
class RecipeNamesTest {

  @Test
  void everyGemmNameIsTheSameTimingRecipe() {
    int checked = 0;
    for (GemmRecipe recipe : GemmRecipe.values()) {
      // the promoting kernel: what tcsim time means by the name (fast-accum is its own name)
      ScalingRecipe expected = Simulation.timingRecipe(recipe, 4);
      for (String name : recipe.names()) {
        for (String spelling : new String[] {name, name.toUpperCase(Locale.ROOT), name.replace('-', '_')}) {
          assertEquals(recipe, GemmRecipe.parse(spelling), spelling);
          assertEquals(expected, ScalingRecipe.parse(spelling), spelling);
          checked++;
        }
      }
    }
    assertEquals(3 * (6 + 12), checked, "names checked");
  }

  @Test
  void transformerEngineClassNamesAreAliases() {
    assertEquals(ScalingRecipe.PER_TENSOR, ScalingRecipe.parse("Float8CurrentScaling"));
    assertEquals(ScalingRecipe.PER_TENSOR, ScalingRecipe.parse("DelayedScaling"));
    assertEquals(ScalingRecipe.BLOCKWISE, ScalingRecipe.parse("Float8BlockScaling"));
    assertEquals(ScalingRecipe.MXFP8, ScalingRecipe.parse("MXFP8BlockScaling"));
    assertEquals(ScalingRecipe.NVFP4, ScalingRecipe.parse("NVFP4BlockScaling"));
  }

  @Test
  void anUnknownNameIsRefusedByBoth() {
    assertThrows(IllegalArgumentException.class, () -> GemmRecipe.parse("Float8Scaling"));
    assertThrows(IllegalArgumentException.class, () -> ScalingRecipe.parse("Float8Scaling"));
  }
}

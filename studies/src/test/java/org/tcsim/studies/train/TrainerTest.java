package org.tcsim.studies.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;
import org.tcsim.studies.whatif.QuantRecipe;

class TrainerTest {
  /**
   * Hopper FP8 into FP32 (docs/hardware-facts.md, Hopper FP8; Khattak & Mikaitis H100TC): fma 32,
   * 13 bits, RZ.
   */
  static final BlockFmaParams H100_FP8 = BlockFmaParams.of(32, 13, Rounding.RZ, FpFormat.FP32)
      .withNormalisedMantissaBits(13);
  static final BlockFmaParams HALF = BlockFmaParams.of(16, 25, Rounding.RZ, FpFormat.FP32);

  private static TrainResult train(String recipe, int steps, int threads) {
    return Trainer.train(new TrainConfig(TrainRecipe.parse(recipe), MixtureTask.standard(5),
        steps, 64, 32, 0.002f, 5, H100_FP8, HALF, threads));
  }

  @Test
  void sameSeedGivesBitwiseIdenticalLossesWhateverTheThreadCount() {
    float[] one = train("tensor-delayed", 6, 1).losses();
    float[] two = train("tensor-delayed", 6, 2).losses();
    assertEquals(6, one.length);
    assertArrayEquals(one, two, 0f);
    for (int i = 0; i < one.length; i++) {
      assertEquals(Float.floatToIntBits(one[i]), Float.floatToIntBits(two[i]), "step " + i);
    }
  }

  @Test
  void lossFallsForFp32AndForAnFp8Recipe() {
    for (String r : new String[] {"fp32", "tensor-current"}) {
      TrainResult res = train(r, 40, 2);
      float[] l = res.losses();
      // Starting loss is above 5 (outlier channels make the first logits large); after 40 Adam
      // steps the batch loss must have fallen by more than half.
      assertTrue(res.tailLoss(5) < l[0] / 2, r + ": " + l[0] + " -> " + res.tailLoss(5));
      assertTrue(res.evalAccuracy() > 0.3, r + ": accuracy " + res.evalAccuracy());
    }
  }

  @Test
  void fp8RecipeDiffersFromFp32() {
    // Quantisation must actually act: the first losses already differ.
    assertTrue(train("fp32", 2, 1).losses()[1] != train("tensor-current", 2, 1).losses()[1]);
  }

  @Test
  void recipeNamesParseAndRefuseContradictions() {
    TrainRecipe r = TrainRecipe.parse("tensor-delayed-fast");
    assertEquals(QuantRecipe.TENSOR_DELAYED, r.numerics());
    assertEquals(FpFormat.E5M2, r.gradient());
    assertTrue(r.fastAccumulation());
    assertEquals(FpFormat.E4M3, TrainRecipe.parse("tensor-current-e4m3").gradient());
    assertEquals(QuantRecipe.DEEPSEEK, TrainRecipe.parse("block").numerics());
    assertThrows(IllegalArgumentException.class, () -> TrainRecipe.parse("block-fast"));
    assertThrows(IllegalArgumentException.class, () -> TrainRecipe.parse("fp32-fast"));
    assertThrows(IllegalArgumentException.class, () -> TrainRecipe.parse("int8"));
  }
}

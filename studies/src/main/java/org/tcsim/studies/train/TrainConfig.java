package org.tcsim.studies.train;

import java.util.Objects;
import org.tcsim.core.datapath.BlockFmaParams;

/**
 * A training run: a two-layer MLP (dim -> hidden -> classes, ReLU) trained with Adam on a
 * {@link MixtureTask}, every forward and backward GEMM through the simulated tensor cores.
 *
 * @param recipe the numerics of every GEMM
 * @param task the data
 * @param steps optimizer steps
 * @param batch examples per step (the K of the weight-gradient GEMMs)
 * @param hidden hidden units
 * @param learningRate Adam's step size
 * @param seed the seed of the weights and of the batches (the task has its own)
 * @param fp8Datapath the FP8 datapath (H100's; B200's exact-sum one for MX recipes)
 * @param bf16Datapath the BF16 datapath for the bf16 baseline
 * @param threads GEMM worker threads (the result does not depend on it)
 */
public record TrainConfig(TrainRecipe recipe, MixtureTask task, int steps, int batch, int hidden,
    float learningRate, long seed, BlockFmaParams fp8Datapath, BlockFmaParams bf16Datapath,
    int threads) {

  public TrainConfig {
    Objects.requireNonNull(recipe, "recipe");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(fp8Datapath, "fp8Datapath");
    Objects.requireNonNull(bf16Datapath, "bf16Datapath");
    if (steps < 1 || batch < 1 || hidden < 1 || threads < 1) {
      throw new IllegalArgumentException("steps, batch, hidden and threads must be positive: "
          + steps + ", " + batch + ", " + hidden + ", " + threads);
    }
    if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
  }
}

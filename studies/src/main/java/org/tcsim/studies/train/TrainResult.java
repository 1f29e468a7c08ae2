package org.tcsim.studies.train;

/**
 * What a training run produced.
 *
 * @param losses the mean cross-entropy of each step's batch, as the recipe's forward pass computed
 *     it (before that step's update)
 * @param evalLoss the mean cross-entropy of a held-out set of 1024 examples after training, with
 *     an FP32 forward pass (so recipes are judged on the same scale)
 * @param evalAccuracy the share of that set classified correctly
 */
public record TrainResult(float[] losses, float evalLoss, double evalAccuracy) {
  public TrainResult {
    losses = losses.clone();
  }

  @Override
  public float[] losses() {
    return losses.clone();
  }

  /** Mean loss over the last {@code n} steps (all when fewer). */
  public double tailLoss(int n) {
    int from = Math.max(0, losses.length - n);
    double s = 0;
    for (int i = from; i < losses.length; i++) {
      s += losses[i];
    }
    return s / (losses.length - from);
  }
}

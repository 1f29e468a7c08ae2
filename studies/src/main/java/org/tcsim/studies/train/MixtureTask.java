package org.tcsim.studies.train;

import java.util.Random;

/**
 * A synthetic classification task, generated from a seed: {@code classes} Gaussian clusters in
 * {@code dim} dimensions (class means drawn from N(0, 1), samples mean + N(0, noise^2)), with a few
 * "outlier channels" multiplied by {@code outlierScale} in every sample, as the hidden states of
 * large language models carry (Dettmers et al., arXiv 2208.07339). The outlier channels hold as
 * much class information as the others, so a recipe that drowns the small channels in the
 * large ones' scale pays for it in loss.
 *
 * @param dim input features
 * @param classes number of classes
 * @param noise standard deviation of a sample around its class mean
 * @param outlierChannels how many leading features are outlier channels
 * @param outlierScale their magnitude relative to the others
 * @param seed the seed of the class means
 */
public record MixtureTask(int dim, int classes, double noise, int outlierChannels,
    double outlierScale, long seed) {

  public MixtureTask {
    if (dim < 1 || classes < 2 || outlierChannels < 0 || outlierChannels > dim) {
      throw new IllegalArgumentException("bad task shape: dim " + dim + ", classes " + classes
          + ", outlier channels " + outlierChannels);
    }
  }

  /** The default task: 64 features, 10 classes, noise 1.5, 4 outlier channels of x32. */
  public static MixtureTask standard(long seed) {
    return new MixtureTask(64, 10, 1.5, 4, 32, seed);
  }

  /** The class means, classes x dim, drawn from the task seed. */
  public float[] means() {
    Random r = new Random(seed);
    float[] mu = new float[classes * dim];
    for (int i = 0; i < mu.length; i++) {
      mu[i] = (float) r.nextGaussian();
    }
    return mu;
  }

  /**
   * Fills {@code x} (batch x dim, row-major) and {@code labels} with a batch drawn from
   * {@code random}.
   */
  public void sample(float[] mu, Random random, float[] x, int[] labels) {
    int batch = labels.length;
    for (int b = 0; b < batch; b++) {
      int y = random.nextInt(classes);
      labels[b] = y;
      for (int d = 0; d < dim; d++) {
        double v = mu[y * dim + d] + noise * random.nextGaussian();
        x[b * dim + d] = (float) (d < outlierChannels ? v * outlierScale : v);
      }
    }
  }
}

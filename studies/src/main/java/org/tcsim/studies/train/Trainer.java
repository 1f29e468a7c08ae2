package org.tcsim.studies.train;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.Matrix;
import org.tcsim.core.quant.Recipe;
import org.tcsim.studies.whatif.SimulatedMatmul;

/**
 * Trains the MLP of a {@link TrainConfig}. Per step, with X the batch (B x D):
 * <pre>
 *   Z1 = X W1 + b1     H = relu(Z1)     Z2 = H W2 + b2     loss = CE(softmax(Z2), y)
 *   dZ2 = (softmax(Z2) - onehot(y)) / B
 *   dW2 = H^T dZ2      dH = dZ2 W2^T    dZ1 = dH * (Z1 > 0)    dW1 = X^T dZ1
 * </pre>
 * The five GEMMs (two forward, three backward) run through {@link SimulatedMatmul} under the
 * recipe: activations and weights in the forward format, dZ2 and dZ1 in the gradient format
 * (HYBRID: E5M2); K is padded with zeros where a recipe's blocks need it. Each GEMM operand has
 * its own quantiser, so delayed scaling keeps one amax history per tensor, as Transformer Engine
 * does. Biases, the softmax, the ReLU and Adam run in FP32 on FP32 master weights. Everything is
 * sequential and seeded: the same configuration gives the same bits.
 */
public final class Trainer {
  /** Held-out examples for the final evaluation. */
  public static final int EVAL_SIZE = 1024;

  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPS = 1e-8f;

  private final TrainConfig cfg;
  private final SimulatedMatmul matmul;
  private final Map<String, Recipe> quantisers = new HashMap<>();
  private final int d;
  private final int h;
  private final int c;

  private Trainer(TrainConfig cfg) {
    this.cfg = cfg;
    GemmConfig gemm = GemmConfig.hopper().withThreads(cfg.threads())
        .withPromotionInterval(cfg.recipe().fastAccumulation() ? 0
            : GemmConfig.HOPPER_PROMOTION_INTERVAL);
    this.matmul = new SimulatedMatmul(cfg.recipe().numerics(), cfg.fp8Datapath(),
        cfg.bf16Datapath(), gemm);
    this.d = cfg.task().dim();
    this.h = cfg.hidden();
    this.c = cfg.task().classes();
  }

  /** Runs the training. */
  public static TrainResult train(TrainConfig cfg) {
    return new Trainer(cfg).run();
  }

  private TrainResult run() {
    int b = cfg.batch();
    Random init = new Random(cfg.seed());
    float[] w1 = gaussian(init, d * h, Math.sqrt(2.0 / d));
    float[] b1 = new float[h];
    float[] w2 = gaussian(init, h * c, Math.sqrt(1.0 / h));
    float[] b2 = new float[c];
    Adam[] adam = {new Adam(w1.length), new Adam(h), new Adam(w2.length), new Adam(c)};
    float[] mu = cfg.task().means();
    Random data = new Random(cfg.seed() * 1_000_003L + 1);
    float[] x = new float[b * d];
    int[] y = new int[b];
    float[] losses = new float[cfg.steps()];
    for (int step = 0; step < cfg.steps(); step++) {
      cfg.task().sample(mu, data, x, y);
      Matrix xm = new Matrix(b, d, x);
      // forward
      float[] z1 = gemm("fwd1", xm, KAxis.ALONG_ROWS, false, false,
          new Matrix(d, h, w1), KAxis.ALONG_COLUMNS, true, false);
      addBias(z1, b1, b, h);
      float[] hid = new float[z1.length];
      for (int i = 0; i < z1.length; i++) {
        hid[i] = Math.max(0f, z1[i]);
      }
      Matrix hm = new Matrix(b, h, hid);
      float[] z2 = gemm("fwd2", hm, KAxis.ALONG_ROWS, false, false,
          new Matrix(h, c, w2), KAxis.ALONG_COLUMNS, true, false);
      addBias(z2, b2, b, c);
      float[] dz2 = new float[b * c];
      losses[step] = softmaxCrossEntropy(z2, y, b, dz2);
      // backward
      Matrix dz2m = new Matrix(b, c, dz2);
      float[] dw2 = gemm("dw2", hm, KAxis.ALONG_COLUMNS, false, false,
          dz2m, KAxis.ALONG_COLUMNS, false, true);
      float[] db2 = columnSums(dz2, b, c);
      float[] dh = gemm("dh", dz2m, KAxis.ALONG_ROWS, false, true,
          new Matrix(h, c, w2), KAxis.ALONG_ROWS, true, false);
      for (int i = 0; i < dh.length; i++) {
        if (!(z1[i] > 0f)) {
          dh[i] = 0f;
        }
      }
      float[] dw1 = gemm("dw1", xm, KAxis.ALONG_COLUMNS, false, false,
          new Matrix(b, h, dh), KAxis.ALONG_COLUMNS, false, true);
      float[] db1 = columnSums(dh, b, h);
      int t = step + 1;
      adam[0].update(w1, dw1, t);
      adam[1].update(b1, db1, t);
      adam[2].update(w2, dw2, t);
      adam[3].update(b2, db2, t);
    }
    return evaluate(losses, mu, w1, b1, w2, b2);
  }

  /**
   * One GEMM through the recipe: A's and B's K axes as given; {@code weight} marks weight
   * operands (128x128 blocks under DeepSeek scaling), {@code grad} gradient operands (the
   * gradient element format).
   */
  private float[] gemm(String name, Matrix a, KAxis ak, boolean aWeight, boolean aGrad,
      Matrix bMat, KAxis bk, boolean bWeight, boolean bGrad) {
    Recipe qa = quantiser(name + ".a", aWeight, aGrad);
    Recipe qb = quantiser(name + ".b", bWeight, bGrad);
    return matmul.multiply(a, ak, qa, bMat, bk, qb).d();
  }

  private Recipe quantiser(String role, boolean weight, boolean grad) {
    if (cfg.recipe().numerics().highPrecision()) {
      return null;
    }
    FpFormat f = grad ? cfg.recipe().gradient() : cfg.recipe().forward();
    return quantisers.computeIfAbsent(role, r -> cfg.recipe().numerics().newQuantiser(f, weight));
  }

  private TrainResult evaluate(float[] losses, float[] mu, float[] w1, float[] b1, float[] w2,
      float[] b2) {
    Random held = new Random(cfg.task().seed() * 7919L + 3);
    float[] x = new float[EVAL_SIZE * d];
    int[] y = new int[EVAL_SIZE];
    cfg.task().sample(mu, held, x, y);
    float[] z1 = plainMatmul(x, w1, EVAL_SIZE, d, h);
    addBias(z1, b1, EVAL_SIZE, h);
    for (int i = 0; i < z1.length; i++) {
      z1[i] = Math.max(0f, z1[i]);
    }
    float[] z2 = plainMatmul(z1, w2, EVAL_SIZE, h, c);
    addBias(z2, b2, EVAL_SIZE, c);
    int correct = 0;
    for (int i = 0; i < EVAL_SIZE; i++) {
      int best = 0;
      for (int j = 1; j < c; j++) {
        if (z2[i * c + j] > z2[i * c + best]) {
          best = j;
        }
      }
      if (best == y[i]) {
        correct++;
      }
    }
    float loss = softmaxCrossEntropy(z2, y, EVAL_SIZE, new float[EVAL_SIZE * c]);
    return new TrainResult(losses, loss, (double) correct / EVAL_SIZE);
  }

  private static float[] plainMatmul(float[] a, float[] b, int m, int k, int n) {
    float[] out = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int x = 0; x < k; x++) {
          s += (double) a[i * k + x] * b[x * n + j];
        }
        out[i * n + j] = (float) s;
      }
    }
    return out;
  }

  private static float[] gaussian(Random r, int n, double std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * std);
    }
    return v;
  }

  private static void addBias(float[] z, float[] bias, int rows, int cols) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        z[i * cols + j] += bias[j];
      }
    }
  }

  private static float[] columnSums(float[] g, int rows, int cols) {
    float[] s = new float[cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        s[j] += g[i * cols + j];
      }
    }
    return s;
  }

  /** Mean cross-entropy; writes dLoss/dZ = (softmax - onehot) / rows into {@code grad}. */
  static float softmaxCrossEntropy(float[] z, int[] y, int rows, float[] grad) {
    int cols = z.length / rows;
    double total = 0;
    for (int i = 0; i < rows; i++) {
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, z[i * cols + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += Math.exp(z[i * cols + j] - max);
      }
      double logSum = Math.log(sum) + max;
      total += logSum - z[i * cols + y[i]];
      for (int j = 0; j < cols; j++) {
        double p = Math.exp(z[i * cols + j] - logSum);
        grad[i * cols + j] = (float) ((p - (j == y[i] ? 1 : 0)) / rows);
      }
    }
    return (float) (total / rows);
  }

  /** Adam (Kingma &amp; Ba, arXiv 1412.6980, Algorithm 1) in FP32. */
  private final class Adam {
    private final float[] m;
    private final float[] v;

    Adam(int n) {
      m = new float[n];
      v = new float[n];
    }

    void update(float[] w, float[] g, int t) {
      float c1 = (float) (1 - Math.pow(BETA1, t));
      float c2 = (float) (1 - Math.pow(BETA2, t));
      float lr = cfg.learningRate();
      for (int i = 0; i < w.length; i++) {
        m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
        v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
        float mHat = m[i] / c1;
        float vHat = v[i] / c2;
        w[i] -= lr * mHat / ((float) Math.sqrt(vHat) + EPS);
      }
    }
  }
}

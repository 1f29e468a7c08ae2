package org.tcsim.studies.whatif;

import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.tcsim.core.quant.Matrix;

/**
 * How the FP32 values of a generated operand are drawn. Real activations and gradients are not
 * Gaussian: LLM activations carry a few channels hundreds of times larger than the rest (Dettmers
 * et al., "LLM.int8()", arXiv 2208.07339, §3.2; Xiao et al., "SmoothQuant", arXiv 2211.10438,
 * Fig. 4), and gradients are heavy-tailed. These are the shapes a what-if study needs to see what
 * a scaling recipe loses.
 *
 * @param kind the family
 * @param outlierFraction for {@link Kind#OUTLIERS}, the share of elements that are outliers; for
 *     {@link Kind#CHANNEL_OUTLIERS}, the share of K-channels (columns of an M x K operand)
 * @param outlierScale how many times larger an outlier is than a normal element
 */
public record OperandDistribution(Kind kind, double outlierFraction, double outlierScale) {

  /** The families. */
  public enum Kind {
    /** Standard normal. */
    NORMAL,
    /** Uniform on (-1, 1). */
    UNIFORM,
    /** Standard normal; each element independently is an outlier with {@code outlierFraction}. */
    OUTLIERS,
    /** Standard normal; whole K-channels (columns) are outliers, as LLM activations have. */
    CHANNEL_OUTLIERS,
    /** Student-t with 3 degrees of freedom (heavy tails, finite variance), as gradients. */
    STUDENT;

    /** Parses {@code normal}, {@code uniform}, {@code outliers}, {@code channel-outliers}, {@code student}. */
    public static Kind parse(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (Kind k : values()) {
        if (k.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(t)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown distribution '" + text
          + "'; known: normal, uniform, outliers, channel-outliers, student");
    }
  }

  public OperandDistribution {
    Objects.requireNonNull(kind, "kind");
    if (!(outlierFraction >= 0 && outlierFraction <= 1)) {
      throw new IllegalArgumentException("outlier fraction must be in [0, 1], got " + outlierFraction);
    }
    if (!(outlierScale > 0) || Double.isInfinite(outlierScale)) {
      throw new IllegalArgumentException("outlier scale must be positive and finite, got "
          + outlierScale);
    }
  }

  /** Standard normal data. */
  public static OperandDistribution normal() {
    return new OperandDistribution(Kind.NORMAL, 0, 1);
  }

  /**
   * A rows x cols matrix (K along columns) drawn from this distribution with {@code random}. The
   * draws happen in row-major order, one Gaussian (or uniform, or t) per element, then for
   * OUTLIERS one uniform per element, so a seed fixes every value.
   */
  public Matrix generate(int rows, int cols, Random random) {
    float[] v = new float[rows * cols];
    boolean[] outlierChannel = new boolean[cols];
    if (kind == Kind.CHANNEL_OUTLIERS) {
      int count = (int) Math.round(outlierFraction * cols);
      if (outlierFraction > 0 && count == 0) {
        count = 1;
      }
      // Which channels: a seeded choice, the first `count` of a shuffled order.
      int[] order = new int[cols];
      for (int c = 0; c < cols; c++) {
        order[c] = c;
      }
      for (int c = cols - 1; c > 0; c--) {
        int j = random.nextInt(c + 1);
        int t = order[c];
        order[c] = order[j];
        order[j] = t;
      }
      for (int c = 0; c < count; c++) {
        outlierChannel[order[c]] = true;
      }
    }
    for (int i = 0; i < v.length; i++) {
      double x = switch (kind) {
        case NORMAL, CHANNEL_OUTLIERS -> random.nextGaussian();
        case UNIFORM -> 2 * random.nextDouble() - 1;
        case OUTLIERS -> {
          double g = random.nextGaussian();
          yield random.nextDouble() < outlierFraction ? g * outlierScale : g;
        }
        case STUDENT -> studentT3(random);
      };
      if (kind == Kind.CHANNEL_OUTLIERS && outlierChannel[i % cols]) {
        x *= outlierScale;
      }
      v[i] = (float) x;
    }
    return new Matrix(rows, cols, v);
  }

  /** Student-t with 3 degrees of freedom: Z / sqrt(chi2_3 / 3). */
  private static double studentT3(Random r) {
    double z = r.nextGaussian();
    double chi = 0;
    for (int i = 0; i < 3; i++) {
      double g = r.nextGaussian();
      chi += g * g;
    }
    return z / Math.sqrt(chi / 3);
  }

  /** Short text for reports, e.g. {@code channel-outliers(0.01, x100)}. */
  public String describe() {
    String name = kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (kind) {
      case NORMAL, UNIFORM, STUDENT -> name;
      case OUTLIERS, CHANNEL_OUTLIERS -> String.format(Locale.ROOT, "%s(%s, x%s)", name,
          outlierFraction, outlierScale);
    };
  }
}

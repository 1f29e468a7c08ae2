package org.tcsim.core.quant;

import java.util.Arrays;
import org.tcsim.core.format.FpFormat;

/**
 * Per-tensor delayed scaling (Transformer Engine {@code DelayedScaling}; docs/hardware-facts.md,
 * Block scaling): a tensor is
 * quantised with the scale computed from the amaxes of EARLIER tensors, then its own amax enters
 * the history and the scale for the next call is recomputed:
 * {@code s = (fp8_max / amax_ref) / 2^margin} in FP32, where amax_ref is the largest amax in the
 * history ({@link AmaxAlgorithm#MAX}) or the newest one ({@link AmaxAlgorithm#MOST_RECENT}). A
 * zero amax_ref keeps the previous scale, and the first call uses s = 1, as TE's
 * {@code _default_sf_compute}. Elements {@code satfinite(RNE(fp32(x * s)))}, decode scale
 * {@code fp32(1 / s)}. Mode {@link ScaleMode#SCALAR_32F}.
 *
 * <p>This is the one stateful recipe: each {@link #quantize} call advances the history. Not thread
 * safe.
 */
public final class DelayedScaling implements Recipe {

  /** How the reference amax is taken from the history (TE {@code amax_compute_algo}). */
  public enum AmaxAlgorithm {
    /** The largest amax in the history window (TE {@code "max"}). */
    MAX,
    /** The newest amax (TE {@code "most_recent"}). */
    MOST_RECENT
  }

  private final FpFormat elementFormat;
  private final int historyLength;
  private final AmaxAlgorithm algorithm;
  private final int margin;
  /** Newest first; zeros where nothing has been recorded yet (TE initialises the history to 0). */
  private final float[] history;
  private float scale = 1f;

  /**
   * @param elementFormat E4M3 or E5M2
   * @param historyLength amaxes kept (TE {@code amax_history_len}), at least 1
   * @param algorithm how the reference amax is chosen
   * @param margin the scale is divided by 2^margin (TE {@code margin}), at least 0
   */
  public DelayedScaling(FpFormat elementFormat, int historyLength, AmaxAlgorithm algorithm,
      int margin) {
    this.elementFormat = Blocks.requireFp8(elementFormat);
    if (historyLength < 1) {
      throw new IllegalArgumentException("historyLength must be at least 1, got " + historyLength);
    }
    if (margin < 0) {
      throw new IllegalArgumentException("margin must be non-negative, got " + margin);
    }
    this.historyLength = historyLength;
    this.algorithm = java.util.Objects.requireNonNull(algorithm, "algorithm");
    this.margin = margin;
    this.history = new float[historyLength];
  }

  @Override
  public ScaleMode mode() {
    return ScaleMode.SCALAR_32F;
  }

  @Override
  public FpFormat elementFormat() {
    return elementFormat;
  }

  public int historyLength() {
    return historyLength;
  }

  public AmaxAlgorithm algorithm() {
    return algorithm;
  }

  public int margin() {
    return margin;
  }

  /** The encode scale the next {@link #quantize} call will use. */
  public float scale() {
    return scale;
  }

  /** The amax history, newest first. */
  public float[] history() {
    return history.clone();
  }

  @Override
  public QuantizedTensor quantize(Matrix m, KAxis k, NonFinite policy) {
    float s = scale;
    float[] seen = new float[1];
    QuantizedTensor q = Fp32Scaling.quantize(m, k, policy, ScaleMode.SCALAR_32F, elementFormat,
        new Fp32Scaling.ScalePair() {
          @Override
          public float encode(float amax) {
            seen[0] = amax;
            return s;
          }

          @Override
          public float decode(float amax, float encodeScale) {
            return 1f / encodeScale;
          }
        });
    record(seen[0]);
    return q;
  }

  /** Enters an amax into the history and recomputes the scale (TE's amax-and-scale update). */
  public void record(float amax) {
    if (!(amax >= 0f) || Float.isInfinite(amax)) {
      throw new IllegalArgumentException("amax must be finite and non-negative, got " + amax);
    }
    System.arraycopy(history, 0, history, 1, historyLength - 1);
    history[0] = amax;
    float reference = switch (algorithm) {
      case MAX -> max(history);
      case MOST_RECENT -> history[0];
    };
    if (reference > 0f) {
      float s = ((float) elementFormat.maxFinite() / reference) / (float) Math.scalb(1.0, margin);
      scale = Float.isInfinite(s) ? Float.MAX_VALUE : s;
    }
  }

  private static float max(float[] values) {
    float m = 0f;
    for (float v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  @Override
  public String toString() {
    return "DelayedScaling[" + elementFormat + ", history " + historyLength + ", " + algorithm
        + ", margin " + margin + ", scale " + scale + ", history " + Arrays.toString(history) + "]";
  }
}

package org.tcsim.studies.train;

import java.util.Locale;
import java.util.Objects;
import org.tcsim.core.format.FpFormat;
import org.tcsim.studies.whatif.QuantRecipe;

/**
 * How every GEMM of a training step is computed: the scaling recipe, the element formats of
 * forward operands (activations, weights) and of gradients, and whether partial sums are promoted.
 *
 * <p>Names: {@code fp32}, {@code bf16} (baselines); {@code tensor-delayed} and
 * {@code tensor-current} (Transformer Engine per-tensor scaling, HYBRID: E4M3 forward, E5M2
 * gradients; docs/hardware-facts.md, Block scaling); {@code rowwise} (HYBRID); {@code mxfp8} (MX
 * RCEIL, E4M3 everywhere, as
 * Transformer Engine's MXFP8 recipe), {@code mxfp8-floor}; {@code block} (DeepSeek-V3: 1x128
 * activations and gradients, 128x128 weights, E4M3 everywhere), {@code 1x128}, {@code 128x128}.
 * A {@code -fast} suffix turns promotion off (fast accumulation); a {@code -e4m3} suffix makes
 * gradients E4M3 too.
 *
 * @param name the name it was parsed from
 * @param numerics the quantisation
 * @param forward element format of activations and weights
 * @param gradient element format of gradients
 * @param fastAccumulation no promotion of tensor-core partial sums
 */
public record TrainRecipe(String name, QuantRecipe numerics, FpFormat forward, FpFormat gradient,
    boolean fastAccumulation) {

  public TrainRecipe {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(numerics, "numerics");
    Objects.requireNonNull(forward, "forward");
    Objects.requireNonNull(gradient, "gradient");
  }

  /** Names a user can give (without suffixes). */
  public static final String NAMES = "fp32, bf16, tensor-delayed, tensor-current, rowwise, mxfp8, "
      + "mxfp8-floor, block, 1x128, 128x128 (suffix -fast: no promotion; -e4m3: E4M3 gradients)";

  /** Parses a recipe name. */
  public static TrainRecipe parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    String base = t;
    boolean fast = false;
    boolean allE4m3 = false;
    for (boolean changed = true; changed; ) {
      changed = false;
      if (base.endsWith("-fast")) {
        fast = true;
        base = base.substring(0, base.length() - 5);
        changed = true;
      }
      if (base.endsWith("-e4m3")) {
        allE4m3 = true;
        base = base.substring(0, base.length() - 5);
        changed = true;
      }
    }
    FpFormat e4 = FpFormat.E4M3;
    FpFormat hybridGrad = allE4m3 ? e4 : FpFormat.E5M2;
    TrainRecipe r = switch (base) {
      case "fp32" -> new TrainRecipe(t, QuantRecipe.FP32, e4, e4, fast);
      case "bf16" -> new TrainRecipe(t, QuantRecipe.BF16, e4, e4, fast);
      case "tensor-delayed" -> new TrainRecipe(t, QuantRecipe.TENSOR_DELAYED, e4, hybridGrad, fast);
      case "tensor-current" -> new TrainRecipe(t, QuantRecipe.TENSOR, e4, hybridGrad, fast);
      case "rowwise" -> new TrainRecipe(t, QuantRecipe.ROWWISE, e4, hybridGrad, fast);
      case "mxfp8" -> new TrainRecipe(t, QuantRecipe.MX_RCEIL, e4, e4, fast);
      case "mxfp8-floor" -> new TrainRecipe(t, QuantRecipe.MX_FLOOR, e4, e4, fast);
      case "block" -> new TrainRecipe(t, QuantRecipe.DEEPSEEK, e4, e4, fast);
      case "1x128" -> new TrainRecipe(t, QuantRecipe.GROUP_1X128, e4, e4, fast);
      case "128x128" -> new TrainRecipe(t, QuantRecipe.BLOCK_128X128, e4, e4, fast);
      default -> throw new IllegalArgumentException("unknown training recipe '" + text
          + "'; known: " + NAMES);
    };
    if (fast && r.numerics.highPrecision()) {
      throw new IllegalArgumentException("'-fast' applies to FP8 recipes only, got '" + text + "'");
    }
    if (fast && r.numerics.scalesAtPromotion()) {
      throw new IllegalArgumentException("'" + text + "': 1x128 / 128x128 scales are applied at "
          + "promotion, so they cannot run without it (fast accumulation)");
    }
    return r;
  }
}

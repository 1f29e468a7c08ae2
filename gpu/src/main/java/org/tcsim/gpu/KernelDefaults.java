package org.tcsim.gpu;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tcsim.core.gemm.PromotionRule;
import org.tcsim.timing.ScalingRecipe;

/**
 * How one library's FP8 GEMM kernels run on one GPU: the numerics, and the tile where the library
 * runs one tile for a recipe whatever the shape (for the timing model, which otherwise searches
 * its own tiles).
 *
 * @param mmaK K of one tensor-core instruction in the kernel's main loop
 * @param promotionInterval instructions between promotions of the tensor-core partial sum into the
 *     FP32 accumulator on the CUDA cores; 0 = the accumulator is never promoted (it stays in the
 *     tensor core's own FP32 accumulator for all of K)
 * @param promotionRule how a promoted partial joins the FP32 accumulator
 * @param fastAccum what the library's fast-accumulation flag does on this GPU
 * @param source where these values come from (documentation, repository and file, or "inferred")
 * @param unavailable why the library does not run on this GPU, or empty when it does
 * @param tiles the {@code BMxBN} tile the library runs for a recipe at every shape, where it has
 *     one (the source says where that was seen)
 */
public record KernelDefaults(int mmaK, int promotionInterval, PromotionRule promotionRule,
    FastAccum fastAccum, String source, String unavailable, Map<ScalingRecipe, String> tiles) {

  /** What a library's fast-accumulation flag means on a GPU. */
  public enum FastAccum {
    /** The flag turns promotion off: the tensor-core accumulator runs over all of K. */
    NO_PROMOTION,
    /** The flag exists but has no effect on this GPU (the kernels never promote). */
    IGNORED,
    /** The library has no such flag; asking for it is an error. */
    UNSUPPORTED
  }

  public KernelDefaults {
    if (mmaK < 1 || promotionInterval < 0) {
      throw new IllegalArgumentException("mmaK must be positive and promotionInterval >= 0, got "
          + mmaK + ", " + promotionInterval);
    }
    Objects.requireNonNull(promotionRule, "promotionRule");
    Objects.requireNonNull(fastAccum, "fastAccum");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(unavailable, "unavailable");
    for (Map.Entry<ScalingRecipe, String> t : tiles.entrySet()) {
      if (!t.getValue().matches("[1-9][0-9]{0,3}x[1-9][0-9]{0,3}")) {
        throw new IllegalArgumentException("tile for " + t.getKey() + " must be BMxBN, got '"
            + t.getValue() + "'");
      }
    }
    tiles = tiles.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(tiles));
  }

  /** A library that runs on the GPU with these settings. */
  public static KernelDefaults of(int mmaK, int promotionInterval, FastAccum fastAccum,
      String source) {
    return new KernelDefaults(mmaK, promotionInterval, PromotionRule.FMA, fastAccum, source, "",
        Map.of());
  }

  /** These settings with the tiles the library runs for some recipes, and where they were seen. */
  public KernelDefaults withTiles(Map<ScalingRecipe, String> recipeTiles, String seen) {
    return new KernelDefaults(mmaK, promotionInterval, promotionRule, fastAccum,
        source + "; tiles: " + seen, unavailable, recipeTiles);
  }

  /** The tile the library runs for {@code recipe} at every shape, if it has one. */
  public Optional<String> tile(ScalingRecipe recipe) {
    return Optional.ofNullable(tiles.get(recipe));
  }

  /** A library that has no kernels for the GPU, and why. */
  public static KernelDefaults unavailable(String why) {
    return new KernelDefaults(1, 0, PromotionRule.FMA, FastAccum.UNSUPPORTED, why, why, Map.of());
  }

  /** Whether the library runs on the GPU. */
  public boolean available() {
    return unavailable.isEmpty();
  }

  /**
   * The promotion interval a GEMM runs with, given whether fast accumulation was asked for.
   *
   * @throws IllegalArgumentException if the library has no fast-accumulation flag
   */
  public int promotionInterval(boolean fastAccumRequested, Library library) {
    if (!available()) {
      throw new IllegalArgumentException(library.id() + " does not run here: " + unavailable);
    }
    if (!fastAccumRequested) {
      return promotionInterval;
    }
    return switch (fastAccum) {
      case NO_PROMOTION -> 0;
      case IGNORED -> promotionInterval;
      case UNSUPPORTED -> throw new IllegalArgumentException(
          library.id() + " has no fast-accumulation mode (" + source + ")");
    };
  }

  /** One line: {@code mma k32, promotion every 4 (FMA), fast accum = no promotion}. */
  public String describe() {
    if (!available()) {
      return "not available";
    }
    return "mma k" + mmaK + ", " + (promotionInterval == 0 ? "no promotion"
        : "promotion every " + promotionInterval + " (" + promotionRule + ")")
        + ", fast accum: " + switch (fastAccum) {
          case NO_PROMOTION -> "no promotion";
          case IGNORED -> "ignored";
          case UNSUPPORTED -> "not offered";
        }
        + (tiles.isEmpty() ? "" : ", tiles: " + String.join(", ", tiles.entrySet().stream()
            .map(e -> e.getKey().label() + " " + e.getValue()).toList()));
  }
}

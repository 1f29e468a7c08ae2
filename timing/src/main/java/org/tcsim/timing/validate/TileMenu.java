package org.tcsim.timing.validate;

import java.util.Optional;
import org.tcsim.timing.ScalingRecipe;

/**
 * The tile a library runs for a recipe on a GPU, where the library has one tile for it; the GPU
 * catalogue answers this (the timing model itself knows no libraries).
 */
@FunctionalInterface
public interface TileMenu {

  /** No library has a tile of its own: a {@code library} column pins nothing. */
  TileMenu NONE = (gpu, library, recipe) -> Optional.empty();

  /**
   * The library's {@code BMxBN} tile for the recipe on the GPU, or empty when it has none.
   *
   * @throws IllegalArgumentException if the library is unknown
   */
  Optional<String> tile(String gpu, String library, ScalingRecipe recipe);
}

package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;

/**
 * A named way to quantise a high-precision tensor into low-precision elements and scales
 * (docs/hardware-facts.md, Block scaling). Recipes are values (records), except
 * {@link DelayedScaling}, which keeps an amax
 * history between calls as Transformer Engine does.
 */
public sealed interface Recipe
    permits CurrentScaling, DelayedScaling, RowwiseScaling, GroupScaling, MxScaling, Nvfp4Scaling {

  /** The scale layout this recipe produces. */
  ScaleMode mode();

  /** The element format this recipe produces. */
  FpFormat elementFormat();

  /** Quantises with K on the given axis; NaN or Inf inputs are rejected with their (row, col). */
  default QuantizedTensor quantize(Matrix m, KAxis k) {
    return quantize(m, k, NonFinite.REJECT);
  }

  /** Quantises with K on the given axis and the given treatment of NaN and Inf inputs. */
  QuantizedTensor quantize(Matrix m, KAxis k, NonFinite policy);
}

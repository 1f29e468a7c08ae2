package org.tcsim.replay;

import java.io.Serializable;
import org.tcsim.core.gemm.AccuracySummary;

/**
 * What one row band of one product of a GEMM contributes to the GEMM's {@link ReplayResult}:
 * small, whatever the band's size, so that bands computed elsewhere (another thread, another
 * machine) travel back as these and are folded in band order by {@link GemmPlan.Fold}.
 *
 * @param group the product (0-based)
 * @param band the band of that product (0-based, top to bottom)
 * @param rows rows of D in the band
 * @param kernel the engine kernel that computed it
 * @param amaxD max |D| before scaleD over the band
 * @param accuracy the sampled error against the exact product, or null when no element of this
 *     band is sampled
 * @param total elements of D in the band (counted by {@code accuracy} when it is there)
 * @param saturated FP8 output elements of the band clamped to the largest finite value
 * @param golden the band's bit-for-bit comparison with the GPU's D, or null without one
 * @param note a note about the product's operands (e.g. that wide values were quantised), or empty
 */
public record BandSummary(int group, int band, int rows, String kernel, float amaxD,
    AccuracySummary accuracy, long total, long saturated, MismatchGrid golden, String note)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}

package org.tcsim.core.datapath;

import java.util.Objects;
import org.tcsim.core.format.FpFormat;

/**
 * A named datapath configuration of one tensor core for one combination of input and output
 * formats, with where its values come from.
 *
 * @param id short name, e.g. {@code h100.fp8.fp32}
 * @param aFormats the A operand formats it accepts
 * @param bFormats the B operand formats it accepts
 * @param params the datapath parameters
 * @param evidence how well it is known to match the hardware
 * @param source where the values come from (paper, file, measurement)
 * @param blockScaling the block scales it takes, for the block-scaled kinds (MX, NVFP4), or null
 */
public record DatapathPreset(String id, java.util.Set<FpFormat> aFormats,
    java.util.Set<FpFormat> bFormats, BlockFmaParams params, Evidence evidence, String source,
    BlockScaling blockScaling) {

  /** One scale of format {@code scaleFormat} per {@code blockSize} K-elements of A and of B. */
  public record BlockScaling(FpFormat scaleFormat, int blockSize) {
    public BlockScaling {
      Objects.requireNonNull(scaleFormat, "scaleFormat");
      if (blockSize < 1) {
        throw new IllegalArgumentException("block size must be positive: " + blockSize);
      }
    }
  }

  /** A preset without block scales. */
  public DatapathPreset(String id, java.util.Set<FpFormat> aFormats,
      java.util.Set<FpFormat> bFormats, BlockFmaParams params, Evidence evidence, String source) {
    this(id, aFormats, bFormats, params, evidence, source, null);
  }

  public DatapathPreset {
    Objects.requireNonNull(id, "id");
    aFormats = java.util.Set.copyOf(aFormats);
    bFormats = java.util.Set.copyOf(bFormats);
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(source, "source");
  }

  /** Whether it executes A x B into {@code out} without block scales. */
  public boolean accepts(FpFormat a, FpFormat b, FpFormat out) {
    return blockScaling == null && aFormats.contains(a) && bFormats.contains(b)
        && params.outputFormat() == out;
  }

  /** Whether it executes A x B into {@code out} with these block scales. */
  public boolean accepts(FpFormat a, FpFormat b, FpFormat out, BlockScaling scaling) {
    return blockScaling != null && blockScaling.equals(scaling) && aFormats.contains(a)
        && bFormats.contains(b) && params.outputFormat() == out;
  }

  /** A datapath executing this preset for the given operand formats. */
  public BlockFmaDatapath datapath(FpFormat a, FpFormat b) {
    if (!aFormats.contains(a) || !bFormats.contains(b)) {
      throw new IllegalArgumentException(id + " does not take " + a + " x " + b);
    }
    return new BlockFmaDatapath(a, b, params);
  }
}

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
 */
public record DatapathPreset(String id, java.util.Set<FpFormat> aFormats,
    java.util.Set<FpFormat> bFormats, BlockFmaParams params, Evidence evidence, String source) {

  public DatapathPreset {
    Objects.requireNonNull(id, "id");
    aFormats = java.util.Set.copyOf(aFormats);
    bFormats = java.util.Set.copyOf(bFormats);
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(source, "source");
  }

  public boolean accepts(FpFormat a, FpFormat b, FpFormat out) {
    return aFormats.contains(a) && bFormats.contains(b) && params.outputFormat() == out;
  }

  /** A datapath executing this preset for the given operand formats. */
  public BlockFmaDatapath datapath(FpFormat a, FpFormat b) {
    if (!aFormats.contains(a) || !bFormats.contains(b)) {
      throw new IllegalArgumentException(id + " does not take " + a + " x " + b);
    }
    return new BlockFmaDatapath(a, b, params);
  }
}

package org.tcsim.core.datapath;

import java.util.List;
import java.util.Optional;
import org.tcsim.core.format.FpFormat;

/**
 * The functional model of one generation of tensor cores: which datapath executes which
 * combination of formats. Each architecture module provides one, as data.
 */
public interface TensorCoreModel {

  /** Canonical short name of the tensor-core generation ({@code h100}); GPU names live in the GPU catalogue. */
  String name();

  /** One line: the architecture and where the model comes from. */
  String description();

  /** Every preset of this model. */
  List<DatapathPreset> presets();

  /** The preset that executes A x B with C and D in {@code out}, if the hardware has one. */
  default Optional<DatapathPreset> preset(FpFormat a, FpFormat b, FpFormat out) {
    return presets().stream().filter(p -> p.accepts(a, b, out)).findFirst();
  }

  /**
   * The preset that executes A x B into {@code out} through the instruction family named by its
   * PTX opcode ({@code wgmma.mma_async}, {@code mma.sync}, {@code tcgen05.mma}). Families can differ
   * in numerics on one GPU (docs/hardware-facts.md, FP8 into FP16); by default they share the
   * presets.
   */
  default Optional<DatapathPreset> preset(FpFormat a, FpFormat b, FpFormat out, String family) {
    return preset(a, b, out);
  }

  /** The preset that executes a block-scaled A x B into {@code out}, if the hardware has one. */
  default Optional<DatapathPreset> preset(FpFormat a, FpFormat b, FpFormat out,
      DatapathPreset.BlockScaling scaling) {
    return presets().stream().filter(p -> p.accepts(a, b, out, scaling)).findFirst();
  }
}

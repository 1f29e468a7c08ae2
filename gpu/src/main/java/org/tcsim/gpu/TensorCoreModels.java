package org.tcsim.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tcsim.ada.AdaTensorCore;
import org.tcsim.blackwell.BlackwellTensorCore;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.datapath.TensorCoreModel;
import org.tcsim.core.format.FpFormat;
import org.tcsim.h100.HopperTensorCore;
import org.tcsim.isa.DatapathKey;

/** Every functional tensor-core model tcsim knows, looked up by GPU name. */
public final class TensorCoreModels {
  private static final List<TensorCoreModel> ALL = List.of(
      HopperTensorCore.INSTANCE, BlackwellTensorCore.INSTANCE, AdaTensorCore.INSTANCE);

  private TensorCoreModels() {}

  public static List<TensorCoreModel> all() {
    return ALL;
  }

  public static Optional<TensorCoreModel> byGpu(String gpu) {
    String g = gpu.trim().toLowerCase(Locale.ROOT);
    return ALL.stream().filter(m -> m.gpuNames().contains(g)).findFirst();
  }

  public static TensorCoreModel parse(String gpu) {
    return byGpu(gpu).orElseThrow(() -> new IllegalArgumentException(
        "unknown GPU '" + gpu + "'; known: " + String.join(", ", knownNames())));
  }

  /**
   * The datapath preset that executes an instruction, if tcsim models it: the architecture picks
   * the model, the operand and accumulator types (and block scales) the preset. Integer MMAs have
   * no preset yet.
   */
  public static Optional<DatapathPreset> presetFor(DatapathKey key) {
    Optional<FpFormat> a = key.a().fpFormat();
    Optional<FpFormat> b = key.b().fpFormat();
    Optional<FpFormat> acc = key.accumulator().fpFormat();
    if (a.isEmpty() || b.isEmpty() || acc.isEmpty()) {
      return Optional.empty();
    }
    Optional<TensorCoreModel> model = byGpu(key.arch().ptxTarget());
    if (key.blockScaled()) {
      var scale = key.blockScale().get();
      var scaling = new DatapathPreset.BlockScaling(scale.scaleFormat(), scale.blockSize());
      return model.flatMap(m -> m.preset(a.get(), b.get(), acc.get(), scaling));
    }
    String family = key.family().ptxOpcode();
    return model.flatMap(m -> m.preset(a.get(), b.get(), acc.get(), family));
  }

  public static List<String> knownNames() {
    List<String> names = new ArrayList<>();
    ALL.forEach(m -> names.addAll(m.gpuNames()));
    return names;
  }
}

package org.tcsim.traces;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tcsim.ada.AdaTensorCore;
import org.tcsim.blackwell.BlackwellTensorCore;
import org.tcsim.core.datapath.TensorCoreModel;
import org.tcsim.h100.HopperTensorCore;

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

  public static List<String> knownNames() {
    List<String> names = new ArrayList<>();
    ALL.forEach(m -> names.addAll(m.gpuNames()));
    return names;
  }
}

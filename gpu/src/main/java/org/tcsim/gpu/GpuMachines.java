package org.tcsim.gpu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tcsim.blackwell.BlackwellMachines;
import org.tcsim.timing.MachineSpec;
import org.tcsim.h100.HopperMachines;

/**
 * The machine descriptions of the timing model, by GPU name ({@code tcsim time --gpu} and the
 * {@code gpu} column of a trace).
 */
public final class GpuMachines {
  private static final Map<String, MachineSpec> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("h100", HopperMachines.H100_SXM);
    BY_NAME.put("h100-sxm", HopperMachines.H100_SXM);
    BY_NAME.put("h100-pcie", HopperMachines.H100_PCIE);
    BY_NAME.put("h800", HopperMachines.H800);
    BY_NAME.put("h200", HopperMachines.H200);
    BY_NAME.put("b200", BlackwellMachines.B200);
  }

  private GpuMachines() {}

  /** The description named {@code name}, if there is one. */
  public static Optional<MachineSpec> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name.trim().toLowerCase(Locale.ROOT).replace('_', '-')));
  }

  /** The description named {@code name}; an unknown name is an error listing the known ones. */
  public static MachineSpec byName(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException("unknown gpu '" + name
        + "'; known: " + String.join(", ", BY_NAME.keySet())));
  }

  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }
}

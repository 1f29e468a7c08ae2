package org.tcsim.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tcsim.blackwell.BlackwellMachines;
import org.tcsim.core.timing.MachineSpec;
import org.tcsim.h100.HopperMachines;

/** The machine descriptions the CLI knows, by the name given to {@code --gpu}. */
final class GpuCatalog {
  private static final Map<String, MachineSpec> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("h100", HopperMachines.H100_SXM);
    BY_NAME.put("h100-sxm", HopperMachines.H100_SXM);
    BY_NAME.put("h100-pcie", HopperMachines.H100_PCIE);
    BY_NAME.put("h800", HopperMachines.H800);
    BY_NAME.put("h200", HopperMachines.H200);
    BY_NAME.put("b200", BlackwellMachines.B200);
  }

  private GpuCatalog() {}

  /** The description named {@code name}; an unknown name is an error listing the known ones. */
  static MachineSpec byName(String name) {
    MachineSpec spec = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT).replace('_', '-'));
    if (spec == null) {
      throw new IllegalArgumentException("unknown gpu '" + name + "'; known: " + String.join(", ", BY_NAME.keySet()));
    }
    return spec;
  }
}

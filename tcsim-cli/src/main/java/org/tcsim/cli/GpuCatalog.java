package org.tcsim.cli;

import org.tcsim.core.timing.MachineSpec;
import org.tcsim.traces.GpuMachines;

/** The machine descriptions the CLI knows, by the name given to {@code --gpu} (see {@link GpuMachines}). */
final class GpuCatalog {
  private GpuCatalog() {}

  /** The description named {@code name}; an unknown name is an error listing the known ones. */
  static MachineSpec byName(String name) {
    return GpuMachines.byName(name);
  }
}

package org.tcsim.traces.whatif;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tcsim.blackwell.BlackwellMachines;
import org.tcsim.blackwell.BlackwellTensorCore;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.timing.MachineSpec;
import org.tcsim.h100.HopperMachines;
import org.tcsim.h100.HopperTensorCore;

/** The machines and base datapaths a study names. */
final class WhatifMachines {
  private static final Map<String, MachineSpec> MACHINES = new LinkedHashMap<>();

  static {
    MACHINES.put("h100", HopperMachines.H100_SXM);
    MACHINES.put("h100-sxm", HopperMachines.H100_SXM);
    MACHINES.put("h100-pcie", HopperMachines.H100_PCIE);
    MACHINES.put("h800", HopperMachines.H800);
    MACHINES.put("h200", HopperMachines.H200);
    MACHINES.put("b200", BlackwellMachines.B200);
  }

  private WhatifMachines() {}

  static MachineSpec machine(String name) {
    MachineSpec m = MACHINES.get(name.trim().toLowerCase(Locale.ROOT));
    if (m == null) {
      throw new IllegalArgumentException("unknown gpu '" + name + "'; known: "
          + String.join(", ", MACHINES.keySet()));
    }
    return m;
  }

  /** FP8-into-FP32 datapath of {@code h100} (truncating, 13 bits) or {@code b200} (exact sum). */
  static BlockFmaParams fp8(String datapath) {
    return switch (datapath) {
      case "h100" -> HopperTensorCore.FP8_FP32;
      case "b200" -> BlackwellTensorCore.FP8_FP32;
      default -> throw new IllegalArgumentException("datapath must be h100 or b200, got " + datapath);
    };
  }

  /** BF16-into-FP32 datapath of the same GPU. */
  static BlockFmaParams bf16(String datapath) {
    return switch (datapath) {
      case "h100" -> HopperTensorCore.HALF_FP32;
      case "b200" -> BlackwellTensorCore.HALF_FP32;
      default -> throw new IllegalArgumentException("datapath must be h100 or b200, got " + datapath);
    };
  }
}

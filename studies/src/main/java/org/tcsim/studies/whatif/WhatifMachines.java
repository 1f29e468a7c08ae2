package org.tcsim.studies.whatif;

import org.tcsim.blackwell.BlackwellTensorCore;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.timing.MachineSpec;
import org.tcsim.h100.HopperTensorCore;
import org.tcsim.gpu.GpuMachines;

/** The machines and base datapaths a study names. */
final class WhatifMachines {
  private WhatifMachines() {}

  /** The machine description a study names (the same names as {@code tcsim time --gpu}). */
  static MachineSpec machine(String name) {
    return GpuMachines.byName(name);
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

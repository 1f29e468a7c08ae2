package org.tcsim.studies.whatif;

import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;

/** The GPUs and base datapaths a study names, looked up in the GPU catalogue. */
final class WhatifMachines {
  private WhatifMachines() {}

  /** The GPU a study names ({@code gpu} or {@code datapath} setting): any catalogue name. */
  static Gpu gpu(String name) {
    return GpuCatalog.byName(name);
  }

  /** The GPU's FP8 (E4M3) into FP32 datapath: the base of the accuracy studies. */
  static BlockFmaParams fp8(String gpu) {
    return datapath(gpu, FpFormat.E4M3);
  }

  /** The GPU's BF16 into FP32 datapath (the BF16 baseline recipe). */
  static BlockFmaParams bf16(String gpu) {
    return datapath(gpu, FpFormat.BF16);
  }

  private static BlockFmaParams datapath(String name, FpFormat f) {
    Gpu g = gpu(name);
    return g.tensorCore().preset(f, f, FpFormat.FP32).orElseThrow(() ->
        new IllegalArgumentException(g.id() + " has no " + f.shortName()
            + " into fp32 datapath")).params();
  }
}

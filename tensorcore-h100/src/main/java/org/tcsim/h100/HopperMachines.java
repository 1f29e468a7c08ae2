package org.tcsim.h100;

import org.tcsim.timing.MachineFile;
import org.tcsim.timing.MachineSpec;

/**
 * Machine descriptions of Hopper GPUs for the timing model. Each is a data file,
 * {@code machines/NAME.machine} beside this class, with the source of every figure (D vendor
 * documentation, M measured, I inferred, F fitted by TimingFit); adding a GPU's timing is adding
 * such a file and a constant here.
 */
public final class HopperMachines {

  private HopperMachines() {}

  /** H100 SXM5: 132 SMs, 1979 dense FP8 TFLOPS at 1.83 GHz, 3.35 TB/s HBM3, 50 MB L2, 700 W. */
  public static final MachineSpec H100_SXM = MachineFile.resource(HopperMachines.class, "h100-sxm");

  /** H800 SXM5: the export variant with the same SMs, clocks, memory and power as H100 SXM5. */
  public static final MachineSpec H800 = MachineFile.resource(HopperMachines.class, "h800");

  /** H200: an H100 SXM5 with 141 GB HBM3e at 4.8 TB/s, its clock ceiling and L2 figure measured. */
  public static final MachineSpec H200 = MachineFile.resource(HopperMachines.class, "h200");

  /** H100 PCIe: 114 SMs, 1513 dense FP8 TFLOPS at 1.62 GHz, 2.0 TB/s HBM2e, 350 W. */
  public static final MachineSpec H100_PCIE = MachineFile.resource(HopperMachines.class, "h100-pcie");
}

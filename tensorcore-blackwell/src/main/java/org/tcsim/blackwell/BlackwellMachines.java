package org.tcsim.blackwell;

import org.tcsim.timing.MachineFile;
import org.tcsim.timing.MachineSpec;

/**
 * Machine descriptions of Blackwell GPUs for the timing model. Each is a data file,
 * {@code machines/NAME.machine} beside this class, with the source of every figure; adding a GPU's
 * timing is adding such a file and a constant here.
 */
public final class BlackwellMachines {

  private BlackwellMachines() {}

  /** B200: 148 SMs, 4.5 PFLOPS dense FP8/MXFP8, 9 PFLOPS dense FP4, 8 TB/s HBM3e, TMEM, 2-CTA MMA. */
  public static final MachineSpec B200 = MachineFile.resource(BlackwellMachines.class, "b200");
}

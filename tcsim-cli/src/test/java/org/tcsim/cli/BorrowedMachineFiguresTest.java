package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.ada.AdaGpus;
import org.tcsim.ampere.AmpereGpus;
import org.tcsim.blackwell.BlackwellMachines;
import org.tcsim.h100.HopperMachines;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;

/**
 * A figure another GPU's machine file takes from Hopper ("I: the Hopper figure") must be Hopper's
 * current value: when a refit moves the Hopper figure, every copy moves with it, or this fails.
 */
class BorrowedMachineFiguresTest {

  private static final String BORROWED = "I: the Hopper figure";

  @Test
  void everyBorrowedHopperFigureEqualsTheH800s() {
    MachineSpec hopper = HopperMachines.H800;
    int borrowed = 0;
    for (MachineSpec spec : List.of(BlackwellMachines.B200, AdaGpus.L40S, AmpereGpus.A100)) {
      for (MachineParam p : MachineParam.values()) {
        if (spec.sources().get(p).startsWith(BORROWED)) {
          assertEquals(hopper.get(p), spec.get(p), spec.name() + " " + p.key() + " is borrowed from Hopper");
          borrowed++;
        }
      }
    }
    // epilogue_ops, hbm_efficiency and launch_us on B200, L40S and A100.
    assertTrue(borrowed >= 9, borrowed + " borrowed figures");
  }

  @Test
  void theB200TakesItsEpilogueAndLaunchCostsFromHopper() {
    for (MachineParam p : List.of(MachineParam.EPILOGUE_OPS, MachineParam.LAUNCH_US)) {
      assertTrue(BlackwellMachines.B200.sources().get(p).startsWith(BORROWED), p.key());
    }
  }
}

package org.tcsim.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FifoServerAndSpecTest {

  @Test
  void serverQueuesRequestsAtItsRate() {
    FifoServer s = new FifoServer(4); // 4 bytes per cycle
    assertEquals(10, s.serve(0, 40)); // 10 cycles
    assertEquals(15, s.serve(2, 20)); // waits until 10, then 5 cycles
    assertEquals(105, s.serve(100, 20)); // idle gap, then 5 cycles
    assertEquals(20, s.busyCycles());
    assertEquals(80, s.work());
  }

  static MachineSpec sample() {
    MachineSpec.Builder b = MachineSpec.builder("sample");
    for (MachineParam p : MachineParam.values()) {
      double v = switch (p) {
        case HW_BLOCK_SCALING -> 0;
        case FP32_BLOCK_SCALES, TMA_MULTICAST -> 1;
        case POWER_LIMIT_W -> 1000;
        case MMA_EFFICIENCY, HBM_EFFICIENCY, DATA_ACTIVITY, DATA_POWER_SHARE -> 0.5;
        default -> 2;
      };
      b.set(p, v, "test");
    }
    return b.build();
  }

  @Test
  void overrideByNameChangesOnlyThatParameter() {
    MachineSpec base = sample();
    MachineSpec changed = base.withAssignment("sms=160").with("hbm_tbps", 6);
    assertEquals(160, changed.getInt(MachineParam.SMS));
    assertEquals(6, changed.get(MachineParam.HBM_TBPS));
    assertEquals("override", changed.sources().get(MachineParam.SMS));
    for (MachineParam p : MachineParam.values()) {
      if (p != MachineParam.SMS && p != MachineParam.HBM_TBPS) {
        assertEquals(base.get(p), changed.get(p), p.key());
      }
    }
  }

  @Test
  void badOverridesAreNamed() {
    MachineSpec base = sample();
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> base.withAssignment("hbm=6"));
    assertTrue(unknown.getMessage().contains("'hbm'") && unknown.getMessage().contains("hbm_tbps"));
    IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
        () -> base.withAssignment("sms=many"));
    assertTrue(notNumber.getMessage().contains("sms") && notNumber.getMessage().contains("many"));
    assertThrows(IllegalArgumentException.class, () -> base.with("sms", 1.5));
    assertThrows(IllegalArgumentException.class, () -> base.with("hbm_efficiency", 1.5));
    assertThrows(IllegalArgumentException.class, () -> base.withAssignment("sms"));
  }

  @Test
  void missingParameterIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MachineSpec.builder("empty").set(MachineParam.SMS, 1, "x").build());
    assertTrue(e.getMessage().contains("clock_ghz"), e.getMessage());
  }
}

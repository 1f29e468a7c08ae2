package org.tcsim.h100;

import org.junit.jupiter.api.Test;
import org.tcsim.core.timing.GemmProblem;
import org.tcsim.core.timing.GemmTimingModel;
import org.tcsim.core.timing.MachineSpec;
import org.tcsim.core.timing.TimingResult;

class CalibrationProbe {
  @Test
  void probe() throws Exception {
    MachineSpec spec = HopperMachines.H800;
    String sets = System.getProperty("probe.set", "");
    for (String a : sets.split(";")) if (!a.isBlank()) spec = spec.withAssignment(a);
    double sum = 0; int n = 0;
    for (CalibrationTable.Row row : CalibrationTable.load()) {
      TimingResult r = GemmTimingModel.predict(spec, GemmProblem.fp8(row.m(), row.n(), row.k(), 1));
      double err = Math.abs(r.tflops() - row.tflops()) / row.tflops();
      sum += err; n++;
      System.out.printf("%5d %6d %6d meas %6.0f pred %6.0f err %+5.1f%% %s st%d cl%s %s mma %.2f cuda %.2f l2 %.2f hbm %.2f waves %d last %d%n",
          row.m(), row.n(), row.k(), row.tflops(), r.tflops(), 100 * (r.tflops() - row.tflops()) / row.tflops(),
          r.config().tileText(), r.config().stages(), r.config().clusterText(), r.bound().label(),
          r.utilisation().get(org.tcsim.core.timing.Unit.MMA), r.utilisation().get(org.tcsim.core.timing.Unit.CUDA_CORES),
          r.utilisation().get(org.tcsim.core.timing.Unit.L2), r.utilisation().get(org.tcsim.core.timing.Unit.HBM), r.waves(), r.lastWaveTiles());
    }
    System.out.printf("MAPE %.2f%%%n", 100 * sum / n);
  }
}

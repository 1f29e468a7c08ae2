package org.tcsim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.TileHeuristic;
import org.tcsim.h100.HopperMachines;

/**
 * Cost of the discrete-event timing model for a 4096x7168x16384 FP8 GEMM on 132 SMs (the issue's
 * speed target: well under a second), against a baseline in the same run: the closed-form roofline
 * (max of MMA time and compulsory HBM time) the event model replaces.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TimingBench {
  private final MachineSpec h800 = HopperMachines.H800;
  private final GemmProblem large = GemmProblem.fp8(4096, 7168, 16384, 1);
  private final GemmProblem small = GemmProblem.fp8(64, 2112, 7168, 1);

  @Benchmark
  public double baselineRoofline() {
    double mmaUs = large.flops() / (h800.peakTflops() * 1e12) * 1e6;
    double hbmUs = large.minimumBytes() / (h800.get(MachineParam.HBM_TBPS) * 1e12) * 1e6;
    return Math.max(mmaUs, hbmUs) + TileHeuristic.choose(h800, large).stages();
  }

  @Benchmark
  public double eventModel4096x7168x16384() {
    return GemmTimingModel.predict(h800, large).microseconds();
  }

  @Benchmark
  public double eventModel64x2112x7168() {
    return GemmTimingModel.predict(h800, small).microseconds();
  }
}

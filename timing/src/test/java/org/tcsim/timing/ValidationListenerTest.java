package org.tcsim.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tcsim.timing.validate.CrossValidation;
import org.tcsim.timing.validate.MeasuredGemm;
import org.tcsim.timing.validate.TimingFit;
import org.tcsim.timing.validate.Validation;
import org.tcsim.timing.validate.ValidationListener;

/** What a validation, a fit and a cross-validation tell their listener: what a progress line shows. */
class ValidationListenerTest {

  /** Counts what it is told; steps as "step/steps what". */
  private static final class Recorder implements ValidationListener {
    final AtomicInteger announced = new AtomicInteger();
    final AtomicInteger predicted = new AtomicInteger();
    final List<String> steps = new ArrayList<>();

    @Override
    public void predicting(int predictions) {
      announced.addAndGet(predictions);
    }

    @Override
    public void predicted() {
      predicted.incrementAndGet();
    }

    @Override
    public synchronized void step(int step, int steps, String what) {
      this.steps.add(step + "/" + steps + " " + what);
    }
  }

  /** A small Hopper-like GPU (16 SMs) whose L2 figure is the one a fit owns. */
  static MachineSpec fitted() {
    MachineSpec s = FifoServerAndSpecTest.sample().renamed("g");
    for (String a : List.of("sms=16", "clock_ghz=1.8", "max_clock_ghz=1.8", "mma_flops_per_clk=8192", "mma_efficiency=1", "mma_k=32",
        "mma_cta_group=1", "accum_buffers=1", "cuda_fp32_lanes=128", "promote_ops=1", "epilogue_ops=20",
        "math_regs=192", "smem_kb=227", "max_stages=8", "sync_cycles=30", "l2_mb=50", "l2_latency=260",
        "hbm_tbps=3", "hbm_efficiency=0.9", "hbm_latency=480", "tma_latency=170", "launch_us=2",
        "power_limit_w=700", "static_power_w=150", "mma_power_w=6", "data_activity=1")) {
      s = s.withAssignment(a);
    }
    return s.with(MachineParam.L2_TBPS, 7, CrossValidation.FITTED_TAG + " over test rows");
  }

  private static MeasuredGemm row(int line, int m, String source) {
    return new MeasuredGemm(line, "g", GemmProblem.fp8(m, 256, 256, 1), 100, source, "", Map.of());
  }

  @Test
  void aValidationAnnouncesAndCountsEachDistinctPrediction() {
    // the same shape twice (two sources measured it) is simulated once
    List<MeasuredGemm> rows = List.of(row(2, 128, "a"), row(3, 256, "a"), row(4, 128, "b"));
    Recorder r = new Recorder();
    List<Validation.Prediction> p = Validation.predict(rows, name -> fitted(), "test", r);
    assertEquals(3, p.size());
    assertEquals(2, r.announced.get());
    assertEquals(2, r.predicted.get());
    assertEquals(List.of(), r.steps);
  }

  @Test
  void aFitTellsEveryPredictionItsDescentMakes() {
    List<MeasuredGemm> rows = List.of(row(2, 128, "a"), row(3, 512, "a"));
    Recorder r = new Recorder();
    Function<String, MachineSpec> machines = name -> fitted();
    TimingFit.fit(rows, machines, java.util.Set.of("g"), List.of(MachineParam.L2_TBPS), r);
    assertEquals(r.announced.get(), r.predicted.get());
    // at least the starting point and one trial step each way
    assertEquals(0, r.predicted.get() % 2);
    assertEquals(true, r.predicted.get() >= 6, "predictions " + r.predicted.get());
  }

  @Test
  void aCrossValidationIsOneStepPerSourceHeldOut() {
    List<MeasuredGemm> rows = List.of(row(2, 128, "src-a"), row(3, 512, "src-b"), row(4, 384, "src-c"));
    Recorder r = new Recorder();
    CrossValidation.Result cv = CrossValidation.run(rows, name -> fitted(), r);
    assertEquals(3, cv.heldOut().size());
    assertEquals(List.of("1/3 held out src-a", "2/3 held out src-b", "3/3 held out src-c"), r.steps);
    assertEquals(r.announced.get(), r.predicted.get());
  }
}

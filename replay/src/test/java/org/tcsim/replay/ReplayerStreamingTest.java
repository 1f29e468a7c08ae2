package org.tcsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.OperandData;
import org.tcsim.traces.trace.Scaling;

class ReplayerStreamingTest {

  /** A trace of {@code count} tiny GEMMs made on demand: nothing holds the whole trace. */
  private static Iterator<GemmSpec> tinyTrace(int count) {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < count;
      }

      @Override
      public GemmSpec next() {
        int x = i++;
        return GemmSpec.builder("g" + x, x % 3 == 0 ? "b200" : "h100", 4 + x % 5, 8, 32)
            .scaling(Scaling.both(ScaleMode.SCALAR_32F)).outFormat(FpFormat.BF16)
            .data(new OperandData.Seeded(x)).build();
      }
    };
  }

  @Test
  void aHugeThreadCountStillReplaysEveryGemmInOrder() {
    // Regression (found by ReplayInputsFuzzTest): 2 * Integer.MAX_VALUE overflowed the window size.
    AtomicInteger next = new AtomicInteger();
    Replayer r = new Replayer(Replayer.Options.defaults().withThreads(Integer.MAX_VALUE)
        .withAccuracySample(4));
    ReplayTotals t = r.run(tinyTrace(5), x -> assertEquals(next.getAndIncrement(), x.index()));
    assertEquals(5, t.gemms());
    assertEquals(5, t.simulated());
  }

  @Test
  void tenThousandGemmsStreamInOrderWithoutKeepingResults() {
    AtomicInteger next = new AtomicInteger();
    AtomicLong elements = new AtomicLong();
    Replayer r = new Replayer(Replayer.Options.defaults().withThreads(2).withAccuracySample(4));
    ReplayTotals t = r.run(tinyTrace(10_000), x -> {
      // In trace order, each one simulated; only counters survive the consumer.
      assertEquals(next.getAndIncrement(), x.index());
      assertEquals(ReplayResult.Status.SIMULATED, x.status(), x.message());
      elements.addAndGet(x.accuracy().total());
    });
    assertEquals(10_000, next.get());
    assertEquals(10_000, t.gemms());
    assertEquals(10_000, t.simulated());
    long expected = 0;
    for (int x = 0; x < 10_000; x++) {
      expected += (4 + x % 5) * 8L;
    }
    assertEquals(expected, elements.get());
    assertEquals(0, t.exitStatus(false));
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    List<String> one = new ArrayList<>();
    List<String> two = new ArrayList<>();
    new Replayer(Replayer.Options.defaults().withThreads(1).withAccuracySample(16))
        .run(tinyTrace(50), x -> one.add(fingerprint(x)));
    new Replayer(Replayer.Options.defaults().withThreads(2).withAccuracySample(16))
        .run(tinyTrace(50), x -> two.add(fingerprint(x)));
    assertEquals(one, two);
  }

  @Test
  void aLargeGemmRunsOnAllThreadsAndMatchesTheSmallPath() {
    // 256 x 256 x 1024 = 2^26 MACs: the large path (all threads inside one GEMM) ...
    GemmSpec big = GemmSpec.builder("big", "h100", 256, 256, 1024).build();
    assertTrue(256L * 256 * 1024 >= Replayer.LARGE_MACS);
    List<String> threaded = new ArrayList<>();
    new Replayer(Replayer.Options.defaults().withThreads(2).withAccuracySample(64))
        .run(List.of(big).iterator(), x -> threaded.add(fingerprint(x)));
    // ... gives what one thread gives.
    List<String> single = new ArrayList<>();
    new Replayer(Replayer.Options.defaults().withThreads(1).withAccuracySample(64))
        .run(List.of(big).iterator(), x -> single.add(fingerprint(x)));
    assertEquals(single, threaded);
  }

  @Test
  void rowLimitComputesTheFirstRowsOnly() {
    GemmSpec spec = GemmSpec.builder("x", "h100", 300, 16, 64).build();
    List<ReplayResult> out = new ArrayList<>();
    new Replayer(Replayer.Options.defaults().withRowLimit(10)).run(List.of(spec).iterator(),
        out::add);
    assertEquals(ReplayResult.Status.SIMULATED, out.get(0).status(), out.get(0).message());
    assertEquals(10, out.get(0).rowsComputed());
    assertEquals(10 * 16, out.get(0).accuracy().total());
  }

  @Test
  void whatTheModelCannotRunIsSkippedWithAReason() {
    // CUTLASS has no rule against MX on Hopper, but the tensor cores have no such MMA.
    GemmSpec mx = GemmSpec.builder("mx", "h100", 8, 8, 64)
        .scaling(Scaling.both(ScaleMode.VEC32_UE8M0)).library(org.tcsim.gpu.Library.CUTLASS)
        .build();
    GemmSpec l40s = GemmSpec.builder("a", "l40s", 8, 8, 64).build();
    // cuBLASLt refuses it outright, naming its documentation.
    GemmSpec mxCublas = GemmSpec.builder("mx-cublaslt", "h100", 8, 8, 64)
        .scaling(Scaling.both(ScaleMode.VEC32_UE8M0)).build();
    List<ReplayResult> out = new ArrayList<>();
    ReplayTotals t = new Replayer(Replayer.Options.defaults()).run(
        List.of(mx, l40s, mxCublas).iterator(), out::add);
    assertEquals(ReplayResult.Status.SKIPPED, out.get(0).status());
    assertTrue(out.get(0).message().contains("h100 cannot run the mxfp8 recipe"),
        out.get(0).message());
    // Hopper's wgmma takes no scale operands: the timing model refuses MXFP8 there, with the reason.
    assertTrue(out.get(0).timing() == null, "MXFP8 timed on a Hopper part");
    assertTrue(out.get(0).timingNote().contains("no hardware block scaling"), out.get(0).timingNote());
    assertEquals(ReplayResult.Status.SKIPPED, out.get(2).status());
    assertTrue(out.get(2).message().contains("compute capability 10.0 or later")
        && out.get(2).message().contains("cuBLAS documentation"), out.get(2).message());
    // Beside them, an Ada GEMM has its bits computed and, from machines/l40s.machine, its time.
    assertEquals(ReplayResult.Status.SIMULATED, out.get(1).status(), out.get(1).message());
    assertTrue(out.get(1).timing() != null && out.get(1).timing().machine().equals("l40s"),
        out.get(1).timingNote());
    assertEquals(2, t.skipped());
    assertEquals(0, t.exitStatus(false));
  }

  /** A replay whose every GEMM was skipped computed nothing: it fails, golden data or not. */
  @Test
  void aReplayThatSimulatedNothingFails() {
    GemmSpec mxCublas = GemmSpec.builder("mx-cublaslt", "h100", 8, 8, 64)
        .scaling(Scaling.both(ScaleMode.VEC32_UE8M0)).build();
    ReplayTotals t = new Replayer(Replayer.Options.defaults()).run(List.of(mxCublas).iterator(), x -> { });
    assertEquals(1, t.skipped());
    assertEquals(0, t.simulated());
    assertEquals(1, t.exitStatus(false));
    assertEquals(1, t.exitStatus(true));
  }

  @Test
  void anUnknownGpuIsRefusedWhenTheSpecIsMadeNotSkipped() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> GemmSpec.builder("u", "tpu", 8, 8, 64).build());
    assertTrue(e.getMessage().contains("unknown GPU 'tpu'; known: h100"), e.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Replayer.Options.defaults().withGpu("tpu"));
  }

  private static String fingerprint(ReplayResult x) {
    return x.index() + " " + x.status() + " " + x.amaxD() + " "
        + x.accuracy().maxRelativeError() + " " + x.accuracy().meanRelativeError() + " "
        + java.util.Arrays.toString(x.accuracy().ulpHistogram()) + " " + x.microseconds();
  }
}

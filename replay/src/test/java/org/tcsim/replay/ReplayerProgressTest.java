package org.tcsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.OperandData;

/** The progress a replay tells: in multiply-adds, band by band, adding up to the whole trace. */
class ReplayerProgressTest {

  // 64x64x64 and 256x256x1024 multiply-adds, counted by hand.
  private static final long TINY = 64L * 64 * 64;
  private static final long BIG = 256L * 256 * 1024;

  private static final class Recorder implements ReplayBackend.Progress {
    final AtomicLong done = new AtomicLong();
    final List<Long> seen = new ArrayList<>();
    final List<String> prepared = new ArrayList<>();

    @Override
    public void start(long units) {
      throw new AssertionError("the caller starts the progress, not the replay");
    }

    @Override
    public synchronized void advance(long units, String what) {
      assertTrue(units > 0, "only forward: " + units + " for " + what);
      seen.add(done.addAndGet(units));
    }

    @Override
    public synchronized void preparing(String what) {
      prepared.add(what + "@" + done.get());
    }
  }

  private static List<GemmSpec> tinyThenBig() {
    return List.of(
        GemmSpec.builder("tiny", "h100", 64, 64, 64).data(new OperandData.Seeded(1)).build(),
        GemmSpec.builder("big", "h100", 256, 256, 1024).data(new OperandData.Seeded(2)).build());
  }

  @Test
  void progressIsWeightedByMultiplyAddsAndAdvancesInsideALongGemm() {
    Recorder p = new Recorder();
    List<Long> afterResult = new ArrayList<>();
    // Bands of 128 rows, each of two 64-row tiles of D: the big GEMM is told tile by tile.
    Replayer r = new Replayer(Replayer.Options.defaults().withThreads(1).withAccuracySample(8), 128);
    r.run(tinyThenBig().iterator(), result -> afterResult.add(p.done.get()), p);
    double total = TINY + BIG;
    assertEquals(List.of(TINY, TINY + BIG / 4, TINY + BIG / 2, TINY + 3 * BIG / 4, TINY + BIG), p.seen);
    // each GEMM's operands are announced before its first multiply-add
    assertEquals(List.of("tiny@0", "big@" + TINY), p.prepared);
    // After the tiny GEMM the bar has hardly moved (0.4%), however many GEMMs are done.
    assertEquals(TINY, afterResult.get(0));
    assertTrue(afterResult.get(0) / total < 0.01);
    assertEquals(TINY + BIG, afterResult.get(1), "ends exactly at the total");
  }

  @Test
  void everyGemmAddsUpToItsMultiplyAddsOnAnyThreadCountEvenWhenSkipped() {
    Recorder p = new Recorder();
    List<GemmSpec> specs = new ArrayList<>(tinyThenBig());
    // An MMA the A100 cannot do (FP8): skipped, yet its share of the bar is done.
    specs.add(GemmSpec.builder("skipped", "a100", 128, 64, 64).build());
    Replayer r = new Replayer(Replayer.Options.defaults().withThreads(2).withAccuracySample(8)
        .withRowLimit(128), 128);
    ReplayTotals t = r.run(specs.iterator(), x -> { }, p);
    assertEquals(1, t.skipped());
    List<Long> seen = p.seen;
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i) > seen.get(i - 1), "monotone: " + seen);
    }
    // --rows 128: the big GEMM weighs its first 128 rows only.
    assertEquals(TINY + 128L * 256 * 1024 + 128L * 64 * 64, seen.get(seen.size() - 1));
  }
}

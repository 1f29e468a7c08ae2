package org.tcsim.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.core.InputFormatException;
import org.tcsim.replay.ReplayBackend;
import org.tcsim.replay.ReplayFingerprint;
import org.tcsim.replay.ReplayResult;
import org.tcsim.replay.ReplayTotals;
import org.tcsim.replay.Replayer;
import org.tcsim.traces.trace.TraceReader;

/** The Spark replay against the local one, on one embedded {@code local[2,2]} Spark. */
class SparkReplayTest {

  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = LocalSpark.start("SparkReplayTest");
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private static Replayer.Options options(Path dir) throws IOException {
    return Replayer.Options.defaults().withThreads(1).withAccuracySample(40)
        .withGolden(TestTraces.golden(dir)).withTraceDir(dir);
  }

  private static List<String> local(Path trace, Replayer.Options options) throws IOException {
    List<String> out = new ArrayList<>();
    try (TraceReader r = TraceReader.open(trace)) {
      new Replayer(options, 128).run(r, x -> out.add(ReplayFingerprint.of(x)));
    }
    return out;
  }

  private static List<ReplayResult> spark(SparkReplay replay, Path trace, Path dir,
      Replayer.Options options, ReplayBackend.Progress progress) throws IOException {
    List<ReplayResult> out = new ArrayList<>();
    replay.run(SparkReplay.TraceText.of(trace), dir.resolve("golden"), options,
        out::add, progress);
    return out;
  }

  private static List<String> fingerprints(List<ReplayResult> results) {
    return results.stream().map(ReplayFingerprint::of).toList();
  }

  @Test
  void theSameResultsAsTheLocalReplayForAnyPartitioning(@TempDir Path dir) throws IOException {
    Path trace = TestTraces.mixed(dir);
    Replayer.Options options = options(dir);
    List<String> expected = local(trace, options);
    // The local replay itself: bands of 128 rows, a skip, a mismatch found in two bands.
    assertTrue(expected.get(3).contains("SKIPPED"), expected.get(3));
    assertTrue(expected.get(5).contains("MISMATCHED") && expected.get(5).contains("2400/2398"),
        expected.get(5));
    int previousTasks = -1;
    // One unit per task, a few units per task, everything in one task.
    for (long taskMacs : new long[] {1, 400_000, Long.MAX_VALUE}) {
      SparkReplay replay = new SparkReplay(sc, new SparkReplay.Settings(128, taskMacs));
      List<ReplayResult> results = spark(replay, trace, dir, options, ReplayBackend.Progress.NONE);
      assertEquals(expected, fingerprints(results), "tasks of " + taskMacs + " MACs");
      assertTrue(replay.lastTasks() != previousTasks, "another partitioning");
      previousTasks = replay.lastTasks();
    }
    assertEquals(1, previousTasks);
  }

  @Test
  void executorsReadDataFilesThroughHadoopFileSystems(@TempDir Path dir) throws IOException {
    Path trace = TestTraces.viaHadoop(dir);
    SparkReplay replay = new SparkReplay(sc, new SparkReplay.Settings(128, 1));
    List<ReplayResult> results = spark(replay, trace, dir, options(dir),
        ReplayBackend.Progress.NONE);
    assertEquals(ReplayResult.Status.SIMULATED, results.get(1).status(), results.get(1).message());
    // The same numbers from the file:// URIs as from the plain paths (the specs differ only in
    // their index and data paths).
    ReplayResult fromUri = results.get(1);
    ReplayResult sameSpec = new ReplayResult(0, results.get(0).spec(), fromUri.status(),
        fromUri.message(), fromUri.preset(), fromUri.kernel(), fromUri.rowsComputed(),
        fromUri.accuracy(), fromUri.amaxD(), fromUri.golden(), fromUri.timing(),
        fromUri.timingNote(), 0);
    assertEquals(ReplayFingerprint.of(results.get(0)), ReplayFingerprint.of(sameSpec));
  }

  /** Fails the first attempt of every other task; Spark runs it again. */
  static final class FailingFirstAttempt extends UnitRunner {
    private static final long serialVersionUID = 1L;

    FailingFirstAttempt(Broadcast<ReplayJob> job) {
      super(job);
    }

    @Override
    public List<Outcome> call(List<Unit> units) {
      TaskContext t = TaskContext.get();
      if (t.attemptNumber() == 0 && t.partitionId() % 2 == 0) {
        throw new IllegalStateException("injected failure of partition " + t.partitionId());
      }
      return super.call(units);
    }
  }

  @Test
  void aTaskThatFailsIsRetriedAndCountedOnce(@TempDir Path dir) throws IOException {
    Path trace = TestTraces.mixed(dir);
    Replayer.Options options = options(dir);
    List<String> expected = local(trace, options);
    SparkReplay replay = new SparkReplay(sc, new SparkReplay.Settings(128, 1),
        FailingFirstAttempt::new);
    AtomicLong started = new AtomicLong();
    AtomicLong advanced = new AtomicLong();
    List<ReplayResult> results = spark(replay, trace, dir, options, new ReplayBackend.Progress() {
      @Override
      public void start(long units) {
        started.set(units);
      }

      @Override
      public void advance(long units, String what) {
        advanced.addAndGet(units);
      }
    });
    assertEquals(expected, fingerprints(results));
    // Every other task failed once ...
    assertEquals((replay.lastTasks() + 1) / 2, replay.lastFailedAttempts());
    // ... and each unit counts once: in the results, in the outcomes and in the progress (in
    // multiply-adds).
    long units = replay.lastOutcomes().size();
    assertEquals(replay.lastTasks(), units, "one unit per task");
    long macs = replay.lastOutcomes().stream().mapToLong(o -> o.unit().macs()).sum();
    assertTrue(macs > units, "weighted by multiply-adds, not counted: " + macs);
    assertEquals(macs, started.get());
    assertEquals(macs, advanced.get());
    ReplayTotals again = new ReplayTotals();
    results.forEach(again::add);
    assertEquals(6, again.gemms());
    assertEquals(1, again.skipped());
  }

  @Test
  void aBadTraceIsRefusedBeforeAnyJobStarts(@TempDir Path dir) throws IOException {
    Path trace = dir.resolve("bad.csv");
    Files.writeString(trace, TestTraces.HEADER
        + "ok,h100,64,64,128,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,1,0,1,,,t\n"
        + "bad,h100,64,-3,128,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,1,0,2,,,t\n");
    AtomicInteger jobs = new AtomicInteger();
    SparkListener counter = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        jobs.incrementAndGet();
      }
    };
    sc.sc().addSparkListener(counter);
    try {
      SparkReplay replay = new SparkReplay(sc, SparkReplay.Settings.defaults());
      List<ReplayResult> out = new ArrayList<>();
      InputFormatException e = assertThrows(InputFormatException.class,
          () -> replay.run(SparkReplay.TraceText.of(trace), null,
              Replayer.Options.defaults(), out::add, ReplayBackend.Progress.NONE));
      assertTrue(e.getMessage().startsWith(trace + ":3"), e.getMessage());
      assertTrue(out.isEmpty(), "nothing replayed");
      sc.sc().listenerBus().waitUntilEmpty(10_000);
      assertEquals(0, jobs.get(), "no Spark job");
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    } finally {
      sc.sc().removeSparkListener(counter);
    }
  }

  @Test
  void aMissingDataFileStopsTheReplayAsLocally(@TempDir Path dir) throws IOException {
    Path trace = dir.resolve("missing.csv");
    Files.writeString(trace, TestTraces.HEADER
        + "ok,h100,64,64,128,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,1,0,1,,,t\n"
        + "gone,h100,64,8,32,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,1,0,,no_a.npy,no_b.npy,t\n");
    Replayer.Options options = Replayer.Options.defaults().withThreads(1).withTraceDir(dir);
    List<String> localRows = new ArrayList<>();
    UncheckedIOException local = assertThrows(UncheckedIOException.class, () -> {
      try (TraceReader r = TraceReader.open(trace)) {
        new Replayer(options).run(r, x -> localRows.add(ReplayFingerprint.of(x)));
      }
    });
    List<String> sparkRows = new ArrayList<>();
    UncheckedIOException remote = assertThrows(UncheckedIOException.class,
        () -> new SparkReplay(sc, SparkReplay.Settings.defaults()).run(
            SparkReplay.TraceText.of(trace), null, options,
            x -> sparkRows.add(ReplayFingerprint.of(x)), ReplayBackend.Progress.NONE));
    assertEquals(local.getMessage(), remote.getMessage());
    assertTrue(remote.getMessage().contains("no_a.npy"), remote.getMessage());
    assertEquals(localRows, sparkRows);
    assertEquals(1, sparkRows.size());
  }
}

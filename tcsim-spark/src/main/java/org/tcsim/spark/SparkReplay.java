package org.tcsim.spark;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.tcsim.replay.GemmPlan;
import org.tcsim.replay.ReplayBackend;
import org.tcsim.replay.ReplayResult;
import org.tcsim.replay.ReplayTotals;
import org.tcsim.replay.Replayer;
import org.tcsim.traces.trace.TraceWriter;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.TraceReader;

/**
 * The driver's side of a replay on Spark.
 *
 * <ol>
 *   <li>The whole trace is read and checked first: a bad row is refused before any job starts.
 *   <li>Each GEMM is planned as locally ({@link GemmPlan}); those settled without work (skipped,
 *       failed) need no executor. The others become units, one per (product, row band), packed
 *       in trace order into tasks of about {@link Settings#taskMacs} multiply-adds.
 *   <li>Executors get the trace and the settings once (a broadcast), rebuild the same plans,
 *       build or read operands themselves (never through the driver) and send back a
 *       {@link org.tcsim.replay.BandSummary} per unit.
 *   <li>The driver folds each GEMM's summaries in band order, exactly as the local replay does,
 *       and hands the results on in trace order: the same results for any partitioning and any
 *       number of executors.
 * </ol>
 */
public final class SparkReplay {

  /**
   * How work is cut.
   *
   * @param bandRows rows per band, a multiple of 128 (0: the local replay's default, about 32 MiB
   *     of D per band); bands of the same height as a local replay's give the same results
   * @param taskMacs multiply-adds per task, about: consecutive units are packed into one task
   *     until they reach it (a task holds at least one unit); 0: automatic, at most
   *     {@link #MAX_TASK_MACS} and small enough for {@link #TASKS_PER_CORE} tasks per core
   */
  public record Settings(int bandRows, long taskMacs) {
    public Settings {
      if (bandRows < 0 || bandRows % 128 != 0) {
        throw new IllegalArgumentException("band rows must be a multiple of 128, got "
            + bandRows);
      }
      if (taskMacs < 0) {
        throw new IllegalArgumentException("task size must be >= 0 multiply-adds (0: automatic)");
      }
    }

    /** Default bands, automatic task size. */
    public static Settings defaults() {
      return new Settings(0, 0);
    }

    /** The task size for {@code totalMacs} of work on {@code cores} cores. */
    long taskMacs(long totalMacs, int cores) {
      if (taskMacs > 0) {
        return taskMacs;
      }
      long spread = totalMacs / ((long) TASKS_PER_CORE * Math.max(1, cores));
      return Math.max(1, Math.min(MAX_TASK_MACS, spread));
    }
  }

  /**
   * Multiply-adds per task at most, when automatic: a few seconds of simulation per core, so
   * that a lost task costs little and the progress bar moves.
   */
  public static final long MAX_TASK_MACS = 1L << 31;

  /** Tasks per core at least, when automatic: enough for a slow core not to hold up the end. */
  public static final int TASKS_PER_CORE = 4;

  /**
   * The trace as executors get it: its GEMMs written as a native trace (every column filled in,
   * read back by the same reader into the same specs), its name, and the folder its relative
   * data paths point into.
   */
  record TraceText(String text, String source, String dir) {

    /**
     * The trace of {@code specs}, read here to the end: a bad one throws (naming its file and
     * line) before any job starts.
     */
    static TraceText of(Iterator<GemmSpec> specs, String source, Path dir) throws IOException {
      StringWriter text = new StringWriter();
      TraceWriter.write(text, List.of(), specs);
      return new TraceText(text.toString(), source, dir.toAbsolutePath().toString());
    }

    /** A native trace file. */
    static TraceText of(Path file) throws IOException {
      try (TraceReader r = TraceReader.open(file)) {
        return of(r, file.toString(), r.traceDir());
      }
    }
  }

  private final JavaSparkContext sc;
  private final Settings settings;
  private final Function<Broadcast<ReplayJob>, UnitRunner> runners;
  private int lastTasks;
  private int lastFailedAttempts;
  private final List<Outcome> lastOutcomes = new ArrayList<>();

  public SparkReplay(JavaSparkContext sc, Settings settings) {
    this(sc, settings, UnitRunner::new);
  }

  /** With another task body (tests inject failures). */
  SparkReplay(JavaSparkContext sc, Settings settings,
      Function<Broadcast<ReplayJob>, UnitRunner> runners) {
    this.sc = Objects.requireNonNull(sc, "sc");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.runners = runners;
  }

  /**
   * Replays a trace on the cluster, handing results to {@code sink} in trace order.
   *
   * @param golden the golden folder (a path every executor sees), or null
   * @param options gpu, sample and row limit; its golden cases must be those of {@code golden}
   */
  public ReplayTotals run(TraceText trace, Path golden, Replayer.Options options,
      Consumer<ReplayResult> sink, ReplayBackend.Progress progress) throws IOException {
    List<GemmSpec> specs = new ArrayList<>();
    try (TraceReader r = TraceReader.of(new StringReader(trace.text()), trace.source())) {
      r.forEachRemaining(specs::add); // what the executors will read
    }
    List<GemmPlan> plans = new ArrayList<>(specs.size());
    List<Unit> units = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      GemmPlan plan = GemmPlan.of(i, specs.get(i), options, settings.bandRows());
      plans.add(plan);
      for (int g = 0; g < plan.groups(); g++) {
        for (int b = 0; b < plan.bands(); b++) {
          int rows = Math.min(plan.bandRows(), plan.rows() - b * plan.bandRows());
          units.add(new Unit(i, g, b, (long) rows * plan.spec().n() * plan.spec().k()));
        }
      }
    }
    long total = units.stream().mapToLong(Unit::macs).sum();
    List<List<Unit>> tasks = pack(units, settings.taskMacs(total, sc.defaultParallelism()));
    progress.start(total); // in multiply-adds, as the local replay counts
    List<Outcome> outcomes = tasks.isEmpty() ? List.of() : compute(trace, golden, options, tasks,
        progress);
    lastOutcomes.clear();
    lastOutcomes.addAll(outcomes);
    return fold(plans, outcomes, sink);
  }

  /** Consecutive units packed into tasks of at least {@code taskMacs} multiply-adds each. */
  static List<List<Unit>> pack(List<Unit> units, long taskMacs) {
    List<List<Unit>> tasks = new ArrayList<>();
    List<Unit> current = new ArrayList<>();
    long macs = 0;
    for (Unit u : units) {
      current.add(u);
      macs += u.macs();
      if (macs >= taskMacs) {
        tasks.add(List.copyOf(current));
        current.clear();
        macs = 0;
      }
    }
    if (!current.isEmpty()) {
      tasks.add(List.copyOf(current));
    }
    return tasks;
  }

  private List<Outcome> compute(TraceText trace, Path golden, Replayer.Options options,
      List<List<Unit>> tasks, ReplayBackend.Progress progress) {
    String id = "tcsim-replay-" + UUID.randomUUID();
    ReplayJob job = new ReplayJob(id, trace.text(), trace.source(), trace.dir(),
        golden == null ? null : golden.toAbsolutePath().toString(), options.gpu(),
        options.accuracySample(), options.rowLimit(), settings.bandRows(),
        hadoopConf(sc.hadoopConfiguration()));
    Broadcast<ReplayJob> shared = sc.broadcast(job);
    long[] perTask = tasks.stream()
        .mapToLong(t -> t.stream().mapToLong(Unit::macs).sum()).toArray();
    ProgressListener listener = new ProgressListener(id, perTask, progress);
    sc.sc().addSparkListener(listener);
    try {
      sc.setJobGroup(id, "tcsim replay " + trace.source(), true);
      // One list of units per partition: a task is exactly one element.
      List<List<Outcome>> perPartition = sc.parallelize(tasks, tasks.size())
          .map(runners.apply(shared)).collect();
      waitForListener();
      List<Outcome> all = new ArrayList<>();
      perPartition.forEach(all::addAll);
      lastTasks = tasks.size();
      lastFailedAttempts = listener.failedAttempts();
      return all;
    } finally {
      sc.clearJobGroup();
      sc.sc().removeSparkListener(listener);
      shared.destroy();
    }
  }

  /** Lets the listener see the last task events, so that the bar ends full. */
  private void waitForListener() {
    try {
      sc.sc().listenerBus().waitUntilEmpty(10_000);
    } catch (java.util.concurrent.TimeoutException e) {
      // progress only: the results are complete
    }
  }

  private static Map<String, String> hadoopConf(Configuration c) {
    Map<String, String> m = new HashMap<>();
    c.forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  /**
   * Each GEMM's result, in trace order: settled ones as planned, the others folded from their
   * outcomes in (group, band) order, the first refusal making it skipped and the first bad
   * input stopping the replay, as in the local replay.
   */
  private static ReplayTotals fold(List<GemmPlan> plans, List<Outcome> outcomes,
      Consumer<ReplayResult> sink) {
    Map<Integer, List<Outcome>> byGemm = new HashMap<>();
    for (Outcome o : outcomes) {
      byGemm.computeIfAbsent(o.unit().gemm(), k -> new ArrayList<>()).add(o);
    }
    ReplayTotals totals = new ReplayTotals();
    for (GemmPlan plan : plans) {
      ReplayResult r = plan.settled();
      if (r == null) {
        List<Outcome> mine = byGemm.getOrDefault(plan.index(), List.of());
        mine.sort((x, y) -> x.unit().group() != y.unit().group()
            ? Integer.compare(x.unit().group(), y.unit().group())
            : Integer.compare(x.unit().band(), y.unit().band()));
        r = result(plan, mine);
      }
      totals.add(r);
      sink.accept(r);
    }
    return totals;
  }

  private static ReplayResult result(GemmPlan plan, List<Outcome> outcomes) {
    if (outcomes.size() != plan.groups() * plan.bands()) {
      throw new IllegalStateException("GEMM " + plan.index() + ": " + outcomes.size()
          + " band results for " + plan.groups() * plan.bands() + " bands");
    }
    GemmPlan.Fold fold = plan.fold();
    double seconds = 0;
    for (Outcome o : outcomes) {
      if (o.failure() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      if (o.failure() instanceof RuntimeException re) {
        throw re;
      }
      if (o.refusal() != null) {
        return plan.skipped(o.refusal());
      }
      fold.add(o.summary());
      seconds += o.seconds();
    }
    return fold.result(seconds);
  }

  /** Tasks of the last replay. */
  int lastTasks() {
    return lastTasks;
  }

  /** Failed task attempts of the last replay, each retried by Spark. */
  int lastFailedAttempts() {
    return lastFailedAttempts;
  }

  /** Every unit's outcome of the last replay, for measurements (per-unit times). */
  List<Outcome> lastOutcomes() {
    return List.copyOf(lastOutcomes);
  }
}

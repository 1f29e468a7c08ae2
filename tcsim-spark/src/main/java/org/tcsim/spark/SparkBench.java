package org.tcsim.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.tcsim.replay.GemmPlan;
import org.tcsim.replay.ReplayBackend;
import org.tcsim.replay.ReplayOperands;
import org.tcsim.replay.Replayer;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.OperandData;
import org.tcsim.traces.trace.Scaling;
import org.tcsim.traces.trace.TraceReader;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.core.format.FpFormat;

/**
 * The scaling benchmark behind the README's "Scale-out on Apache Spark" figures (run by
 * {@code tcsim-spark/bench.sh}): one trace replayed locally on 1 and 2 threads and on Spark
 * {@code local[1]} and {@code local[2]}, wall times and Spark's overhead; the per-unit costs
 * (simulation per multiply-add, operand building per input element, CPU time of one thread);
 * and from them a projection of a Llama-3-70B forward pass over 4096 tokens on 10 and 100
 * executors, by replaying Spark's FIFO task order on the cores of an imagined cluster.
 *
 * <p>Not a JMH benchmark: each configuration runs three times over seconds of work, after a
 * warm-up pass, and the best time is kept; Spark's times include scheduling and result
 * collection, and its context start is shown apart.
 */
public final class SparkBench {
  private SparkBench() {}

  private static final int REPEATS = 3;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /**
   * Arguments: {@code TRACE BAND_ROWS [CORES_PER_EXECUTOR]}, or {@code project NS_PER_MAC
   * NS_PER_ELEMENT TASK_SECONDS CORES_PER_EXECUTOR} for the projection alone from given costs.
   */
  public static void main(String[] args) throws Exception {
    if (args[0].equals("project")) {
      projections(Double.parseDouble(args[1]) * 1e-9, Double.parseDouble(args[2]) * 1e-9,
          Double.parseDouble(args[3]), Integer.parseInt(args[4]));
      return;
    }
    Path trace = Path.of(args[0]);
    int bandRows = Integer.parseInt(args[1]);
    int cores = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    Replayer.Options options = Replayer.Options.defaults().withAccuracySample(16)
        .withTraceDir(trace.toAbsolutePath().getParent());
    List<GemmSpec> specs = TraceReader.readAll(trace);
    long macs = 0;
    int units = 0;
    for (int i = 0; i < specs.size(); i++) {
      GemmPlan p = GemmPlan.of(i, specs.get(i), options, bandRows);
      macs += specs.get(i).m() * specs.get(i).n() * specs.get(i).k() * specs.get(i).groups();
      units += p.groups() * p.bands();
    }
    System.out.printf(Locale.ROOT, "trace %s: %d GEMMs, %.3g MACs, %d units of %d rows%n",
        trace, specs.size(), (double) macs, units, bandRows);

    // Per-unit costs on one thread (CPU time, not disturbed by other processes).
    double[] costs = unitCosts(specs, options, bandRows);
    double secondsPerMac = costs[0];
    double secondsPerElement = costs[1];
    System.out.printf(Locale.ROOT, "per unit, one thread: %.3g ns CPU per multiply-add "
        + "(%.3g GMAC/s), operands %.3g ns CPU per input element%n", secondsPerMac * 1e9,
        1e-9 / secondsPerMac, secondsPerElement * 1e9);

    // Each configuration three times, the best time kept (this machine is shared: the minimum
    // is the run least disturbed by others), and each Spark run right after the local run with
    // as many threads, so that the two see the same load.
    double[] spark1 = spark(trace, options, bandRows, 1);
    double[] spark2 = spark(trace, options, bandRows, 2);
    double local1 = spark1[3];
    double local2 = spark2[3];
    System.out.printf(Locale.ROOT, "%-16s %10s %10s %12s%n", "run (best of " + REPEATS + ")",
        "wall (s)", "speed-up", "overhead (s)");
    System.out.printf(Locale.ROOT, "%-16s %10.2f %10.2f %12s%n", "local, 1 thread", local1, 1.0,
        "-");
    System.out.printf(Locale.ROOT, "%-16s %10.2f %10.2f %12s%n", "local, 2 threads", local2,
        local1 / local2, "-");
    System.out.printf(Locale.ROOT, "%-16s %10.2f %10.2f %12.2f  (+ context start %.2f s, %d "
        + "tasks)%n", "spark local[1]", spark1[1], local1 / spark1[1], spark1[1] - local1,
        spark1[0], (int) spark1[2]);
    System.out.printf(Locale.ROOT, "%-16s %10.2f %10.2f %12.2f  (+ context start %.2f s, %d "
        + "tasks)%n", "spark local[2]", spark2[1], local1 / spark2[1], spark2[1] - local2,
        spark2[0], (int) spark2[2]);
    double perTask = Math.max(0, (spark1[1] - local1) / spark1[2]);
    System.out.printf(Locale.ROOT, "overhead per task ((local[1] job - local replay) / tasks): "
        + "%.3f s%n", perTask);

    System.out.println();
    projections(secondsPerMac, secondsPerElement, perTask, cores);
  }

  private static void projections(double secondsPerMac, double secondsPerElement,
      double perTask, int cores) {
    List<GemmSpec> llama = llama3_70b(4096);
    double macs = macs(llama);
    System.out.printf(Locale.ROOT, "Llama-3-70B forward pass, 4096 tokens: %.4g MACs, %.1f "
        + "core-hours of simulation at %.3g ns per MAC%n", macs, macs * secondsPerMac / 3600,
        secondsPerMac * 1e9);
    for (int executors : new int[] {1, 10, 100}) {
      double t = project(llama, executors, cores, secondsPerMac, secondsPerElement, perTask);
      System.out.printf(Locale.ROOT, "projection: %3d executors x %d cores: %.2f hours (%.0f "
          + "min)%n", executors, cores, t / 3600, t / 60);
    }
  }

  /** Seconds of CPU per multiply-add (bands) and per input element (operands), one thread. */
  static double[] unitCosts(List<GemmSpec> specs, Replayer.Options options, int bandRows)
      throws IOException {
    double bandCpu = 0;
    double buildCpu = 0;
    double bandMacs = 0;
    double elements = 0;
    for (int i = 0; i < specs.size(); i++) {
      GemmSpec s = specs.get(i);
      GemmPlan plan = GemmPlan.of(i, s, options, bandRows);
      for (int g = 0; g < plan.groups(); g++) {
        long c0 = CPU.getCurrentThreadCpuTime();
        ReplayOperands ops = Replayer.operands(s, null, g, options.traceDir());
        GemmPlan.Product p = plan.product(ops, g, 1);
        long c1 = CPU.getCurrentThreadCpuTime();
        for (int b = 0; b < p.bands(); b++) {
          p.band(b);
        }
        long c2 = CPU.getCurrentThreadCpuTime();
        buildCpu += (c1 - c0) / 1e9;
        bandCpu += (c2 - c1) / 1e9;
        elements += (double) s.k() * (s.m() + s.n());
        bandMacs += (double) plan.rows() * s.n() * s.k();
      }
    }
    return new double[] {bandCpu / bandMacs, buildCpu / elements};
  }

  private static double local(Path trace, Replayer.Options options, int bandRows)
      throws IOException {
    long t0 = System.nanoTime();
    try (TraceReader r = TraceReader.open(trace)) {
      new Replayer(options, bandRows).run(r, x -> { });
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Context start, best job seconds and tasks on {@code local[cores]}, and the best local replay
   * on {@code cores} threads, each run just before a Spark one.
   */
  private static double[] spark(Path trace, Replayer.Options options, int bandRows, int cores)
      throws IOException {
    long t0 = System.nanoTime();
    JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[" + cores + "]")
        .setAppName("tcsim bench").set("spark.ui.enabled", "false"));
    try {
      long t1 = System.nanoTime();
      SparkReplay replay = new SparkReplay(sc, new SparkReplay.Settings(bandRows, 0));
      double best = Double.MAX_VALUE;
      double bestLocal = Double.MAX_VALUE;
      for (int rep = 0; rep < REPEATS; rep++) {
        bestLocal = Math.min(bestLocal, local(trace, options.withThreads(cores), bandRows));
        long s0 = System.nanoTime();
        replay.run(SparkReplay.TraceText.of(trace), null, options, x -> { },
            ReplayBackend.Progress.NONE);
        best = Math.min(best, (System.nanoTime() - s0) / 1e9);
      }
      StringBuilder each = new StringBuilder();
      for (Outcome o : replay.lastOutcomes()) {
        each.append(String.format(Locale.ROOT, " %d.%d:%.2f", o.unit().gemm(), o.unit().band(),
            o.seconds()));
      }
      System.out.printf(Locale.ROOT, "spark local[%d] unit wall seconds (gemm.band:s):%s%n",
          cores, each);
      double[] unitSeconds = replay.lastOutcomes().stream().mapToDouble(Outcome::seconds)
          .sorted().toArray();
      System.out.printf(Locale.ROOT, "spark local[%d]: %d units, unit wall seconds min %.2f "
          + "median %.2f max %.2f%n", cores, unitSeconds.length, unitSeconds[0],
          unitSeconds[unitSeconds.length / 2], unitSeconds[unitSeconds.length - 1]);
      return new double[] {(t1 - t0) / 1e9, best, replay.lastTasks(), bestLocal};
    } finally {
      sc.stop();
    }
  }

  /**
   * Wall seconds of a replay of {@code specs} on {@code executors} x {@code cores} cores: the
   * units in Spark's order (trace order, FIFO), each to the core free first; a unit costs its
   * multiply-adds, plus its product's operands the first time its executor meets that product
   * (executors cache operands), plus the per-task overhead.
   */
  static double project(List<GemmSpec> specs, int executors, int cores, double secondsPerMac,
      double secondsPerElement, double perTask) {
    Replayer.Options options = Replayer.Options.defaults();
    double[] free = new double[executors * cores];
    List<Set<Long>> built = new ArrayList<>();
    for (int e = 0; e < executors; e++) {
      built.add(new HashSet<>());
    }
    for (int i = 0; i < specs.size(); i++) {
      GemmSpec s = specs.get(i);
      GemmPlan plan = GemmPlan.of(i, s, options, 0);
      for (int g = 0; g < plan.groups(); g++) {
        for (int b = 0; b < plan.bands(); b++) {
          int core = 0;
          for (int c = 1; c < free.length; c++) {
            if (free[c] < free[core]) {
              core = c;
            }
          }
          long rows = Math.min(plan.bandRows(), plan.rows() - (long) b * plan.bandRows());
          double t = rows * s.n() * s.k() * secondsPerMac + perTask;
          if (built.get(core / cores).add(((long) i << 32) | g)) {
            t += (double) s.k() * (s.m() + s.n()) * secondsPerElement;
          }
          free[core] += t;
        }
      }
    }
    return Arrays.stream(free).max().orElse(0);
  }

  /**
   * The GEMMs of a Llama-3-70B forward pass over {@code tokens} tokens (meta-llama/Meta-Llama-3-70B
   * config.json: hidden 8192, 80 layers, 64 heads and 8 KV heads of 128, intermediate 28672,
   * vocabulary 128256): per layer q, k, v, o, gate, up, down; then the LM head. FP8 E4M3 with
   * per-tensor scales, BF16 out, on H100. Attention's own products (QK^T, PV) are not weight GEMMs
   * and are left out.
   */
  static List<GemmSpec> llama3_70b(int tokens) {
    long[][] layer = {{8192, 8192}, {1024, 8192}, {1024, 8192}, {8192, 8192}, {28672, 8192},
        {28672, 8192}, {8192, 28672}};
    List<GemmSpec> out = new ArrayList<>();
    int seed = 0;
    for (int l = 0; l < 80; l++) {
      for (long[] nk : layer) {
        out.add(spec("l" + l + "." + seed, tokens, nk[0], nk[1], seed++));
      }
    }
    out.add(spec("lm_head", tokens, 128256, 8192, seed));
    return out;
  }

  private static GemmSpec spec(String name, long m, long n, long k, long seed) {
    return GemmSpec.builder(name, "h100", m, n, k).scaling(Scaling.both(ScaleMode.SCALAR_32F))
        .outFormat(FpFormat.BF16).data(new OperandData.Seeded(seed)).build();
  }

  /** For tests: the projection's multiply-adds of the 70B pass. */
  static double macs(List<GemmSpec> specs) {
    return specs.stream().mapToDouble(s -> (double) s.m() * s.n() * s.k() * s.groups()).sum();
  }
}

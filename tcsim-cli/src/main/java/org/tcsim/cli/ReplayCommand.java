package org.tcsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.golden.gemm.GoldenGemmFolder;
import org.tcsim.replay.Mismatch;
import org.tcsim.replay.ReplayBackend;
import org.tcsim.reports.ReplayJson;
import org.tcsim.reports.ReplayReport;
import org.tcsim.replay.ReplayResult;
import org.tcsim.replay.ReplayTable;
import org.tcsim.replay.ReplayTotals;
import org.tcsim.replay.Replayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tcsim replay TRACE}: every GEMM of a trace bit for bit on the simulated tensor cores and
 * through the timing model, compared with golden outputs where they exist. Streams: one table row
 * per GEMM as it finishes, nothing of D kept.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {
        "Replay the GEMMs of a trace on the simulated hardware: bit-exact numerics (error against "
            + "the exact product on a sample of elements) and predicted time, compared bit for "
            + "bit with golden outputs (--golden) where a case has the GEMM's name.",
        "TRACE is a trace file, a cuBLASLt log (CUBLASLT_LOG_LEVEL=2), a CUTLASS profiler CSV "
            + "(both told apart from their first lines) or the name of a bundled example ("
            + "llama3_8b_layer, mixtral_8x7b_layer, deepseek_v3_dense)."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {"0:replayed (and every golden comparison bit-exact)",
        "1:a golden comparison failed, --golden was given and nothing could be compared, or no GEMM"
            + " could be simulated (every one skipped)",
        "2:bad input or usage (a malformed or missing trace, log or golden folder, bad .npy "
            + "operands, bad option)", ExitCodes.LINE_INTERNAL})
public final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TRACE",
      description = "trace CSV, cuBLASLt log, CUTLASS profiler CSV or example name")
  String trace;

  @Option(names = "--golden", paramLabel = "DIR",
      description = "golden GEMM folder (capture.csv): cases are matched to GEMMs by name")
  Path golden;

  @Option(names = "--gpu", paramLabel = "GPU",
      description = "replay every GEMM on this GPU instead of the trace's gpu column (a log's "
          + "GEMMs: the GPU they ran on, default " + TraceInput.DEFAULT_IMPORT_GPU + ")")
  String gpu;

  @Option(names = "--report", paramLabel = "DIR",
      description = "write an HTML report with charts to DIR/index.html")
  Path report;

  @Option(names = "--json", paramLabel = "FILE",
      description = "write every GEMM's result and the totals as JSON to FILE")
  Path json;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "replay on Apache Spark: local[N] (embedded, no cluster needed) or a cluster "
          + "master URL; GEMMs are cut into row bands spread over the executors, with the same "
          + "results as here (needs the tcsim-spark module: ./tcsim adds it)")
  String spark;

  @Option(names = "--threads", description = "worker threads (default: all processors)")
  Integer threads;

  @Option(names = "--sample", defaultValue = "256",
      description = "elements per GEMM compared with the exact product (default ${DEFAULT-VALUE})")
  int sample;

  @Option(names = "--rows", defaultValue = "0", paramLabel = "N",
      description = "compute only the first N rows of each D (0 = all; rows are independent, so "
          + "they are exactly those of the full GEMM); timing stays for the whole GEMM")
  int rows;

  @Option(names = "--show", defaultValue = "5", paramLabel = "N",
      description = "mismatching elements shown per GEMM (default ${DEFAULT-VALUE})")
  int show;

  @Option(names = {"-q", "--quiet"}, description = "no progress on stderr (by default a bar "
      + "weighted by multiply-adds when stderr is a terminal, else a line every 30 s)")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonOut.requireWritable(json);
    if (sample < 0 || rows < 0 || show < 0) {
      throw new IllegalArgumentException("--sample, --rows and --show must be >= 0");
    }
    Map<String, GoldenGemmCase> cases = new LinkedHashMap<>();
    if (golden != null) {
      for (GoldenGemmCase c : GoldenGemmFolder.read(golden)) {
        cases.put(c.id(), c);
      }
    }
    Replayer.Options options = Replayer.Options.defaults().withGolden(cases)
        .withGpu(gpu).withAccuracySample(sample).withRowLimit(rows)
        .withThreads(threads == null ? Runtime.getRuntime().availableProcessors() : threads);
    ReplayBackend backend = spark == null ? null : ReplayBackend.find("spark").orElseThrow(
        () -> new IllegalArgumentException("--spark needs the tcsim-spark module on the class "
            + "path: run ./tcsim (which adds it for --spark), or spark-submit "
            + "tcsim-spark/target/tcsim-spark.jar"));
    ReplayReport html = report == null ? null : new ReplayReport("tcsim replay: " + trace);
    ReplayJson jsonOut = json == null ? null : new ReplayJson("tcsim replay: " + trace);
    Table table = new Table(out);
    ReplayTotals totals;
    // Ctrl-C: print what was replayed and compared so far rather than nothing at all.
    ReplayTotals soFar = new ReplayTotals();
    java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    Thread onInterrupt = new Thread(() -> {
      if (!finished.get()) {
        synchronized (soFar) {
          err.println("tcsim replay: interrupted; so far " + ReplayTable.totalsLine(soFar));
        }
        err.flush();
      }
    });
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try (TraceInput input = TraceInput.open(trace, gpu)) {
      Replayer.Options planned = options;
      // A pass of its own over the trace before the work: the total for the progress, and a
      // bad row found before the first GEMM runs.
      long macs = input.sum(s -> Replayer.macs(s, planned));
      options = options.withTraceDir(input.dir());
      try (ReplayProgress progress = ReplayProgress.start(err, ReplayProgress.Mode.forStderr(quiet))) {
        progress.start(macs);
        progress.above(() -> {
          if (!input.note().isEmpty()) {
            out.println(input.note());
          }
          table.header();
        });
        Consumer<ReplayResult> sink = r -> {
          synchronized (soFar) {
            soFar.add(r);
          }
          progress.above(() -> table.row(r));
          if (html != null) {
            html.add(r);
          }
          if (jsonOut != null) {
            jsonOut.add(r);
          }
        };
        if (backend == null) {
          totals = new Replayer(options).run(input.specs(), sink, progress);
        } else {
          totals = backend.run(new ReplayBackend.Request(spark, trace, input.specs(), golden,
              options), sink, progress);
        }
      }
    } finally {
      finished.set(true);
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // already shutting down: the hook runs and finds the replay finished
      }
    }
    out.println(ReplayTable.totalsLine(totals));
    if (golden != null) {
      long unused = cases.keySet().stream().filter(id -> !totals.goldenIds().contains(id)).count();
      if (totals.goldenGemms() == 0) {
        out.println("golden: no GEMM of the trace could be compared with " + golden + " ("
            + cases.size() + " case(s); a case is compared with the GEMM whose name, in lower "
            + "case with other characters as '_', is its id)");
      } else if (unused > 0) {
        out.println("golden: " + unused + " case(s) of " + golden + " match no GEMM of the trace");
      }
    }
    if (html != null) {
      out.println("wrote " + html.write(report, totals));
    }
    if (jsonOut != null) {
      out.println("wrote " + jsonOut.write(json, totals, golden != null));
    }
    out.flush();
    return totals.exitStatus(golden != null);
  }

  /** The terminal table, one row printed per result as it arrives. */
  private final class Table {
    private static final String FORMAT = "%-4s %-24s %-6s %-30s %-10s %-26s %-16s %-11s %-12s %10s %8s%n";
    private final PrintWriter out;

    Table(PrintWriter out) {
      this.out = out;
    }

    void header() {
      out.printf(Locale.ROOT, FORMAT, ReplayTable.HEADER.toArray());
    }

    void row(ReplayResult r) {
      List<String> cells = ReplayTable.cells(r, false);
      out.printf(Locale.ROOT, FORMAT, cells.toArray());
      if (!r.message().isEmpty()) {
        out.println("     " + r.status().name().toLowerCase(Locale.ROOT) + ": " + r.message());
      }
      if (r.golden() != null) {
        int shown = 0;
        for (Mismatch m : r.golden().firstMismatches()) {
          if (shown++ >= show) {
            break;
          }
          out.println("     MISMATCH " + m.describe("simulated", "gpu"));
        }
      }
      out.flush();
    }
  }
}

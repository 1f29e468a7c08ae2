package org.tcsim.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.tcsim.core.gemm.AccuracySummary;
import org.tcsim.core.gemm.CodeMatrix;
import org.tcsim.core.gemm.GemmAccuracy;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.GemmResult;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.timing.TimingResult;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Simulation;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.OperandData;

/**
 * Replays the GEMMs of a trace on the simulated hardware: each one bit for bit through
 * {@link org.tcsim.core.gemm.Gemm} (with the datapath preset of its GPU) and through the timing model, compared with
 * the GPU's output where a golden case of the same name exists, and handed to a consumer as one
 * {@link ReplayResult}, in trace order.
 *
 * <p><b>Streaming.</b> Specs are pulled one at a time and only per-GEMM summaries leave; D is
 * never kept. Within a GEMM, D is computed in row bands ({@link RowBands}: a band of A's rows at a
 * time, about 32 MiB of D), compared and summarised band by band, so a 16384 x 16384 output needs
 * one band of D at a time. The operands themselves (one byte per element) are built whole; when
 * they cannot fit the heap the GEMM is skipped with a message saying how much it needs.
 *
 * <p><b>Both cores.</b> Small GEMMs run concurrently, one per worker thread, at most two per
 * thread in flight; a large one (at least {@link #LARGE_MACS} multiply-adds) runs alone with all
 * threads inside the engine. Results never depend on the thread count.
 *
 * <p><b>Settings.</b> Each GEMM is one {@link org.tcsim.gpu.GemmWorkload} on one catalogue
 * {@link Gpu}, composed by {@link Simulation}: the GPU's FP32-accumulating preset for the
 * workload's formats and recipe, the library's MMA K and promotion interval on that GPU (e.g.
 * every 4 MMAs on Hopper, never on Blackwell), and the timing model's prediction on the GPU's
 * machine; no split-K.
 */
public final class Replayer {

  /** Multiply-adds from which a GEMM runs alone on all threads. */
  public static final long LARGE_MACS = 1L << 26;

  /**
   * Replay settings.
   *
   * @param gpu replay every GEMM on this GPU instead of the trace's (null: the trace's)
   * @param golden golden cases by id (empty: no golden data)
   * @param threads worker threads
   * @param accuracySample elements per GEMM compared with the exact product
   * @param rowLimit rows of D computed per product (0: all); the timing is for the whole GEMM
   * @param traceDir folder that relative {@code .npy} paths are resolved against
   */
  public record Options(String gpu, Map<String, GoldenGemmCase> golden, int threads,
      int accuracySample, int rowLimit, Path traceDir) {
    public Options {
      if (gpu != null) {
        gpu = GpuCatalog.byName(gpu).id(); // an unknown name is refused before any work
      }
      golden = Map.copyOf(golden);
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      if (accuracySample < 0 || rowLimit < 0) {
        throw new IllegalArgumentException("accuracy sample and row limit must be >= 0");
      }
      Objects.requireNonNull(traceDir, "traceDir");
    }

    /** No golden data, all processors, 256 sampled elements, all rows, the working folder. */
    public static Options defaults() {
      return new Options(null, Map.of(), Runtime.getRuntime().availableProcessors(), 256, 0,
          Path.of("").toAbsolutePath());
    }

    public Options withGolden(Map<String, GoldenGemmCase> cases) {
      return new Options(gpu, cases, threads, accuracySample, rowLimit, traceDir);
    }

    public Options withThreads(int t) {
      return new Options(gpu, golden, t, accuracySample, rowLimit, traceDir);
    }

    public Options withGpu(String g) {
      return new Options(g, golden, threads, accuracySample, rowLimit, traceDir);
    }

    public Options withRowLimit(int rows) {
      return new Options(gpu, golden, threads, accuracySample, rows, traceDir);
    }

    public Options withAccuracySample(int n) {
      return new Options(gpu, golden, threads, n, rowLimit, traceDir);
    }

    public Options withTraceDir(Path dir) {
      return new Options(gpu, golden, threads, accuracySample, rowLimit, dir);
    }
  }

  private final Options options;
  private final int bandRows;

  public Replayer(Options options) {
    this(options, 0);
  }

  /** With a fixed band height (0: {@link RowBands#bandRows}); tests use small bands. */
  Replayer(Options options, int bandRows) {
    this.options = Objects.requireNonNull(options);
    if (bandRows < 0 || bandRows % 128 != 0) {
      throw new IllegalArgumentException("band rows must be a multiple of 128, got " + bandRows);
    }
    this.bandRows = bandRows;
  }

  /** The golden case id a spec is matched with: its name in lower case, other characters '_'. */
  public static String goldenId(String specName) {
    return specName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  /**
   * Replays every spec, handing each result to {@code sink} in trace order (always on the calling
   * thread), and returns the totals.
   */
  public ReplayTotals run(Iterator<GemmSpec> specs, Consumer<ReplayResult> sink) {
    ReplayTotals totals = new ReplayTotals();
    Consumer<ReplayResult> emit = r -> {
      totals.add(r);
      sink.accept(r);
    };
    int threads = options.threads();
    ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "tcsim-replay");
      t.setDaemon(true);
      return t;
    });
    ArrayDeque<Future<ReplayResult>> window = new ArrayDeque<>();
    try {
      int index = 0;
      while (specs.hasNext()) {
        GemmSpec spec = specs.next();
        int i = index++;
        if (pool == null || macs(spec) >= LARGE_MACS) {
          while (!window.isEmpty()) {
            emit.accept(get(window.poll()));
          }
          emit.accept(replay(i, spec, threads));
        } else {
          window.add(pool.submit(() -> replay(i, spec, 1)));
          // At most two GEMMs per thread in flight (long: 2 * threads must not overflow).
          while (window.size() >= 2L * threads) {
            emit.accept(get(window.poll()));
          }
        }
      }
      while (!window.isEmpty()) {
        emit.accept(get(window.poll()));
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    return totals;
  }

  private static ReplayResult get(Future<ReplayResult> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private long macs(GemmSpec s) {
    long rows = options.rowLimit() == 0 ? s.m() : Math.min(s.m(), options.rowLimit());
    return rows * s.n() * s.k() * s.groups();
  }

  /**
   * Replays one GEMM on {@code threads} engine threads. Problems the model cannot run give a
   * SKIPPED result; bad input files throw.
   */
  public ReplayResult replay(int index, GemmSpec spec, int threads) {
    Gpu gpu = GpuCatalog.byName(options.gpu() != null ? options.gpu() : spec.gpu());
    Simulation sim;
    try {
      sim = Simulation.of(gpu, spec.workload());
    } catch (IllegalArgumentException e) {
      return skipped(index, spec, e.getMessage(), null, e.getMessage());
    }
    Simulation.Timing time = sim.time();
    TimingResult timing = time.result();
    String timingNote = time.note();
    long t0 = System.nanoTime();
    GoldenGemmCase golden = options.golden().get(goldenId(spec.name()));
    if (golden != null) {
      String why = mismatchWithSpec(golden, spec);
      if (why != null) {
        return new ReplayResult(index, spec, ReplayResult.Status.FAILED, why, "", "", 0, null, 0f,
            null, timing, timingNote, 0);
      }
    }
    if (!sim.hasPreset()) {
      return skipped(index, spec, sim.whyNoPreset(), timing, timingNote);
    }
    try {
      Accumulated acc = new Accumulated();
      String note = "";
      for (int g = 0; g < spec.groups(); g++) {
        ReplayOperands ops = operands(spec, golden, g);
        note = note.isEmpty() ? ops.note() : note;
        simulate(sim, ops, threads, spec.groups(), g, acc);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      GoldenComparison cmp = acc.grid == null ? null : acc.grid.result();
      ReplayResult.Status status = cmp == null ? ReplayResult.Status.SIMULATED
          : cmp.passed() ? ReplayResult.Status.MATCHED : ReplayResult.Status.MISMATCHED;
      String message = golden != null && !golden.captured() ? "golden case " + golden.id()
          + " has no captured result (status " + golden.status() + ")" : note;
      return new ReplayResult(index, spec, status, message, sim.preset().id(), acc.kernel,
          acc.rows, acc.summary(), acc.amax, cmp, timing, timingNote, seconds);
    } catch (IllegalArgumentException e) {
      // The engine refuses what it cannot model (e.g. MXFP8 on a truncating datapath), and
      // GemmTooLargeException is one of these: the replay goes on with the next GEMM.
      return skipped(index, spec, e.getMessage(), timing, timingNote);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ReplayResult skipped(int index, GemmSpec spec, String why, TimingResult timing,
      String timingNote) {
    return new ReplayResult(index, spec, ReplayResult.Status.SKIPPED, why, "", "", 0, null, 0f,
        null, timing, timingNote, 0);
  }

  private ReplayOperands operands(GemmSpec spec, GoldenGemmCase golden, int group)
      throws IOException {
    if (golden != null) {
      return OperandFactory.golden(golden);
    }
    if (spec.data() instanceof OperandData.Files f) {
      return OperandFactory.files(spec, f.resolvedAgainst(options.traceDir()));
    }
    return OperandFactory.seeded(spec, ((OperandData.Seeded) spec.data()).seed(), group);
  }

  /** Why a golden case cannot be the output of this spec, or null. */
  static String mismatchWithSpec(GoldenGemmCase g, GemmSpec s) {
    if (g.m() != s.m() || g.n() != s.n() || g.k() != s.k() || s.groups() != 1) {
      return "golden case " + g.id() + " is " + g.m() + "x" + g.n() + "x" + g.k() + " but the "
          + "trace GEMM is " + s.shape();
    }
    if (g.aFormat() != s.aFormat() || g.bFormat() != s.bFormat() || g.dFormat() != s.outFormat()) {
      return "golden case " + g.id() + " is " + g.aFormat() + " x " + g.bFormat() + " -> "
          + g.dFormat() + " but the trace GEMM is " + s.aFormat() + " x " + s.bFormat() + " -> "
          + s.outFormat();
    }
    if (g.fastAccum() != s.fastAccum()) {
      return "golden case " + g.id() + " has fast_accum " + g.fastAccum() + ", the trace GEMM "
          + s.fastAccum();
    }
    return null;
  }

  /** Per-GEMM state folded band by band. */
  private static final class Accumulated {
    MismatchGrid grid;
    String kernel = "";
    long rows;
    float amax;
    long compared;
    long total;
    double maxRel;
    double sumRel;
    long relCount;
    long zeroExactNonZero;
    long saturated;
    long nonFinite;
    final long[] histogram = new long[AccuracySummary.ULP_BINS.length];

    void add(AccuracySummary s) {
      compared += s.compared();
      total += s.total();
      maxRel = Math.max(maxRel, s.maxRelativeError());
      long withRel = s.compared() - s.zeroExactNonZero() - s.nonFinite();
      sumRel += s.meanRelativeError() * withRel;
      relCount += withRel;
      zeroExactNonZero += s.zeroExactNonZero();
      saturated += s.saturated();
      nonFinite += s.nonFinite();
      long[] h = s.ulpHistogram();
      for (int i = 0; i < h.length; i++) {
        histogram[i] += h[i];
      }
    }

    AccuracySummary summary() {
      return new AccuracySummary(compared, total, maxRel, relCount == 0 ? 0 : sumRel / relCount,
          zeroExactNonZero, histogram, saturated, nonFinite);
    }
  }

  private void simulate(Simulation sim, ReplayOperands ops, int threads, int groups,
      int group, Accumulated acc) {
    int m = options.rowLimit() == 0 ? ops.m() : Math.min(ops.m(), options.rowLimit());
    int n = ops.n();
    GemmConfig config = sim.config(new Simulation.Epilogue(ops.alpha(), ops.beta(), ops.scaleD()),
        threads);
    QuantizedTensor a = ops.a();
    int bandRows = this.bandRows == 0 ? RowBands.bandRows(m, n) : this.bandRows;
    if (m < ops.m()) {
      // A row limit: keep the first m rows (cut on a scale-block boundary, then trimmed).
      a = RowBands.split(a, roundUp(m, a.block().rows(), ops.m())).get(0);
      if (a.rows() > m) {
        a = RowBands.split(a, m).get(0);
      }
    }
    List<QuantizedTensor> bands = new java.util.ArrayList<>(RowBands.split(a, bandRows));
    if (ops.expected() != null && group == 0) {
      acc.grid = new MismatchGrid(ops.goldenId(), ops.out(), m, n);
    }
    int sample = options.accuracySample();
    int r0 = 0;
    for (int bi = 0; bi < bands.size(); bi++) {
      QuantizedTensor band = bands.get(bi);
      bands.set(bi, null); // let a finished band go
      int r1 = r0 + band.rows();
      CodeMatrix c = RowBands.rows(ops.c(), r0, r1);
      GemmResult r = sim.run(config, band, ops.b(), c);
      acc.kernel = r.kernel();
      acc.amax = Math.max(acc.amax, r.amaxD());
      int perBand = (int) Math.min(Integer.MAX_VALUE,
          ((long) sample * band.rows() + (long) m * groups - 1) / ((long) m * groups));
      if (perBand > 0) {
        acc.add(GemmAccuracy.compare(r, band, ops.b(), c, perBand,
            31L * group + r0 + 0x5eed));
      } else {
        acc.total += (long) band.rows() * n;
        acc.saturated += r.saturated();
      }
      if (ops.expected() != null) {
        int[] expected = ops.expected();
        CodeMatrix d = r.d();
        for (int i = 0; i < band.rows(); i++) {
          for (int j = 0; j < n; j++) {
            acc.grid.add(r0 + i, j, d.code(i, j), expected[(r0 + i) * n + j]);
          }
        }
      }
      r0 = r1;
    }
    acc.rows = m;
  }

  private static int roundUp(int x, int granule, int max) {
    return (int) Math.min(max, ((long) x + granule - 1) / granule * granule);
  }
}

package org.tcsim.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;







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

  /**
   * With a fixed band height, a multiple of 128 (0: {@link RowBands#bandRows}); tests use small
   * bands. The results do not depend on it, except for which elements the accuracy sample picks.
   */
  public Replayer(Options options, int bandRows) {
    this.options = Objects.requireNonNull(options);
    if (bandRows < 0 || bandRows % 128 != 0) {
      throw new IllegalArgumentException("band rows must be a multiple of 128, got " + bandRows);
    }
    this.bandRows = bandRows;
  }

  public Options options() {
    return options;
  }

  /** The fixed band height, or 0 for {@link RowBands#bandRows}. */
  public int bandRows() {
    return bandRows;
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
    return run(specs, sink, ReplayBackend.Progress.NONE);
  }

  /**
   * As {@link #run(Iterator, Consumer)}, telling {@code progress} of the work done in
   * multiply-adds ({@link #macs}): after each row band of each product, so that a long GEMM
   * advances too. By the time a GEMM's result reaches the sink, all of its multiply-adds have
   * been told (a GEMM skipped or refused counts as done), so the units told add up to exactly the
   * sum of {@link #macs} over the specs. The caller calls {@code progress.start} with that sum;
   * {@code advance} is called from the worker threads, concurrently.
   */
  public ReplayTotals run(Iterator<GemmSpec> specs, Consumer<ReplayResult> sink,
      ReplayBackend.Progress progress) {
    Objects.requireNonNull(progress, "progress");
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
        if (pool == null || macs(spec, options) >= LARGE_MACS) {
          while (!window.isEmpty()) {
            emit.accept(get(window.poll()));
          }
          emit.accept(replay(i, spec, threads, progress));
        } else {
          window.add(pool.submit(() -> replay(i, spec, 1, progress)));
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

  /**
   * The multiply-adds of {@code s} as replayed with {@code options}: of the computed rows only
   * (the row limit), over all its products. What a GEMM weighs in the progress of a replay.
   */
  public static long macs(GemmSpec s, Options options) {
    long rows = options.rowLimit() == 0 ? s.m() : Math.min(s.m(), options.rowLimit());
    return rows * s.n() * s.k() * s.groups();
  }

  /**
   * Replays one GEMM on {@code threads} engine threads: its {@link GemmPlan}'s bands one after
   * the other. Problems the model cannot run give a SKIPPED result; bad input files throw.
   */
  public ReplayResult replay(int index, GemmSpec spec, int threads) {
    return replay(index, spec, threads, ReplayBackend.Progress.NONE);
  }

  /**
   * As {@link #replay(int, GemmSpec, int)}, telling {@code progress} of each band's
   * multiply-adds as it is done and, at the end, of whatever is left of {@link #macs} (a settled
   * or refused GEMM, rows a band did not have), so that the GEMM adds up to its {@link #macs}.
   */
  public ReplayResult replay(int index, GemmSpec spec, int threads,
      ReplayBackend.Progress progress) {
    long t0 = System.nanoTime();
    long told = 0;
    try {
      GemmPlan plan = GemmPlan.of(index, spec, options, bandRows);
      if (plan.settled() != null) {
        return plan.settled();
      }
      try {
        GemmPlan.Fold fold = plan.fold();
        for (int g = 0; g < plan.groups(); g++) {
          progress.preparing(spec.name());
          GemmPlan.Product product = plan.product(operands(spec, plan.golden(), g), g, threads);
          for (int b = 0; b < product.bands(); b++) {
            // The band's multiply-adds are told as its tiles of D finish (a band of a wide GEMM
            // can take minutes), and what is left of them when it ends.
            long macs = (long) product.bandRows(b) * spec.n() * spec.k();
            AtomicLong bandTold = new AtomicLong();
            BandSummary band = product.band(b, (done, total) -> {
              long upTo = total <= 0 ? 0 : (long) ((double) macs * Math.min(done, total) / total);
              long before = bandTold.getAndAccumulate(upTo, Math::max);
              if (upTo > before) {
                progress.advance(upTo - before, spec.name());
              }
            });
            fold.add(band);
            long rest = macs - bandTold.getAndSet(macs);
            if (rest > 0) {
              progress.advance(rest, spec.name());
            }
            told += macs;
          }
        }
        return fold.result((System.nanoTime() - t0) / 1e9);
      } catch (IllegalArgumentException e) {
        // The engine refuses what it cannot model (e.g. MXFP8 on a truncating datapath), and
        // GemmTooLargeException is one of these: the replay goes on with the next GEMM.
        return plan.skipped(e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } finally {
      long left = macs(spec, options) - told;
      if (left > 0) {
        progress.advance(left, spec.name());
      }
    }
  }

  /**
   * The operands of product {@code group} of {@code spec}: the golden case's when it has one,
   * else read from its files (relative paths against {@code traceDir}) or made from its seed.
   */
  public static ReplayOperands operands(GemmSpec spec, GoldenGemmCase golden, int group,
      Path traceDir) throws IOException {
    return operands(spec, golden, group, f -> f.resolvedAgainst(traceDir));
  }

  /** Where a spec's data files are read from (e.g. local copies of remote files). */
  @FunctionalInterface
  public interface FileLocator {
    OperandData.Files locate(OperandData.Files asWritten) throws IOException;
  }

  /** As {@link #operands(GemmSpec, GoldenGemmCase, int, Path)}, data files located by {@code files}. */
  public static ReplayOperands operands(GemmSpec spec, GoldenGemmCase golden, int group,
      FileLocator files) throws IOException {
    if (golden != null) {
      return OperandFactory.golden(golden);
    }
    if (spec.data() instanceof OperandData.Files f) {
      return OperandFactory.files(spec, files.locate(f));
    }
    return OperandFactory.seeded(spec, ((OperandData.Seeded) spec.data()).seed(), group);
  }

  private ReplayOperands operands(GemmSpec spec, GoldenGemmCase golden, int group)
      throws IOException {
    return operands(spec, golden, group, options.traceDir());
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
}

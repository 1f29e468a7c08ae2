package org.tcsim.spark;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.tcsim.core.InputFormatException;
import org.tcsim.replay.BandSummary;
import org.tcsim.replay.GemmPlan;
import org.tcsim.replay.ReplayOperands;
import org.tcsim.replay.Replayer;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.golden.gemm.GoldenGemmFolder;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.TraceReader;

/**
 * A replay as one executor JVM holds it: the trace parsed once, the golden folder read once, a
 * {@link GemmPlan} per GEMM (the same as the driver's: made from the same spec and settings) and
 * the operands of the products it is working on, so that the executor's tasks on bands of one
 * product build its operands once. Products are held softly (the collector may drop them and
 * they are built again) and only the most recent few.
 */
final class ExecutorState {
  /** Replays kept per JVM: tests and notebooks run several in one. */
  private static final int JOBS = 2;
  private static final Map<String, ExecutorState> STATES = new LinkedHashMap<>();

  private final ReplayJob job;
  private final List<GemmSpec> specs;
  private final Replayer.Options options;
  private final Map<Integer, GemmPlan> plans = new ConcurrentHashMap<>();
  private final Map<Long, SoftReference<FutureTask<GemmPlan.Product>>> products;

  private ExecutorState(ReplayJob job) throws IOException {
    this.job = job;
    List<GemmSpec> all = new ArrayList<>();
    try (TraceReader r = TraceReader.of(new StringReader(job.traceText()), job.traceSource())) {
      r.forEachRemaining(all::add);
    }
    this.specs = List.copyOf(all);
    Map<String, GoldenGemmCase> golden = new LinkedHashMap<>();
    if (job.goldenDir() != null) {
      for (GoldenGemmCase c : GoldenGemmFolder.read(Path.of(job.goldenDir()))) {
        golden.put(c.id(), c);
      }
    }
    this.options = new Replayer.Options(job.gpu(), golden, 1, job.accuracySample(),
        job.rowLimit(), Path.of("").toAbsolutePath());
    int keep = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    this.products = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(
          Map.Entry<Long, SoftReference<FutureTask<GemmPlan.Product>>> e) {
        return size() > keep;
      }
    };
  }

  /** This JVM's state of {@code job}, made on first use. */
  static ExecutorState of(ReplayJob job) {
    synchronized (STATES) {
      ExecutorState s = STATES.get(job.id());
      if (s == null) {
        try {
          s = new ExecutorState(job);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        STATES.put(job.id(), s);
        while (STATES.size() > JOBS) {
          STATES.remove(STATES.keySet().iterator().next());
        }
      }
      return s;
    }
  }

  /** Computes one unit; what the engine refuses and bad inputs come back as outcomes. */
  Outcome run(Unit u) {
    long t0 = System.nanoTime();
    try {
      GemmPlan plan = plans.computeIfAbsent(u.gemm(),
          i -> GemmPlan.of(i, specs.get(i), options, job.bandRows()));
      BandSummary s = product(plan, u.group()).band(u.band());
      return new Outcome(u, s, null, null, (System.nanoTime() - t0) / 1e9);
    } catch (InputFormatException e) {
      return new Outcome(u, null, null, e, (System.nanoTime() - t0) / 1e9);
    } catch (IllegalArgumentException e) {
      // As Replayer.replay: the engine refuses what it cannot model, or its size.
      return new Outcome(u, null, e.getMessage(), null, (System.nanoTime() - t0) / 1e9);
    } catch (IOException e) {
      return new Outcome(u, null, null, e, (System.nanoTime() - t0) / 1e9);
    } catch (UncheckedIOException e) {
      return new Outcome(u, null, null, e.getCause(), (System.nanoTime() - t0) / 1e9);
    }
  }

  private GemmPlan.Product product(GemmPlan plan, int group) throws IOException {
    long key = ((long) plan.index() << 32) | group;
    FutureTask<GemmPlan.Product> task;
    boolean mine = false;
    synchronized (products) {
      SoftReference<FutureTask<GemmPlan.Product>> ref = products.get(key);
      task = ref == null ? null : ref.get();
      if (task == null) {
        task = new FutureTask<>(() -> plan.product(operands(plan, group), group, 1));
        products.put(key, new SoftReference<>(task));
        mine = true;
      }
    }
    if (mine) {
      task.run();
    }
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      synchronized (products) {
        products.remove(key); // not kept: a retried task builds it again
      }
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** As the local replay's, with data files possibly on a Hadoop file system. */
  private ReplayOperands operands(GemmPlan plan, int group) throws IOException {
    return Replayer.operands(plan.spec(), plan.golden(), group,
        f -> DataFiles.local(f, job.traceDir(), job.hadoopConf()));
  }
}

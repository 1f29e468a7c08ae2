package org.tcsim.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import org.tcsim.traces.trace.GemmSpec;

/**
 * Another place to run a replay than this JVM's threads, found through {@link ServiceLoader} so
 * that the command line does not depend on it: the module tcsim-spark provides {@code spark}
 * (Apache Spark, embedded {@code local[N]} or a cluster). A backend hands the same
 * {@link ReplayResult}s, in trace order, as {@link Replayer#run}; the caller prints and reports
 * them as it does local ones.
 */
public interface ReplayBackend {

  /** The name the backend is asked for by ({@code spark}). */
  String name();

  /**
   * Replays a whole trace, handing each result to {@code sink} in trace order on the calling
   * thread, and returns the totals. A trace with a bad row is refused (an
   * {@link org.tcsim.core.InputFormatException}) before any work starts.
   */
  ReplayTotals run(Request request, Consumer<ReplayResult> sink, Progress progress)
      throws IOException;

  /**
   * What to replay, and where.
   *
   * @param master where to run it, in the backend's terms (a Spark master URL: {@code local[2]},
   *     {@code spark://host:7077}, {@code yarn}, {@code k8s://...})
   * @param trace the trace's name (a file, a bundled example), for messages
   * @param specs its GEMMs in trace order, read by the caller (any trace kind); a bad one throws
   *     when reached
   * @param golden the golden GEMM folder, or null; the backend's workers read it there
   * @param options gpu, accuracy sample and row limit; its golden cases are those of
   *     {@code golden}, read by the caller, and its trace folder is where relative data paths
   *     point
   */
  record Request(String master, String trace, Iterator<GemmSpec> specs, Path golden,
      Replayer.Options options) {
    public Request {
      Objects.requireNonNull(master, "master");
      Objects.requireNonNull(trace, "trace");
      Objects.requireNonNull(specs, "specs");
      Objects.requireNonNull(options, "options");
    }
  }

  /**
   * Progress in multiply-adds: {@link Replayer} tells it after each row band of a GEMM product, a
   * backend as its tasks (a few row bands each) finish. Calls may come from several threads.
   */
  interface Progress {
    /** The job starts with {@code units} multiply-adds of work. */
    void start(long units);

    /**
     * {@code units} more multiply-adds are done; {@code what} says where (the GEMM, executors
     * busy).
     */
    void advance(long units, String what);

    /**
     * Work on {@code what} begins that is not multiply-adds (making, reading and quantising its
     * operands, which for a wide GEMM replayed on a few rows takes longer than its products).
     */
    default void preparing(String what) {}

    /** No progress shown. */
    Progress NONE = new Progress() {
      @Override
      public void start(long units) {}

      @Override
      public void advance(long units, String what) {}
    };
  }

  /** The backend called {@code name} on the class path, if any. */
  static Optional<ReplayBackend> find(String name) {
    for (ReplayBackend b : ServiceLoader.load(ReplayBackend.class)) {
      if (b.name().equals(name)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}

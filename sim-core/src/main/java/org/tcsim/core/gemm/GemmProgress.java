package org.tcsim.core.gemm;

/**
 * Told about a running GEMM's progress: how many of its output tiles are finished. Tiles are
 * handed out in row-major order (a band of rows of D at a time), so {@code done / total} is also
 * the fraction of D's row bands computed. Called once with {@code done = 0} when the tiles start,
 * then from the worker threads, possibly concurrently, after each tile; it must be cheap and
 * thread-safe, and it cannot change the result.
 */
@FunctionalInterface
public interface GemmProgress {

  /** Nobody listening. */
  GemmProgress NONE = (done, total) -> { };

  /**
   * A tile has been finished.
   *
   * @param done tiles finished so far (0 .. total; concurrent calls may arrive out of order)
   * @param total tiles of the whole GEMM
   */
  void tilesDone(long done, long total);
}

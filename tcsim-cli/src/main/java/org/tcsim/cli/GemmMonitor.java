package org.tcsim.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.tcsim.core.gemm.GemmProgress;

/**
 * Watches one running {@code tcsim gemm}: counts finished tiles of D (the engine's
 * {@link GemmProgress}), shows its progress on stderr as {@code tcsim replay} does (the same
 * {@link ReplayProgress.Mode}s: a line redrawn in place on a terminal once the GEMM has run for
 * {@link StatusLine#QUIET_SECONDS}; a plain line every {@link ReplayProgress#LINE_SECONDS} seconds in a log;
 * nothing with {@code --quiet}), and on Ctrl-C says from a shutdown hook how much was done, since
 * the result of an interrupted GEMM is lost.
 */
final class GemmMonitor implements GemmProgress, AutoCloseable {

  private final PrintWriter err;
  private final long startNanos = System.nanoTime();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final Thread onInterrupt;
  private final StatusLine status;

  /**
   * Starts watching: registers the Ctrl-C hook and shows progress in {@code mode}: for
   * {@link ReplayProgress.Mode#BAR} a line refreshed twice a second after the first
   * {@link StatusLine#QUIET_SECONDS} seconds, for {@link ReplayProgress.Mode#LINES} a line every
   * {@link ReplayProgress#LINE_SECONDS} seconds.
   */
  GemmMonitor(PrintWriter err, ReplayProgress.Mode mode) {
    this(err, mode, ReplayProgress.LINE_SECONDS * 1000);
  }

  /** As {@link #GemmMonitor(PrintWriter, ReplayProgress.Mode)}, plain lines every {@code lineMillis}. */
  GemmMonitor(PrintWriter err, ReplayProgress.Mode mode, long lineMillis) {
    this.err = err;
    status = new StatusLine("tcsim-gemm-progress", err, mode, this::progressLine, lineMillis);
    this.onInterrupt = new Thread(() -> {
      if (!finished.get()) {
        synchronized (err) {
          err.println((status.shownInPlace() ? "\n" : "") + interruptedLine());
          err.flush();
        }
      }
    }, "tcsim-gemm-interrupt");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
  }

  @Override
  public void tilesDone(long tiles, long of) {
    total.set(of);
    done.accumulateAndGet(tiles, Math::max);
  }

  /** {@code 37% of D (740 of 2000 tiles), 12 s, about 20 s left}. */
  String progressLine() {
    long d = done.get();
    long t = total.get();
    double seconds = elapsedSeconds();
    if (t == 0) {
      return String.format(Locale.ROOT, "tcsim gemm: preparing, %.0f s", seconds);
    }
    String eta = d == 0 ? "" : String.format(Locale.ROOT, ", about %.0f s left",
        seconds * (t - d) / d);
    return String.format(Locale.ROOT, "tcsim gemm: %d%% of D (%d of %d tiles), %.0f s%s",
        100 * d / t, d, t, seconds, eta);
  }

  /** What the Ctrl-C hook prints. */
  String interruptedLine() {
    long d = done.get();
    long t = total.get();
    return String.format(Locale.ROOT, "tcsim gemm: interrupted after %.1f s; %s; nothing was "
        + "written", elapsedSeconds(), t == 0 ? "the GEMM had not started"
            : d + " of " + t + " tiles of D (" + 100 * d / t + "%) were done");
  }

  private double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The GEMM is over (done or failed): no more lines, no hook. */
  @Override
  public void close() {
    finished.set(true);
    status.close();
    try {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    } catch (IllegalStateException shuttingDown) {
      // already shutting down: the hook runs and finds the GEMM finished
    }
  }
}

package org.tcsim.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.tcsim.replay.ReplayBackend;

/**
 * The progress of a {@code tcsim replay}, in multiply-adds (a GEMM weighs what it computes, and
 * a long GEMM advances band by band), with an estimate of the time left from the multiply-add
 * rate so far. Shown on stderr: as a bar redrawn in place when stderr is a terminal
 * ({@link Mode#BAR}), as a plain line every {@link #LINE_SECONDS} seconds otherwise
 * ({@link Mode#LINES}, for logs), or not at all. Table rows go through {@link #above}, which
 * clears the bar before the row is printed, so that the bar never lands inside the table.
 */
final class ReplayProgress implements ReplayBackend.Progress, AutoCloseable {

  /** How progress is shown. */
  enum Mode {
    /** A bar redrawn in place (stderr is a terminal). */
    BAR,
    /** A plain line now and then (stderr is a file or a pipe). */
    LINES,
    /** Nothing. */
    NONE
  }

  /** Seconds between plain lines, and before the first. */
  static final long LINE_SECONDS = 30;
  /** Milliseconds between redraws of the bar. */
  static final long BAR_MILLIS = 500;
  private static final int BAR_WIDTH = 20;

  private final PrintWriter err;
  private final Mode mode;
  private final LongSupplier clock;
  private final long startNanos;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private Ticker ticker;
  private final Object lock = new Object();
  private volatile String what = "";
  private int shownWidth;
  private long lastLineNanos;
  private boolean closed;

  /** Shows progress in {@code mode} on {@code err}, redrawn by a timer thread. */
  static ReplayProgress start(PrintWriter err, Mode mode) {
    ReplayProgress p = new ReplayProgress(err, mode, System::nanoTime);
    p.startTicking();
    return p;
  }

  /** Without a timer: {@link #tick} draws (tests pass a clock). */
  ReplayProgress(PrintWriter err, Mode mode, LongSupplier clock) {
    this.err = err;
    this.mode = mode;
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    this.lastLineNanos = startNanos;
  }

  private void startTicking() {
    long period = switch (mode) {
      case BAR -> BAR_MILLIS;
      case LINES -> 1000;
      case NONE -> 0;
    };
    if (period > 0) {
      ticker = new Ticker("tcsim-replay-progress", this::tick, period, period);
    }
  }

  @Override
  public void start(long units) {
    total.set(units);
  }

  @Override
  public void advance(long units, String where) {
    done.addAndGet(units);
    what = where == null ? "" : where;
  }

  /** Work done, from 0 to 1: exactly 1 once all the multiply-adds told at the start are done. */
  double fraction() {
    long t = total.get();
    long d = done.get();
    return t <= 0 ? 0 : d >= t ? 1 : (double) d / t;
  }

  /**
   * {@code [#####---------------]  25% of 6.09e+12 MACs, layer.q_proj, 12 s, about 36 s left}:
   * the estimate assumes the rest runs at the multiply-add rate so far, and is left out until
   * some work is done.
   */
  String line(boolean bar) {
    double f = fraction();
    long d = done.get();
    long t = total.get();
    double seconds = (clock.getAsLong() - startNanos) / 1e9;
    StringBuilder sb = new StringBuilder();
    if (bar) {
      int filled = (int) Math.floor(f * BAR_WIDTH);
      sb.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled))
          .append("] ");
    } else {
      sb.append("tcsim replay: ");
    }
    sb.append(String.format(Locale.ROOT, "%3d%% of %.3g MACs", (int) Math.floor(100 * f),
        (double) t));
    String w = what;
    if (!w.isEmpty()) {
      sb.append(", ").append(w.length() > 24 ? w.substring(0, 23) + "~" : w);
    }
    sb.append(", ").append(duration(seconds));
    if (d > 0 && d < t && seconds >= 1) {
      sb.append(", about ").append(duration(seconds * (t - d) / d)).append(" left");
    }
    return sb.toString();
  }

  private static String duration(double s) {
    if (s < 120) {
      return String.format(Locale.ROOT, "%.0f s", s);
    }
    if (s < 7200) {
      return String.format(Locale.ROOT, "%.0f min", s / 60);
    }
    return String.format(Locale.ROOT, "%.1f h", s / 3600);
  }

  /** Redraws the bar, or prints a plain line when one is due. */
  void tick() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      switch (mode) {
        case BAR -> {
          String text = line(true);
          err.print("\r" + text + " ".repeat(Math.max(0, shownWidth - text.length())));
          shownWidth = Math.max(shownWidth, text.length());
          err.flush();
        }
        case LINES -> {
          long now = clock.getAsLong();
          if (now - lastLineNanos >= LINE_SECONDS * 1_000_000_000L) {
            lastLineNanos = now;
            err.println(line(false));
            err.flush();
          }
        }
        case NONE -> { }
      }
    }
  }

  /**
   * Prints with the bar out of the way: it is cleared first (the next tick draws it again,
   * under what was printed), so that rows on stdout and the bar on stderr never share a line.
   */
  void above(Runnable print) {
    synchronized (lock) {
      erase();
      print.run();
    }
  }

  private void erase() {
    if (shownWidth > 0) {
      err.print("\r" + " ".repeat(shownWidth) + "\r");
      err.flush();
      shownWidth = 0;
    }
  }

  /** No more drawing; the bar is cleared. */
  @Override
  public void close() {
    if (ticker != null) {
      ticker.close();
    }
    synchronized (lock) {
      erase();
      closed = true;
    }
  }
}

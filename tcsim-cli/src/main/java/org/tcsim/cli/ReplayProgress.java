package org.tcsim.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tcsim.replay.ReplayBackend;

/**
 * The progress of a {@code tcsim replay}, in multiply-adds (a GEMM weighs what it computes, and
 * a long GEMM advances band by band), with an estimate of the time left from the multiply-add
 * rate so far. Shown on stderr: as a bar redrawn in place when stderr is a terminal
 * ({@link Mode#BAR}: me.tongfei:progressbar renders the bar, the rate and the time left, and
 * its lines go through a {@link BarLine} of ours), as a plain line every {@link #LINE_SECONDS}
 * seconds otherwise ({@link Mode#LINES}, for logs), or not at all. Table rows go through
 * {@link #above}, which clears the bar before the row is printed, so that the bar never lands
 * inside the table.
 */
final class ReplayProgress implements ReplayBackend.Progress, AutoCloseable {

  /** How progress is shown. */
  enum Mode {
    /** A bar redrawn in place (stderr is a terminal). */
    BAR,
    /** A plain line now and then (stderr is a file or a pipe). */
    LINES,
    /** Nothing. */
    NONE;

    /**
     * How a command shows progress: nothing with {@code --quiet}, else a bar or a line redrawn
     * in place when stderr is a terminal, plain lines when it is a file or a pipe (a CI log).
     */
    static Mode forStderr(boolean quiet) {
      return quiet ? NONE : Terminal.stderrIsTerminal() ? BAR : LINES;
    }
  }

  /** Seconds between plain lines, and before the first. */
  static final long LINE_SECONDS = 30;
  /** Milliseconds between redraws of the bar. */
  static final long BAR_MILLIS = 500;
  /** The bar's width on stderr; a terminal narrower than this wraps it. */
  private static final int BAR_COLUMNS = 100;

  private final PrintWriter err;
  private final Mode mode;
  private final LongSupplier clock;
  private final long startNanos;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private Ticker ticker;
  private final Object lock = new Object();
  private final BarLine barLine;
  private volatile ProgressBar bar;
  private volatile String what = "";
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
    this.barLine = new BarLine();
  }

  private void startTicking() {
    // The bar has the library's own timer; plain lines have ours.
    if (mode == Mode.LINES) {
      ticker = new Ticker("tcsim-replay-progress", this::tick, 1000, 1000);
    }
  }

  @Override
  public void start(long units) {
    total.set(units);
    if (mode == Mode.BAR) {
      long unit = macUnit(units);
      bar = new ProgressBarBuilder().setTaskName("replay")
          .setInitialMax(units)
          .setUnit(unit == 1 ? " MAC" : unit == 1_000_000 ? " M MAC" : unit == 1_000_000_000L
              ? " G MAC" : " T MAC", unit)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis((int) BAR_MILLIS)
          .setMaxRenderedLength(BAR_COLUMNS)
          .setConsumer(barLine)
          .clearDisplayOnFinish()
          .build();
    }
  }

  /** The unit the bar counts in: the largest power of 1000 (to 10^12) the total holds ten of. */
  static long macUnit(long total) {
    long unit = 1;
    for (long u : new long[] {1_000_000L, 1_000_000_000L, 1_000_000_000_000L}) {
      if (total >= 10 * u) {
        unit = u;
      }
    }
    return unit;
  }

  @Override
  public void advance(long units, String where) {
    done.addAndGet(units);
    what = where == null ? "" : shortName(where);
    ProgressBar b = bar;
    if (b != null) {
      b.stepBy(units);
      b.setExtraMessage(what);
    }
  }

  @Override
  public void preparing(String where) {
    what = (where == null ? "" : shortName(where)) + " (operands)";
    ProgressBar b = bar;
    if (b != null) {
      b.setExtraMessage(what);
    }
  }

  /** A GEMM's name as the progress shows it: at most 24 characters, a cut marked with '~'. */
  private static String shortName(String name) {
    return name.length() > 24 ? name.substring(0, 23) + "~" : name;
  }

  /** Work done, from 0 to 1: exactly 1 once all the multiply-adds told at the start are done. */
  double fraction() {
    long t = total.get();
    long d = done.get();
    return t <= 0 ? 0 : d >= t ? 1 : (double) d / t;
  }

  /**
   * {@code tcsim replay:  25% of 6.09e+12 MACs, layer.q_proj, 12 s, about 36 s left}: the
   * estimate assumes the rest runs at the multiply-add rate so far, and is left out until some
   * work is done.
   */
  String line() {
    double f = fraction();
    long d = done.get();
    long t = total.get();
    double seconds = (clock.getAsLong() - startNanos) / 1e9;
    StringBuilder sb = new StringBuilder();
    sb.append("tcsim replay: ");
    sb.append(String.format(Locale.ROOT, "%3d%% of %.3g MACs", (int) Math.floor(100 * f),
        (double) t));
    String w = what;
    if (!w.isEmpty()) {
      sb.append(", ").append(w);
    }
    sb.append(", ").append(duration(seconds));
    if (d > 0 && d < t && seconds >= 1) {
      sb.append(", about ").append(duration(seconds * (t - d) / d)).append(" left");
    }
    return sb.toString();
  }

  /** {@code 12 s}, {@code 5 min}, {@code 2.5 h}: how the progress lines of every command say a duration. */
  static String duration(double s) {
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
          ProgressBar b = bar;
          if (b != null) {
            b.refresh();
          }
        }
        case LINES -> {
          long now = clock.getAsLong();
          if (now - lastLineNanos >= LINE_SECONDS * 1_000_000_000L) {
            lastLineNanos = now;
            err.println(line());
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
      barLine.clear();
      print.run();
    }
  }

  /** No more drawing; the bar is cleared. */
  @Override
  public void close() {
    if (ticker != null) {
      ticker.close();
    }
    ProgressBar b = bar;
    if (b != null) {
      b.close();
    }
    synchronized (lock) {
      barLine.clear();
      closed = true;
    }
  }

  /**
   * Where the library's rendered bar goes: one line of stderr, redrawn in place, under the same
   * lock as the table rows, and blanked by {@link #clear} before a row is printed (the library's
   * own console consumer has no such hook, and would leave the row after the bar on one line).
   */
  private final class BarLine implements ProgressBarConsumer {
    private int shownWidth;

    @Override
    public int getMaxRenderedLength() {
      return BAR_COLUMNS;
    }

    @Override
    public void accept(String rendered) {
      synchronized (lock) {
        if (closed) {
          return;
        }
        err.print("\r" + rendered + " ".repeat(Math.max(0, shownWidth - rendered.length())));
        shownWidth = Math.max(shownWidth, rendered.length());
        err.flush();
      }
    }

    @Override
    public void clear() {
      synchronized (lock) {
        if (shownWidth > 0) {
          err.print("\r" + " ".repeat(shownWidth) + "\r");
          err.flush();
          shownWidth = 0;
        }
      }
    }

    @Override
    public void close() {
      clear();
    }
  }
}

package org.tcsim.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.tcsim.timing.validate.ValidationListener;

/**
 * The progress of a {@code tcsim time --validate} run on stderr, in the modes of
 * {@code tcsim gemm} ({@link ReplayProgress.Mode}): a line redrawn in place on a terminal once
 * the run has lasted {@link StatusLine#QUIET_SECONDS}, a plain line every
 * {@link ReplayProgress#LINE_SECONDS} seconds in a log, nothing with {@code --quiet}.
 *
 * <p>What it says is what is known: GEMMs predicted out of those announced (a validation knows
 * them all up front, so the time left follows from the rate so far); for a fit or a
 * cross-validation, which step of how many (a family fitted, a source held out) and the GEMMs
 * predicted so far, with no time left: a fit's coordinate descent stops when no step improves,
 * so its number of predictions is not known in advance, and the steps differ by far (a Hopper
 * fit predicts over fifty rows at each trial, a B200 fit fourteen).
 */
final class TimeProgress implements ValidationListener, AutoCloseable {

  private final LongSupplier clock;
  private final long startNanos;
  private final AtomicLong announced = new AtomicLong();
  private final AtomicLong predicted = new AtomicLong();
  private volatile int step;
  private volatile int steps;
  private volatile String what = "";
  private final StatusLine status;

  /** Shows progress in {@code mode} on {@code err}, redrawn by a timer thread. */
  static TimeProgress start(PrintWriter err, ReplayProgress.Mode mode) {
    return new TimeProgress(err, mode, System::nanoTime, ReplayProgress.LINE_SECONDS * 1000);
  }

  /** With a clock of its own (tests); {@code lineMillis} between plain lines. */
  TimeProgress(PrintWriter err, ReplayProgress.Mode mode, LongSupplier clock, long lineMillis) {
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    status = new StatusLine("tcsim-time-progress", err, mode, this::line, lineMillis);
  }

  @Override
  public void predicting(int predictions) {
    announced.addAndGet(predictions);
  }

  @Override
  public void predicted() {
    predicted.incrementAndGet();
  }

  @Override
  public void step(int step, int steps, String what) {
    this.what = what;
    this.steps = steps;
    this.step = step;
  }

  /**
   * {@code tcsim time: 40 of 76 GEMMs predicted, 25 s, about 20 s left}, or with steps
   * {@code tcsim time: held out SOURCE (3 of 8), 1234 GEMMs predicted, 2 min}.
   */
  String line() {
    double seconds = (clock.getAsLong() - startNanos) / 1e9;
    long done = predicted.get();
    StringBuilder sb = new StringBuilder("tcsim time: ");
    int s = step;
    if (s == 0) {
      long all = announced.get();
      sb.append(String.format(Locale.ROOT, "%d of %d GEMMs predicted, %s", done, all, ReplayProgress.duration(seconds)));
      if (done > 0 && done < all && seconds >= 1) {
        sb.append(", about ").append(ReplayProgress.duration(seconds * (all - done) / done)).append(" left");
      }
      return sb.toString();
    }
    sb.append(String.format(Locale.ROOT, "%s (%d of %d), %d GEMMs predicted, %s", shortened(what), s, steps,
        done, ReplayProgress.duration(seconds)));
    return sb.toString();
  }

  private static String shortened(String text) {
    return text.length() > 60 ? text.substring(0, 59) + "~" : text;
  }

  /** The line, redrawn in place on a terminal ({@code inPlace}) or printed for a log. */
  void show(boolean inPlace) {
    status.show(inPlace);
  }

  /** No more lines; a line drawn in place is cleared. */
  @Override
  public void close() {
    status.close();
  }
}

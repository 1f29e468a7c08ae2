package org.tcsim.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * One progress line on stderr in a {@link ReplayProgress.Mode}: redrawn in place twice a second on
 * a terminal once a run has lasted {@link #QUIET_SECONDS} (so short runs print nothing), a plain
 * line every so often in a log, or nothing. The line's text comes from its owner at each draw;
 * once {@link #close}d nothing more is drawn and a line drawn in place is cleared. Draws hold the
 * lock of {@code err}, so that an owner printing under that lock never shares a line with it.
 */
final class StatusLine implements AutoCloseable {

  /** Seconds before the first line drawn in place: short runs print none. */
  static final long QUIET_SECONDS = 3;

  private final PrintWriter err;
  private final Supplier<String> text;
  private final Ticker ticker;
  private boolean shown;
  private int width;
  private boolean closed;

  /**
   * Draws {@code text} on {@code err} in {@code mode} from a timer thread called {@code name};
   * plain lines every {@code lineMillis}.
   */
  StatusLine(String name, PrintWriter err, ReplayProgress.Mode mode, Supplier<String> text, long lineMillis) {
    this.err = err;
    this.text = text;
    ticker = switch (mode) {
      case BAR -> new Ticker(name, () -> show(true), QUIET_SECONDS * 1000, 500);
      case LINES -> new Ticker(name, () -> show(false), lineMillis, lineMillis);
      case NONE -> null;
    };
  }

  /** The line, redrawn in place on a terminal ({@code inPlace}) or printed for a log. */
  void show(boolean inPlace) {
    synchronized (err) {
      if (closed) {
        return;
      }
      String line = text.get();
      if (inPlace) {
        err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        width = Math.max(width, line.length());
        shown = true;
      } else {
        err.println(line);
      }
      err.flush();
    }
  }

  /** Whether a line was drawn in place (and stands on the terminal until cleared). */
  boolean shownInPlace() {
    synchronized (err) {
      return shown;
    }
  }

  /** No more lines; a line drawn in place is cleared. */
  @Override
  public void close() {
    if (ticker != null) {
      ticker.close();
    }
    synchronized (err) {
      if (shown && !closed) {
        err.print("\r" + " ".repeat(width) + "\r");
        err.flush();
      }
      closed = true;
    }
  }
}

package org.tcsim.cli;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread running a progress display's redraw at a fixed rate (it must not keep the JVM
 * alive), and its orderly stop: no redraw runs once {@link #close} returns, so that the display
 * can clear its line after it.
 */
final class Ticker implements AutoCloseable {
  private final ScheduledExecutorService executor;

  /** Runs {@code task} every {@code periodMillis}, the first time after {@code delayMillis}. */
  Ticker(String name, Runnable task, long delayMillis, long periodMillis) {
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    executor.scheduleAtFixedRate(task, delayMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

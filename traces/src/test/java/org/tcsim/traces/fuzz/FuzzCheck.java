package org.tcsim.traces.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.statistics.Statistics;
import org.tcsim.core.InputFormatException;

/**
 * The outcome every fuzzed reader must have: a result, or an {@link InputFormatException} that
 * names the source (and a line inside the input, if any) — never another exception, never a hang.
 */
public final class FuzzCheck {

  /**
   * Far above any honest parse of these small inputs (milliseconds); only a hang or a runaway
   * allocation reaches it. Not a speed test.
   */
  public static final Duration HANG = Duration.ofSeconds(20);

  private FuzzCheck() {}

  /** What a parse does. */
  @FunctionalInterface
  public interface Parse<T> {
    T run() throws Exception;
  }

  /**
   * Runs {@code parse} on {@code input} and returns its result, or empty when it failed with an
   * InputFormatException whose source starts with {@code source}.
   */
  public static <T> Optional<T> resultOrNamedError(String input, String source, Parse<T> parse) {
    Optional<T> result = withinHangLimit(input, () -> {
      try {
        return Optional.of(parse.run());
      } catch (InputFormatException e) {
        assertTrue(e.source().startsWith(source), () -> "source not named: " + e.getMessage()
            + "\ninput: " + show(input));
        assertTrue(e.getMessage().startsWith(e.source()), e::getMessage);
        long lines = input.chars().filter(c -> c == '\n' || c == '\r').count() + 1;
        assertTrue(e.line() >= 0 && e.line() <= lines, () -> "line " + e.line() + " outside the "
            + lines + " lines of the input: " + e.getMessage());
        return Optional.<T>empty();
      } catch (AssertionError e) {
        throw e;
      } catch (Throwable t) {
        throw new AssertionError("unexplained " + t + "\ninput: " + show(input), t);
      }
    });
    Statistics.label("outcome").collect(result.isPresent() ? "read" : "named error");
    return result;
  }

  /**
   * Runs {@code work} on a reused worker thread and fails if it does not finish within
   * {@link #HANG}. (JUnit's assertTimeoutPreemptively starts a thread per call, which costs more
   * than the parse of a small input.)
   */
  public static synchronized <T> T withinHangLimit(String input, Callable<T> work) {
    Future<T> f = worker().submit(work);
    try {
      return f.get(HANG.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      worker = null; // the stuck thread is abandoned (daemon)
      throw new AssertionError("no answer after " + HANG + " (a hang?) on input: " + show(input));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AssertionError a) {
        throw a;
      }
      throw new AssertionError("unexplained " + e.getCause() + "\ninput: " + show(input),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static ExecutorService worker;

  private static ExecutorService worker() {
    if (worker == null) {
      worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-worker");
        t.setDaemon(true);
        return t;
      });
    }
    return worker;
  }

  /** The input with control and non-ASCII characters escaped, for failure messages. */
  public static String show(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '\n') {
        sb.append("\\n\n");
      } else if (c < 0x20 || c > 0x7e) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Fails unless {@code ok}: a value read from a mutated file is out of its documented range. */
  public static void sane(boolean ok, String what, String input) {
    if (!ok) {
      fail("accepted an insane value (" + what + ") from input:\n" + show(input));
    }
  }
}

package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What {@code tcsim gemm} tells the user while it runs and when it is interrupted. */
class GemmMonitorTest {

  @Test
  void linesSayHowMuchOfDIsDone() {
    StringWriter sink = new StringWriter();
    try (GemmMonitor m = new GemmMonitor(new PrintWriter(sink), ReplayProgress.Mode.NONE)) {
      assertTrue(m.progressLine().startsWith("tcsim gemm: preparing"), m.progressLine());
      assertTrue(m.interruptedLine().contains("the GEMM had not started"), m.interruptedLine());
      m.tilesDone(3, 8);
      m.tilesDone(1, 8); // a late report from another thread does not move the count back
      assertTrue(m.progressLine().matches("tcsim gemm: 37% of D \\(3 of 8 tiles\\), \\d+ s, "
          + "about \\d+ s left"), m.progressLine());
      assertTrue(m.interruptedLine().matches("tcsim gemm: interrupted after [0-9.]+ s; 3 of 8 "
          + "tiles of D \\(37%\\) were done; nothing was written"), m.interruptedLine());
    }
    assertEquals("", sink.toString(), "no progress line unless asked for");
  }

  @Test
  void progressLineAppearsOnlyAfterTheQuietSeconds() throws Exception {
    StringWriter sink = new StringWriter();
    GemmMonitor m = new GemmMonitor(new PrintWriter(sink), ReplayProgress.Mode.BAR);
    m.tilesDone(1, 4);
    assertEquals("", sink.toString(), "nothing in the first seconds");
    TimeUnit.MILLISECONDS.sleep(StatusLine.QUIET_SECONDS * 1000 + 800);
    m.close();
    assertTrue(sink.toString().contains("\rtcsim gemm: 25% of D (1 of 4 tiles)"), sink.toString());
    assertTrue(sink.toString().endsWith("\r"), "the line is cleared when the GEMM ends");
  }

  @Test
  void aLogGetsPlainLinesNowAndThen() throws Exception {
    StringWriter sink = new StringWriter();
    GemmMonitor m = new GemmMonitor(new PrintWriter(sink), ReplayProgress.Mode.LINES, 300);
    m.tilesDone(2, 4);
    TimeUnit.MILLISECONDS.sleep(1000);
    m.close();
    String log = sink.toString();
    assertTrue(log.startsWith("tcsim gemm: 50% of D (2 of 4 tiles)"), log);
    assertTrue(log.lines().count() >= 2, "a line every 300 ms: " + log);
    assertTrue(!log.contains("\r"), "no carriage returns in a log: " + log);
    int before = log.length();
    TimeUnit.MILLISECONDS.sleep(700);
    assertEquals(before, sink.toString().length(), "nothing after the GEMM ends");
  }
}

package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tcsim.replay.ReplayBackend;
import org.tcsim.replay.Replayer;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.OperandData;

/** The replay's progress display: weighted, honest, and never inside the table. */
class ReplayProgressTest {

  private final AtomicLong nanos = new AtomicLong();

  private ReplayProgress progress(StringWriter err, ReplayProgress.Mode mode) {
    return new ReplayProgress(new PrintWriter(err, true), mode, nanos::get);
  }

  @Test
  void theBarIsClearedBeforeEachRowSoStdoutHoldsOnlyTheTable() {
    StringWriter err = new StringWriter();
    StringWriter outText = new StringWriter();
    PrintWriter out = new PrintWriter(outText, true);
    ReplayProgress p = progress(err, ReplayProgress.Mode.BAR);
    // Each band advances the bar and redraws it, as the timer would between rows.
    ReplayBackend.Progress drawing = new ReplayBackend.Progress() {
      @Override
      public void start(long units) {
        p.start(units);
      }

      @Override
      public void advance(long units, String what) {
        p.advance(units, what);
        nanos.addAndGet(2_000_000_000L);
        p.tick();
      }
    };
    List<GemmSpec> specs = List.of(
        GemmSpec.builder("tiny", "h100", 64, 64, 64).data(new OperandData.Seeded(1)).build(),
        GemmSpec.builder("big", "h100", 256, 128, 256).data(new OperandData.Seeded(2)).build());
    drawing.start(64L * 64 * 64 + 256L * 128 * 256);
    new Replayer(Replayer.Options.defaults().withThreads(1).withAccuracySample(4), 128)
        .run(specs.iterator(), r -> p.above(() -> out.println("row " + r.spec().name())), drawing);
    p.close();
    assertEquals("row tiny\nrow big\n", outText.toString().replace("\r\n", "\n"),
        "no bar characters on stdout");
    String e = err.toString();
    // The library's bar, counted in multiply-adds, with the GEMM being computed.
    assertTrue(e.contains("\rreplay "), e);
    assertTrue(e.contains("% ["), e);
    assertTrue(e.contains(" M MAC") || e.contains(" MAC"), e);
    assertTrue(e.contains("big"), e);
    // Closed: the last thing on stderr blanks the bar's line and returns to its start.
    assertTrue(e.endsWith(" \r"), e);
    assertFalse(e.contains("\n"), "the bar never ends a line: " + e);
    assertEquals(1.0, p.fraction());
  }

  @Test
  void theBarCountsInAUnitThatSuitsTheTotal() {
    assertEquals(1, ReplayProgress.macUnit(9_999_999));
    assertEquals(1_000_000, ReplayProgress.macUnit(10_000_000));
    assertEquals(1_000_000_000L, ReplayProgress.macUnit(6_090_000_000L * 10));
    assertEquals(1_000_000_000_000L, ReplayProgress.macUnit(60_900_000_000_000L));
    assertEquals(1_000_000_000L, ReplayProgress.macUnit(6_090_000_000_000L));
  }

  @Test
  void theLineSaysTheShareOfMultiplyAddsAndTheTimeLeftAtTheRateSoFar() {
    StringWriter err = new StringWriter();
    ReplayProgress p = progress(err, ReplayProgress.Mode.LINES);
    p.start(4_000_000_000L);
    assertEquals("tcsim replay:   0% of 4.00e+09 MACs, 0 s", p.line());
    p.advance(1_000_000_000L, "layer.q_proj");
    nanos.set(10_000_000_000L);
    // A quarter in 10 s: 30 s left at that rate.
    assertEquals("tcsim replay:  25% of 4.00e+09 MACs, layer.q_proj, 10 s, about 30 s left",
        p.line());
    // a GEMM whose operands are being made says so, the count unchanged
    p.preparing("lm_head");
    assertEquals("tcsim replay:  25% of 4.00e+09 MACs, lm_head (operands), 10 s, about 30 s left",
        p.line());
    p.advance(3_000_000_000L, "a_very_long_gemm_name_from_a_model_trace");
    assertEquals(1.0, p.fraction());
    assertEquals("tcsim replay: 100% of 4.00e+09 MACs, a_very_long_gemm_name_f~, 10 s",
        p.line());
  }

  @Test
  void withoutATerminalAPlainLineEveryThirtySeconds() {
    StringWriter err = new StringWriter();
    ReplayProgress p = progress(err, ReplayProgress.Mode.LINES);
    p.start(100);
    p.advance(10, "g");
    nanos.set(29_000_000_000L);
    p.tick();
    assertEquals("", err.toString(), "nothing before 30 s: short replays print nothing");
    nanos.set(31_000_000_000L);
    p.tick();
    p.tick();
    p.close();
    // 10% in 31 s: 279 s (4.65 min) left.
    assertEquals(List.of("tcsim replay:  10% of 100 MACs, g, 31 s, about 5 min left"),
        err.toString().lines().toList());
  }

  @Test
  void quietShowsNothing() {
    StringWriter err = new StringWriter();
    ReplayProgress p = progress(err, ReplayProgress.Mode.NONE);
    p.start(10);
    p.advance(5, "g");
    nanos.set(100_000_000_000L);
    p.tick();
    p.above(() -> { });
    p.close();
    assertEquals("", err.toString());
  }

  @Test
  void terminalDevicesAreToldFromFilesAndPipes() {
    assertTrue(Terminal.isTerminalDevice("/dev/pts/3"));
    assertTrue(Terminal.isTerminalDevice("/dev/tty1"));
    assertFalse(Terminal.isTerminalDevice("pipe:[12345]"));
    assertFalse(Terminal.isTerminalDevice("/tmp/replay.log"));
    assertFalse(Terminal.isTerminalDevice("/dev/null"));
  }
}

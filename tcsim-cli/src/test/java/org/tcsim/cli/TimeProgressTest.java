package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line of tcsim time --validate, --fit, --loso, --shapes and --sweep, on a clock of the test's. */
class TimeProgressTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(5 * SECOND);
  private final StringWriter text = new StringWriter();

  private TimeProgress progress() {
    return new TimeProgress(new PrintWriter(text), ReplayProgress.Mode.NONE, now::get, 1000);
  }

  @Test
  void aValidationCountsGemmsAndEstimatesTheRestFromItsRate() {
    TimeProgress p = progress();
    p.predicting(76);
    assertEquals("tcsim time: 0 of 76 GEMMs predicted, 0 s", p.line());
    for (int i = 0; i < 19; i++) {
      p.predicted();
    }
    now.addAndGet(20 * SECOND);
    assertEquals("tcsim time: 19 of 76 GEMMs predicted, 20 s, about 60 s left", p.line());
  }

  @Test
  void aCrossValidationSaysWhichSourceOfHowManyWithoutGuessingTheTimeLeft() {
    TimeProgress p = progress();
    p.predicting(76);
    now.addAndGet(10 * SECOND);
    p.step(1, 8, "held out github.com/deepseek-ai/DeepGEMM/pull/74");
    for (int i = 0; i < 300; i++) {
      p.predicted();
    }
    assertEquals("tcsim time: held out github.com/deepseek-ai/DeepGEMM/pull/74 (1 of 8), 300 GEMMs predicted,"
        + " 10 s", p.line());
    now.addAndGet(130 * SECOND);
    p.step(3, 8, "held out a-source-whose-name-is-far-too-long-to-show-whole-on-one-line-of-a-terminal");
    // a fit's length is not known before it ends, and sources differ by far: no estimate
    assertEquals("tcsim time: held out a-source-whose-name-is-far-too-long-to-show-whole-~ (3 of 8), 300 GEMMs"
        + " predicted, 2 min", p.line());
  }

  @Test
  void inPlaceTheLineIsRedrawnAndClearedAtTheEnd() {
    TimeProgress p = progress();
    p.predicting(4);
    p.show(true);
    p.predicted();
    p.show(true);
    p.close();
    p.show(true); // after close: nothing more
    String out = text.toString();
    assertTrue(out.startsWith("\rtcsim time: 0 of 4 GEMMs predicted, 0 s"), out);
    assertTrue(out.contains("\rtcsim time: 1 of 4 GEMMs predicted, 0 s"), out);
    assertTrue(out.endsWith("\r" + " ".repeat("tcsim time: 0 of 4 GEMMs predicted, 0 s".length()) + "\r"), out);
    assertEquals(3, out.chars().filter(c -> c == '\r').count() - 1, out);
  }

  @Test
  void inALogEachLineStandsAlone() {
    TimeProgress p = progress();
    p.predicting(2);
    p.show(false);
    p.predicted();
    p.show(false);
    p.close();
    assertEquals("tcsim time: 0 of 2 GEMMs predicted, 0 s%ntcsim time: 1 of 2 GEMMs predicted, 0 s%n"
        .formatted(), text.toString());
  }
}

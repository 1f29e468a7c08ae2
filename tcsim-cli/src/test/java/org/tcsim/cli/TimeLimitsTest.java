package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tcsim time} on pathological sizes: a problem over the model's limit of block steps is
 * refused at once with its size and the limit; a long (but allowed) run is announced on stderr
 * before it starts. Every case here ends in milliseconds (none simulates a large problem).
 */
class TimeLimitsTest {
  @TempDir Path dir;

  private static final String TWO_TO_40 = Long.toString(1L << 40);

  @Test
  void aTwoToTheFortyCubedGemmIsRefusedNamingItsSizeAndTheLimit() {
    CliRun r = CliRun.of("time", "--gpu", "h100", "--m", TWO_TO_40, "--n", TWO_TO_40, "--k",
        TWO_TO_40);
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("too large to simulate"), r.err());
    assertTrue(r.err().contains(TWO_TO_40 + "x" + TWO_TO_40 + "x" + TWO_TO_40), r.err());
    assertTrue(r.err().contains("limit of 1000000000"), r.err());
    assertFalse(r.err().contains("block steps to simulate"), "refused, not announced: " + r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void aShapesFileWithOneHugeRowNamesTheLineBeforeRunningAnyRow() throws Exception {
    Path shapes = Files.writeString(dir.resolve("s.csv"), "m,n,k\n128,128,128\n" + TWO_TO_40
        + ",4096," + TWO_TO_40 + "\n");
    Path out = dir.resolve("o.csv");
    CliRun r = CliRun.of("time", "--gpu", "h100", "--shapes", shapes.toString(), "--out",
        out.toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("s.csv line 3") && r.err().contains("too large"), r.err());
    assertFalse(r.err().contains("block steps to simulate"), "refused, not announced: " + r.err());
    assertFalse(Files.exists(out));
  }

  /**
   * 2^20 x 128 x 2^20 is 6.7e7 to 2.7e8 block steps (with any tile of 64 or 128 rows and 128 or
   * 256 K): over the announcement threshold, under the limit; its A block table (over 5e7 blocks)
   * is then refused by the model, so the announcement is seen without a long simulation.
   */
  @Test
  void aLongRunIsAnnouncedOnStderrBeforeItStarts() {
    String mk = Long.toString(1L << 20);
    CliRun r = CliRun.of("time", "--gpu", "h100", "--m", mk, "--n", "128", "--k", mk);
    assertTrue(r.err().contains("block steps to simulate"), r.err());
    assertTrue(r.err().contains("this may take minutes"), r.err());
    int note = r.err().indexOf("block steps to simulate");
    int error = r.err().indexOf("too large");
    assertTrue(error > note, "the announcement comes first:\n" + r.err());
    assertEquals(2, r.exit(), r.err());
  }

  @Test
  void aSweepOfAHugeProblemIsRefusedBeforeAnyPoint() {
    CliRun r = CliRun.of("time", "--gpu", "h100", "--m", TWO_TO_40, "--n", "4096", "--k",
        TWO_TO_40, "--sweep", "sms=66:132:66");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("too large"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void anOrdinaryProblemIsNotAnnounced() {
    CliRun r = CliRun.of("time", "--gpu", "h100", "--m", "256", "--n", "256", "--k", "256");
    assertEquals(0, r.exit(), r.err());
    assertFalse(r.err().contains("block steps"), r.err());
  }
}

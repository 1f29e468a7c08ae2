package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** --spark without the tcsim-spark module on the class path (as here): a usage error. */
class ReplayBackendOptionTest {

  @Test
  void sparkWithoutTheModuleSaysHowToGetIt() {
    CliRun r = CliRun.of("replay", "llama3_8b_layer", "--spark", "local[2]");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--spark needs the tcsim-spark module on the class path"),
        r.err());
    assertTrue(r.out().isEmpty() || !r.out().contains("layer.q_proj"), "nothing replayed");
  }
}

package org.tcsim.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.tcsim.cli.Main;
import picocli.CommandLine;

/** With no Spark running, {@code --spark} starts one on the master given, or says why not. */
class SparkMasterTest {

  @Test
  void aMasterSparkCannotParseIsAUsageError() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("replay", "llama3_8b_layer", "--spark", "nonsense://x", "--quiet");
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("--spark nonsense://x: "), err.toString());
    assertTrue(err.toString().toLowerCase(java.util.Locale.ROOT).contains("master"),
        err.toString());
  }
}

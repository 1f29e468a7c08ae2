package org.tcsim.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.cli.Main;
import org.tcsim.replay.ReplayBackend;
import picocli.CommandLine;

/**
 * {@code tcsim replay --spark} and the spark-submit entry point print, report and exit exactly as
 * the local replay does.
 */
class SparkCliTest {

  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = LocalSpark.start("SparkCliTest");
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private record Run(int exit, String out, String err) {}

  private static Run tcsim(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(); // with the one exit-code map of every command
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void theCommandLineFindsTheSparkBackend() {
    assertTrue(ReplayBackend.find("spark").orElseThrow() instanceof SparkReplayBackend);
  }

  @Test
  void tableTotalsJsonAndReportAreByteForByteTheLocalOnes(@TempDir Path dir) throws IOException {
    Path trace = TestTraces.mixed(dir);
    String golden = dir.resolve("golden").toString();
    Run local = tcsim("replay", trace.toString(), "--golden", golden, "--sample", "40",
        "--json", dir.resolve("local.json").toString(), "--report",
        dir.resolve("local").toString());
    Run spark = tcsim("replay", trace.toString(), "--golden", golden, "--sample", "40",
        "--json", dir.resolve("spark.json").toString(), "--report",
        dir.resolve("spark").toString(), "--spark", "local[2]");
    assertEquals(1, local.exit(), local.out() + local.err()); // the golden case mismatches
    assertEquals(local.exit(), spark.exit(), spark.err());
    assertTrue(local.out().contains("MISMATCH (row 7, col 3)"), local.out());
    assertEquals(local.out().replace("local", "spark"), spark.out());
    assertArrayEquals(Files.readAllBytes(dir.resolve("local.json")),
        Files.readAllBytes(dir.resolve("spark.json")));
    assertArrayEquals(Files.readAllBytes(dir.resolve("local/index.html")),
        Files.readAllBytes(dir.resolve("spark/index.html")));
  }

  @Test
  void theSparkSubmitEntryPointIsTheReplayCommand(@TempDir Path dir) throws IOException {
    Path trace = TestTraces.mixed(dir);
    Path json = dir.resolve("job.json");
    assertEquals(0, SparkReplayJob.run(new String[] {trace.toString(), "--sample", "8",
        "--json", json.toString(), "--quiet"}));
    String text = Files.readString(json);
    assertTrue(text.contains("\"totals\": {\"gemms\": 6, \"simulated\": 5, \"skipped\": 1"),
        text);
    // A bad trace: exit 2 before any work, as locally.
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, TestTraces.HEADER
        + "bad,h100,64,64,0,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,1,0,2,,,t\n");
    assertEquals(2, SparkReplayJob.run(new String[] {bad.toString()}));
    assertEquals(2, tcsim("replay", bad.toString()).exit());
  }
}

package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One exit-status map for every command: 0 done, 1 a check failed, 2 bad input or usage (with one
 * line {@code tcsim CMD: message} on stderr), 3 a bug. Each registered command is listed here
 * with a bad input, and each command that checks something with a failing check; a command
 * added to {@link Main} without an entry fails {@link #everyCommandHasABadInputCase}.
 */
class ExitCodesTest {

  @TempDir static Path dir;

  private static final String GOLDEN_HEADER = "gpu,a_format,b_format,c_format,d_format,k,a,b,c,d\n";
  // A row measured on an H100 (h100_e4m3.csv, line 9; Khattak & Mikaitis, BSD-2-Clause), with
  // its last bit of D flipped: the hardware did not compute that, so the row must differ.
  private static final String FLIPPED_H100_ROW = "h100,e4m3,e4m3,fp32,fp32,32,37 38 aa 3b b3 2a 38"
      + " 3e 36 35 b8 2b 0f 29 38 35 b8 37 03 ba ae a6 3a 3d 92 26 b0 af b3 33 42 2d,31 b2 2d 29 bf"
      + " 2f bc b9 1b b3 b5 40 87 41 21 aa b7 3f b2 31 ad 9d b8 3a 3d 3b 9b 86 bc ac 12 83,00000000,"
      + "40727c01";

  private static Path garbage;
  private static Path missing;

  @BeforeAll
  static void files() throws IOException {
    garbage = Files.writeString(dir.resolve("garbage.csv"), "this,is\nnot,it,at all\n",
        StandardCharsets.UTF_8);
    missing = dir.resolve("missing.csv");
  }

  /** A bad input for each command (with its sub-command), by command. */
  private static Map<String, List<String>> badInputs() {
    String g = garbage.toString();
    String out = dir.resolve("out").toString();
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("verify", List.of("verify", missing.toString()));
    m.put("gpus", List.of("gpus", "v100"));
    m.put("check", List.of("check", "--gpu", "h100", "--a", missing.toString(), "--b",
        missing.toString(), "--out-dtype", "fp32", "--expect", missing.toString()));
    m.put("isa", List.of("isa", "--arch", "sm_70", "mma.sync.aligned.m16n8k32.row.col.f32.e4m3"
        + ".e4m3.f32"));
    m.put("time", List.of("time", "--gpu", "v100", "--m", "16", "--n", "16", "--k", "16"));
    m.put("formats", List.of("formats", "float8_e4m3"));
    m.put("convert", List.of("convert", "--to", "float8_e4m3fnuz"));
    m.put("capture plan", List.of("capture", "plan", "--out", out, "--gpu", "b200"));
    m.put("capture check", List.of("capture", "check", g));
    m.put("trace import", List.of("trace", "import", "--from", "cublaslt", missing.toString(),
        "--out", out));
    m.put("trace show", List.of("trace", "show", g));
    m.put("gemm", List.of("gemm", "--gpu", "b200", "--m", "8", "--n", "8", "--k", "40",
        "--scaling", "mxfp8"));
    m.put("whatif", List.of("whatif", g));
    m.put("train", List.of("train", "--recipe", "fp7", "--steps", "1"));
    m.put("replay", List.of("replay", g));
    return m;
  }

  @Test
  void everyCommandHasABadInputCase() {
    TreeSet<String> registered = new TreeSet<>();
    CliFuzzTest.commands().forEach(c -> registered.add(String.join(" ", c)));
    assertEquals(registered, new TreeSet<>(badInputs().keySet()));
  }

  @Test
  void badInputIsTwoWithOneLineNamingTheCommand() {
    for (Map.Entry<String, List<String>> e : badInputs().entrySet()) {
      CliRun r = CliRun.of(e.getValue().toArray(String[]::new));
      String command = e.getKey();
      assertEquals(2, r.exit(), command + ": " + r.err());
      assertTrue(r.err().startsWith("tcsim " + command + ": "), command + ": " + r.err());
      assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
      assertTrue(r.err().lines().count() <= 3, command + ": " + r.err());
    }
  }

  @Test
  void aFailedCheckIsOne() throws IOException {
    Path differs = Files.writeString(dir.resolve("differs.csv"), GOLDEN_HEADER + FLIPPED_H100_ROW
        + "\n");
    CliRun verify = CliRun.of("verify", differs.toString());
    assertEquals(1, verify.exit(), verify.err());
    // N=100 is not a multiple of 8 (PTX ISA, wgmma shapes): ptxas would reject it.
    CliRun isa = CliRun.of("isa", "wgmma.mma_async.sync.aligned.m64n100k32.f32.e4m3.e4m3");
    assertEquals(1, isa.exit(), isa.err());
  }

  @Test
  void theFormerExitOneCasesAreNowBadInput() throws IOException {
    // trace show of a malformed trace, trace import of a missing log, gemm's refusals: all 2.
    Path t = Files.writeString(dir.resolve("t.csv"), "name,gpu,m,n,k\nx,h100,1,1,-4\n");
    assertEquals(2, CliRun.of("trace", "show", t.toString()).exit());
    assertEquals(2, CliRun.run("zz\n", "convert", "--to", "e4m3").exit());
    assertEquals(2, CliRun.of("gemm", "--m", "0", "--n", "8", "--k", "32").exit());
  }

  @Test
  void helpListsTheExitCodesOfEveryCommand() {
    for (List<String> c : CliFuzzTest.commands()) {
      List<String> args = new ArrayList<>(c);
      args.add("--help");
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, r.exit(), c.toString());
      assertTrue(r.out().contains("Exit codes:"), c + ":\n" + r.out());
      assertTrue(r.out().contains("  2   bad"), c + ":\n" + r.out());
      assertTrue(r.out().contains("  3   internal error"), c + ":\n" + r.out());
    }
  }

  /** An exception nobody expected is a bug: 3, with the trace to report, not a "check failed". */
  @Test
  void anUnexpectedExceptionIsAnInternalError() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = new InputErrors().handleExecutionException(new NullPointerException("boom"), cl,
        null);
    assertEquals(3, code);
    assertTrue(err.toString().startsWith("tcsim: internal error"), err.toString());
    assertTrue(err.toString().contains("NullPointerException: boom"), err.toString());
    assertEquals(null, InputErrors.message(new IllegalStateException("x")));
    assertEquals("x", InputErrors.message(new IllegalArgumentException("x")));
    assertEquals(missing + ": no such file or folder", InputErrors.message(
        new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException(missing.toString()))));
  }
}

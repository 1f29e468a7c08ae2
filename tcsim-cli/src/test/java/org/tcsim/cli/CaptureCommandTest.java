package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureCommandTest {

  @TempDir Path tmp;

  @Test
  void planThenCheckPasses() {
    Path dir = tmp.resolve("plan");
    CliRun plan = CliRun.of("capture", "plan", "--out", dir.toString(), "--gpu", "h100");
    assertEquals(0, plan.exit(), plan.err());
    assertTrue(plan.out().contains("wrote 53 cases"), plan.out());
    CliRun check = CliRun.of("capture", "check", dir.toString());
    assertEquals(0, check.exit(), check.err());
    assertTrue(check.out().contains("splitk_m64n64k8192_fa1"), check.out());
    assertTrue(check.out().contains("0 captured"), check.out());
    assertTrue(check.out().trim().endsWith("OK"), check.out());
  }

  @Test
  void checkReportsACorruptedFile() throws Exception {
    Path dir = tmp.resolve("plan");
    assertEquals(0, CliRun.of("capture", "plan", "--out", dir.toString()).exit());
    Path a = dir.resolve("operands/sanity_ones.a.hex");
    Files.writeString(a, Files.readString(a).replaceFirst("38", "39"));
    CliRun check = CliRun.of("capture", "check", dir.toString());
    assertEquals(2, check.exit());
    assertTrue(check.err().contains("corrupted"), check.err());
    assertTrue(check.err().contains("sanity_ones.a.hex"), check.err());
  }

  @Test
  void badArgumentsAreRefused() {
    CliRun gpu = CliRun.of("capture", "plan", "--out", tmp.resolve("x").toString(), "--gpu", "b200");
    assertEquals(2, gpu.exit());
    assertTrue(gpu.err().contains("--gpu b200 is sm_100a (Blackwell); the capture kit runs wgmma"),
        gpu.err());
    CliRun unknown = CliRun.of("capture", "plan", "--out", tmp.resolve("x").toString(), "--gpu",
        "v100");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("unknown GPU 'v100'; known: h100"), unknown.err());
    CliRun missing = CliRun.of("capture", "check", tmp.resolve("nothing").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("not a golden GEMM folder"), missing.err());
  }

  @Test
  void planRefusesToOverwrite() {
    Path dir = tmp.resolve("plan");
    assertEquals(0, CliRun.of("capture", "plan", "--out", dir.toString()).exit());
    CliRun again = CliRun.of("capture", "plan", "--out", dir.toString());
    assertEquals(2, again.exit());
    assertTrue(again.err().contains("already holds"), again.err());
  }
}

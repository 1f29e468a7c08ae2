package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupting a running {@code tcsim gemm} (a separate JVM, stopped the way a terminal's Ctrl-C
 * or a kill stops it: the JVM's shutdown hooks run) ends it cleanly with a line saying how much
 * of D was done.
 */
class GemmInterruptTest {

  @Test
  void anInterruptedGemmSaysHowFarItGot(@TempDir Path dir) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "gemm", "--m", "1024",
        "--n", "1024", "--k", "8192", "--threads", "1");
    Path errFile = dir.resolve("stderr.txt");
    pb.redirectError(errFile.toFile());
    Process p = pb.start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("config:"));
      assertTrue(line != null, "the GEMM never started");
      TimeUnit.MILLISECONDS.sleep(2000);
      p.destroy(); // SIGTERM: shutdown hooks run, as for SIGINT
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process did not stop");
    } finally {
      p.destroyForcibly();
    }
    String err = Files.readString(errFile, StandardCharsets.UTF_8);
    // How far it got depends on the machine's speed (the operands are packed and checked before
    // the first tile): either form is a clean stop; GemmMonitorTest checks the counts.
    assertTrue(err.matches("(?s).*tcsim gemm: interrupted after [0-9.]+ s; (\\d+ of \\d+ tiles "
        + "of D \\(\\d+%\\) were done|the GEMM had not started); nothing was written.*"), err);
  }
}

package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GemmCommandTest {

  @Test
  void smallGemmPrintsAccuracyAndWritesCsv(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("g.csv");
    CliRun r = CliRun.of("gemm", "--m", "8", "--n", "16", "--k", "256", "--scaling", "block",
        "--out-dtype", "bf16", "--dist", "outliers", "--threads", "2", "--write", csv.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("accuracy vs exact (all 128 of 128 elements)"), r.out());
    assertTrue(r.out().contains("kernel fp8-row-batch"), r.out());
    // the timing model's prediction for the same GEMM stands beside its accuracy
    assertTrue(r.out().contains("predicted on h100-sxm: "), r.out());
    // header + comment + 8*256 A + 8*2 A scales + 16*256 B + 2 B scales + 128 D
    assertEquals(2 + 2048 + 16 + 4096 + 2 + 128, Files.readAllLines(csv).size());
  }

  @Test
  void refusesWhatDoesNotFitAndBadShapes() {
    CliRun big = CliRun.of("gemm", "--m", "100000", "--n", "100000", "--k", "100000");
    assertEquals(2, big.exit(), "too large for the heap is bad input");
    assertTrue(big.err().contains("GiB"), big.err());
    CliRun block = CliRun.of("gemm", "--m", "8", "--n", "8", "--k", "200", "--scaling", "block");
    assertEquals(2, block.exit());
    assertTrue(block.err().contains("K=200 is not a multiple of 128"), block.err());
    assertTrue(block.err().startsWith("tcsim gemm: "), block.err());
  }

  /** --out is a path everywhere in tcsim; the output format is --out-dtype. */
  @Test
  void outIsNotAFormat() {
    CliRun r = CliRun.of("gemm", "--m", "8", "--n", "8", "--k", "32", "--out", "bf16");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--out-dtype bf16"), r.err());
    assertEquals("", r.out());
    CliRun ok = CliRun.of("gemm", "--m", "8", "--n", "8", "--k", "32", "--out-dtype",
        "R_16BF");
    assertEquals(0, ok.exit(), ok.err());
    assertTrue(ok.out().contains("out bf16"), ok.out());
  }

  @Test
  void unknownOptionSaysWhichAndSuggestsOne() {
    CliRun r = CliRun.of("gemm", "-m", "5");
    assertEquals(2, r.exit());
    List<String> lines = r.err().lines().toList();
    assertEquals(List.of("tcsim gemm: unknown option '-m'", "did you mean '--m'?",
        "Try 'tcsim gemm --help' for more information."), lines);
    assertEquals("", r.out());
  }
}

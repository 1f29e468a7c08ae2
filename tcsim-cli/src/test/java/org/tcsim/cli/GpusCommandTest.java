package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GpusCommandTest {

  @Test
  void listsTheCatalogueWithAliasesAndTiming() {
    CliRun r = CliRun.of("gpus");
    assertEquals(0, r.exitCode(), r.err());
    for (String id : List.of("h100 ", "h200 ", "h800 ", "b200 ", "l40s ")) {
      assertTrue(r.out().contains("\n" + id), id + " in\n" + r.out());
    }
    assertTrue(r.out().contains("H100 SXM5"), r.out());
    assertTrue(r.out().contains("148 SMs"), "B200's machine: " + r.out());
    // The H200 was measured holding 1.98 GHz; the H800's rows report no clock, so it has no ceiling.
    String h200 = r.out().lines().filter(l -> l.startsWith("h200 ")).findFirst().orElseThrow();
    assertTrue(h200.contains("1.830 GHz, holds up to 1.980, 1979 FP8 TFLOPS"), h200);
    String h800 = r.out().lines().filter(l -> l.startsWith("h800 ")).findFirst().orElseThrow();
    assertTrue(h800.contains("1.830 GHz, 1979 FP8 TFLOPS"), h800);
  }

  @Test
  void oneGpuInFullNamesEverySource() {
    CliRun r = CliRun.of("gpus", "H800 SXM5");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("h800: NVIDIA H800 SXM5, sm_90a"), r.out());
    assertTrue(r.out().contains("h100.fp8.fp32"), r.out());
    assertTrue(r.out().contains("cublaslt  mma k32, promotion every 4"), r.out());
    assertTrue(r.out().contains("deepgemm  mma k32, promotion every 4 (FMA), fast accum: not offered"),
        r.out());
    assertTrue(r.out().contains("hbm_tbps"), r.out());
  }

  @Test
  void anUnknownGpuIsAnInputErrorListingTheKnownOnes() {
    CliRun r = CliRun.of("gpus", "mi300x");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("unknown GPU 'mi300x'; known: h100"), r.err());
  }

  @Test
  void everyCommandTakingAGpuRefusesAnUnknownOneTheSameWay() {
    List<List<String>> calls = List.of(
        List.of("gemm", "--gpu", "mi300x", "--m", "16", "--n", "16", "--k", "32"),
        List.of("time", "--gpu", "mi300x", "--m", "128", "--n", "128", "--k", "128"),
        List.of("train", "--gpu", "mi300x", "--recipe", "tensor-current", "--steps", "1"));
    for (List<String> c : calls) {
      CliRun r = CliRun.of(c.toArray(String[]::new));
      assertTrue(r.exitCode() != 0, c + " exit " + r.exitCode());
      assertTrue(r.err().contains("unknown GPU 'mi300x'; known: h100"), c + ": " + r.err());
    }
  }
}

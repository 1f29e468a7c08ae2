package org.tcsim.h100;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.PtxParser;
import org.tcsim.timing.InstructionTiming;

/**
 * Instruction timing on Hopper held to the published microbenchmarks: Luo et al. (arXiv 2402.13499,
 * 2501.12084) measured wgmma m64n256k32 FP8 at 128 cycles and about N/2 for smaller N, and
 * mma.sync m16n8k32 FP8 at about 24 cycles and 63% of peak.
 */
class WgmmaTimingTest {

  private static InstructionTiming wgmma(int n, boolean aFromRegisters) {
    String ptx = "wgmma.mma_async.sync.aligned.m64n" + n + "k32.f32.e4m3.e4m3";
    String operands = aFromRegisters ? " d, {a0, a1, a2, a3}, bdesc, 1, 1, 1;" : " d, adesc, bdesc, 1, 1, 1, 1, 1;";
    return WgmmaPipeline.timing("h800", PtxParser.parse(ptx + operands));
  }

  @Test
  void m64n256k32Fp8TakesThe128CyclesLuoEtAlMeasured() {
    InstructionTiming t = wgmma(256, false);
    assertEquals(128, t.latency(), 128 * 0.05);
    assertEquals(1.0, t.peakShare(), 0.01);
  }

  @Test
  void smallerNTakesAboutHalfN() {
    for (int n : new int[] {64, 96, 128, 192}) {
      assertEquals(n / 2.0, wgmma(n, false).latency(), n / 2.0 * 0.1, "N=" + n);
    }
    // With A in registers only B is fetched, so N/2 holds down to small N.
    for (int n : new int[] {16, 32, 64}) {
      assertEquals(n / 2.0, wgmma(n, true).latency(), n / 2.0 * 0.1, "N=" + n + ", A from registers");
    }
  }

  @Test
  void mmaSyncFp8IsAbout24CyclesAt63PercentOfPeak() {
    InstructionTiming t = WgmmaPipeline.timing("h800",
        PtxParser.parse("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32", Architecture.SM_90A));
    assertEquals(24, t.latency(), 24 * 0.1);
    assertEquals(0.63, t.peakShare(), 0.05);
  }
}

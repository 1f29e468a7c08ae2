package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code tcsim isa} run in-process through picocli, as the launcher runs it. */
class IsaCommandTest {

  @Test
  void describesAHopperFp8Wgmma() {
    CliRun r = CliRun.of("isa", "wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2");
    assertEquals(0, r.exit(), r.err());
    String expected = String.join(System.lineSeparator(),
        "instruction   wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2",
        "family        wgmma.mma_async",
        "architecture  sm_90a, Hopper (H100, H200, H800)",
        "issued by     warpgroup (128 threads)",
        "shape         M=64 N=128 K=32 (m64n128k32)",
        "A             e4m3 (FP8 E4M3), from shared memory (descriptor)",
        "B             e5m2 (FP8 E5M2)",
        "accumulator   f32 (IEEE binary32)",
        "FLOPs         524,288 (2*M*N*K)",
        "datapath      sm_90a wgmma.mma_async e4m3 x e5m2 -> f32",
        "preset        h100.fp8.fp32 (reproduces every golden hardware sample)",
        "              BFMA: 32 products/step, 13 alignment bits (neab -10), truncate, C joins"
            + " with_products, normalise to 13 mantissa bits, RZ into fp32",
        "source        Khattak & Mikaitis, ACM TACO, doi 10.1145/3830409 (H100TC)",
        // Luo et al. (arXiv 2402.13499): about N/2 = 64 cycles, at the dense rate.
        "timing        h100-sxm: latency 64.0 cycles, issue every 64.00 cycles per SM, 100% of the SM's dense peak",
        "timing        h800: latency 64.0 cycles, issue every 64.00 cycles per SM, 100% of the SM's dense peak",
        "timing        h200: latency 64.0 cycles, issue every 64.00 cycles per SM, 100% of the SM's dense peak",
        "timing        h100-pcie: latency 64.0 cycles, issue every 64.00 cycles per SM, 100% of the SM's dense peak",
        "              occupancy 2*M*N*K / 8192 FLOP/clk = 64 cycles; operands 6144 B from shared memory at"
            + " 128 B/clk; latency = occupancy as measured by Luo et al. (arXiv 2402.13499: m64n256k32 FP8"
            + " 128 cycles, about N/2 for smaller N)",
        "");
    assertEquals(expected, r.out());
    assertEquals("", r.err());
  }

  @Test
  void describesABlockScaledPairMma() {
    CliRun r = CliRun.of("isa", "tcgen05.mma.cta_group::2.kind::mxf4nvf4.block_scale.scale_vec::4X"
        + ".m256n256k64.f32.e2m1.e2m1.ue4m3");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("issued by     single thread (1 thread)"), r.out());
    assertTrue(r.out().contains("block scale   ue4m3 scale per 16 K-elements (scale_vec::4X)"), r.out());
    assertTrue(r.out().contains("cta group     2 CTAs"), r.out());
    // 2 * 256 * 256 * 64 = 8,388,608 for the pair; half per CTA.
    assertTrue(r.out().contains("FLOPs         8,388,608 (2*M*N*K); 4,194,304 per CTA"), r.out());
    assertTrue(r.out().contains("architecture  sm_100a, Blackwell"), r.out());
  }

  @Test
  void mmaSyncTakesItsTargetFromArch() {
    CliRun r = CliRun.of("isa", "--arch", "sm_100a", "mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32",
        "{%f0,%f1,%f2,%f3},", "{%r0,%r1,%r2,%r3},", "{%r4,%r5},", "{%f0,%f1,%f2,%f3};");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("issued by     warp (32 threads)"), r.out());
    assertTrue(r.out().contains("datapath      sm_100a mma.sync e4m3 x e4m3 -> f32"), r.out());
    assertTrue(r.out().contains("FLOPs         8,192 (2*M*N*K)"), r.out());
  }

  @Test
  void illegalInstructionExitsOneWithTheReason() {
    CliRun r = CliRun.of("isa", "wgmma.mma_async.sync.aligned.m64n100k32.f32.e4m3.e4m3");
    assertEquals(1, r.exit());
    assertEquals("", r.out());
    assertEquals("tcsim isa: illegal instruction: N=100 is not legal for wgmma: N must be a"
        + " multiple of 8 from 8 to 256" + System.lineSeparator(), r.err());

    CliRun wrongArch = CliRun.of("isa", "--arch", "sm_100a",
        "wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e4m3");
    assertEquals(1, wrongArch.exit());
    assertTrue(wrongArch.err().contains("runs only on sm_90a (Hopper), not on sm_100a (Blackwell)"),
        wrongArch.err());
  }

  @Test
  void badUsageExitsTwo() {
    CliRun r = CliRun.of("isa", "--arch", "sm_75", "mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--arch: unknown architecture 'sm_75'; known: sm_80, sm_89, sm_90a, "
        + "sm_100a"), r.err());
    CliRun fp8OnAmpere = CliRun.of("isa", "--arch", "sm_80",
        "mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32");
    assertEquals(1, fp8OnAmpere.exit()); // illegal on that target, as wrongArch above
    assertTrue(fp8OnAmpere.err().contains("FP8 (.e4m3) mma.sync needs sm_89 or later"),
        fp8OnAmpere.err());
    assertEquals(2, CliRun.of("isa").exit());
  }
}

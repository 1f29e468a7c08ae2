package org.tcsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.Gemm;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.PromotionRule;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.h100.HopperTensorCore;
import org.tcsim.traces.golden.gemm.GemmProvenance;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.golden.gemm.GoldenGemmFolder;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.Scaling;

class ReplayerGoldenTest {

  private static final int FP32_64 = 0x42800000; // 64.0f: 2 * K for K = 32
  private static final int FP32_512 = 0x44000000; // 512.0f: 2 * K for K = 256 (two promotions)

  private static List<ReplayResult> replay(Replayer r, GemmSpec... specs) {
    List<ReplayResult> out = new ArrayList<>();
    ReplayTotals t = r.run(List.of(specs).iterator(), out::add);
    assertEquals(specs.length, t.gemms());
    return out;
  }

  private static Replayer replayer(GoldenGemmCase... cases) {
    Map<String, GoldenGemmCase> byId = new java.util.HashMap<>();
    for (GoldenGemmCase c : cases) {
      byId.put(c.id(), c);
    }
    return new Replayer(Replayer.Options.defaults().withGolden(byId).withThreads(2));
  }

  @Test
  void handDerivedAllOnesMatchesBitForBit(@TempDir Path dir) throws Exception {
    // Through the golden folder format and back, as a captured folder would arrive.
    GoldenGemmFolder.write(dir, List.of("test"), List.of(
        GoldenFixtures.allOnes("ones_k32", 16, 8, 32, FP32_64),
        GoldenFixtures.allOnes("ones_k256", 4, 4, 256, FP32_512)));
    Map<String, GoldenGemmCase> cases = new java.util.HashMap<>();
    GoldenGemmFolder.read(dir).forEach(c -> cases.put(c.id(), c));
    Replayer r = new Replayer(Replayer.Options.defaults().withGolden(cases));
    ReplayTotals totals = new ReplayTotals();
    List<ReplayResult> results = new ArrayList<>();
    r.run(List.of(GoldenFixtures.specFor("ones-k32", 16, 8, 32),
        GoldenFixtures.specFor("ONES_K256", 4, 4, 256)).iterator(), x -> {
          totals.add(x);
          results.add(x);
        });
    for (ReplayResult x : results) {
      assertEquals(ReplayResult.Status.MATCHED, x.status(), x.message());
      assertTrue(x.golden().passed());
      assertEquals(0, x.golden().mismatches());
    }
    assertEquals(16 * 8, results.get(0).golden().compared());
    assertEquals(16, results.get(1).golden().compared());
    assertEquals(0, totals.exitStatus(true));
  }

  @Test
  void oneFlippedBitIsReportedWithPositionBitsAndUlps() {
    GoldenGemmCase good = GoldenFixtures.allOnes("ones", 64, 64, 32, FP32_64);
    // GPU "said" 64.00000762939453 (one more ULP) at row 37, col 5.
    GoldenGemmCase bad = GoldenFixtures.withExpected(good, 37, 5, FP32_64 + 1);
    ReplayResult x = replay(replayer(bad), GoldenFixtures.specFor("ones", 64, 64, 32)).get(0);
    assertEquals(ReplayResult.Status.MISMATCHED, x.status());
    GoldenComparison g = x.golden();
    assertEquals(64 * 64, g.compared());
    assertEquals(64 * 64 - 1, g.bitExact());
    assertEquals(1, g.ulpHistogram()[GoldenComparison.bin(1)]);
    Mismatch m = g.firstMismatches().get(0);
    assertEquals(37, m.row());
    assertEquals(5, m.col());
    assertEquals(FP32_64, m.actual());
    assertEquals(FP32_64 + 1, m.expected());
    assertEquals(1, m.ulps());
    assertEquals("(row 37, col 5): simulated 0x42800000 (64.0), gpu 0x42800001 "
        + "(64.00000762939453), 1 ulp", m.describe("simulated", "gpu"));
    // 64 x 64 with at most 32 x 32 blocks: blocks of 2 x 2; row 37 col 5 is block (18, 2).
    assertEquals(2, g.blockRows());
    assertEquals(0.25, g.heatMap()[18][2]);
    assertEquals(0.0, g.heatMap()[0][0]);
    ReplayTotals t = new ReplayTotals();
    t.add(x);
    assertEquals(1, t.exitStatus(true));
  }

  @Test
  void sizeOfMismatchIsCountedInUlpsEvenAcrossZero() {
    GoldenGemmCase good = GoldenFixtures.allOnes("ones", 4, 4, 32, FP32_64);
    GoldenGemmCase bad = GoldenFixtures.withExpected(good, 0, 0, 0xC2800000); // -64.0
    ReplayResult x = replay(replayer(bad), GoldenFixtures.specFor("ones", 4, 4, 32)).get(0);
    // From +64 down to +0 is 0x42800000 codes, and as many again to -64.
    assertEquals(2L * 0x42800000L, x.golden().firstMismatches().get(0).ulps());
    // 2 * 0x42800000 is about 2^31: beyond the last power-of-two bin.
    assertEquals(1, x.golden().ulpHistogram()[UlpBins.DISTANCE_LABELS.indexOf(">2^24")]);
  }

  @Test
  void zeroComparableCasesFailAndShapeConflictsFail() {
    GoldenGemmCase ones = GoldenFixtures.allOnes("ones", 4, 4, 32, FP32_64);
    // The trace has no GEMM named like the case: nothing compared, golden requested.
    List<ReplayResult> none = new ArrayList<>();
    ReplayTotals t = replayer(ones).run(
        List.of(GoldenFixtures.specFor("other", 4, 4, 32)).iterator(), none::add);
    assertNull(none.get(0).golden());
    assertEquals(ReplayResult.Status.SIMULATED, none.get(0).status());
    assertEquals(1, t.exitStatus(true));
    assertEquals(0, t.exitStatus(false));
    // Same name, other shape: a failed comparison, not a silent simulation.
    ReplayResult x = replay(replayer(ones), GoldenFixtures.specFor("ones", 4, 8, 32)).get(0);
    assertEquals(ReplayResult.Status.FAILED, x.status());
    assertTrue(x.message().contains("4x4x32"), x.message());
  }

  @Test
  void simulatorGeneratedFolderMatchesAcrossRowBands(@TempDir Path dir) throws Exception {
    // Seeded operands with DeepSeek-style block scales would not fit the golden format, which
    // captures per-tensor and row-wise scales; use row-wise scales and random codes.
    int m = 384;
    int n = 48;
    int k = 256;
    GemmSpec spec = GemmSpec.builder("rowwise", "h100", m, n, k)
        .scaling(Scaling.both(ScaleMode.OUTER_VEC_32F)).outFormat(FpFormat.BF16)
        .data(new org.tcsim.traces.trace.OperandData.Seeded(7)).build();
    ReplayOperands ops = OperandFactory.seeded(spec, 7, 0);
    // The whole D at once, the way a plain Gemm.run computes it.
    int[] d = Gemm.run(HopperTensorCore.FP8_FP32, new GemmConfig(32, 4, PromotionRule.FMA, 1, 1f,
        0f, FpFormat.BF16, 1f, null, 1), ops.a(), ops.b()).d().codes();
    GoldenGemmCase g = new GoldenGemmCase("rowwise", "simulated", m, n, k, FpFormat.E4M3,
        FpFormat.E4M3, FpFormat.BF16, FpFormat.BF16, ScaleMode.OUTER_VEC_32F, ops.a().scales(),
        ops.b().scales(), 1f, 1f, 0f, false, ops.a().codes(), ops.b().codes(), null, d, "ok",
        new GoldenGemmCase.Generators("-", "-", "-", "-", "-"), GemmProvenance.none());
    GoldenGemmFolder.write(dir, List.of(), List.of(g));
    Map<String, GoldenGemmCase> cases = Map.of("rowwise", GoldenGemmFolder.read(dir).get(0));
    // Bands of 128 rows: three bands, each Gemm.run on its own rows of A.
    Replayer banded = new Replayer(Replayer.Options.defaults().withGolden(cases).withThreads(2),
        128);
    List<ReplayResult> out = new ArrayList<>();
    banded.run(List.of(spec).iterator(), out::add);
    assertEquals(ReplayResult.Status.MATCHED, out.get(0).status(), out.get(0).message());
    assertEquals((long) m * n, out.get(0).golden().compared());
    // A flipped low bit in the last band is found there.
    int[] tampered = d.clone();
    tampered[300 * n + 47] ^= 1;
    GoldenGemmCase t = new GoldenGemmCase("rowwise", "tampered", m, n, k, FpFormat.E4M3,
        FpFormat.E4M3, FpFormat.BF16, FpFormat.BF16, ScaleMode.OUTER_VEC_32F, g.scaleA(),
        g.scaleB(), 1f, 1f, 0f, false, g.a(), g.b(), null, tampered, "ok", g.generators(),
        g.provenance());
    out.clear();
    new Replayer(Replayer.Options.defaults().withGolden(Map.of("rowwise", t)), 128)
        .run(List.of(spec).iterator(), out::add);
    Mismatch mm = out.get(0).golden().firstMismatches().get(0);
    assertEquals(300, mm.row());
    assertEquals(47, mm.col());
    assertEquals(1, mm.ulps());
    assertEquals(1, out.get(0).golden().mismatches());
  }

  @Test
  void seededReplayHasAccuracyAndTiming() {
    GemmSpec spec = GemmSpec.builder("x", "h100", 64, 64, 256)
        .scaling(new Scaling(ScaleMode.VEC128_32F, ScaleMode.BLK128x128_32F)).build();
    ReplayResult x = replay(new Replayer(Replayer.Options.defaults()), spec).get(0);
    assertEquals(ReplayResult.Status.SIMULATED, x.status(), x.message());
    assertNotNull(x.timing());
    assertTrue(x.tflops() > 0);
    assertEquals(64 * 64, x.accuracy().total());
    assertEquals(256, x.accuracy().compared());
    assertEquals("h100.fp8.fp32", x.preset());
  }
}

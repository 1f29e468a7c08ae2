package org.tcsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.OperandData;
import org.tcsim.traces.trace.Scaling;

/**
 * Bands computed apart (each from operands built anew, in any order, through Java
 * serialisation) and folded in band order give exactly the result of the local replay: what a
 * distributed replay relies on.
 */
class GemmPlanTest {

  private static final Path HERE = Path.of("").toAbsolutePath();

  /** Each band from its own operands, computed last band first, sent through serialisation. */
  private static ReplayResult apart(GemmPlan plan, Replayer.Options options) throws Exception {
    List<BandSummary> summaries = new ArrayList<>();
    for (int g = plan.groups() - 1; g >= 0; g--) {
      for (int b = plan.bands() - 1; b >= 0; b--) {
        ReplayOperands ops = Replayer.operands(plan.spec(), plan.golden(), g, HERE);
        summaries.add(0, roundTrip(plan.product(ops, g, 1).band(b)));
      }
    }
    GemmPlan.Fold fold = plan.fold();
    summaries.forEach(fold::add);
    return fold.result(0);
  }

  private static BandSummary roundTrip(BandSummary s) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      return (BandSummary) in.readObject();
    }
  }

  private static ReplayResult local(GemmSpec spec, Replayer.Options options) {
    List<ReplayResult> out = new ArrayList<>();
    new Replayer(options, 128).run(List.of(spec).iterator(), out::add);
    return out.get(0);
  }

  @Test
  void bandsComputedApartFoldToTheLocalResult() throws Exception {
    Replayer.Options options = Replayer.Options.defaults().withThreads(1).withAccuracySample(40);
    List<GemmSpec> specs = List.of(
        // Three bands (128, 128, 44 rows) with C: the sample is spread over the bands.
        GemmSpec.builder("tall", "h100", 300, 24, 64).scaling(Scaling.both(ScaleMode.OUTER_VEC_32F))
            .outFormat(FpFormat.FP32).beta(1).data(new OperandData.Seeded(3)).build(),
        // Four products of two bands each, FP8 out.
        GemmSpec.builder("moe", "h100", 200, 16, 32).groups(4).outFormat(FpFormat.E4M3)
            .data(new OperandData.Seeded(4)).build(),
        // DeepSeek-style 128x128 blocks of B on a Hopper variant.
        GemmSpec.builder("blocks", "h800", 256, 128, 256)
            .scaling(new Scaling(ScaleMode.VEC128_32F, ScaleMode.BLK128x128_32F))
            .data(new OperandData.Seeded(5)).build());
    for (GemmSpec spec : specs) {
      GemmPlan plan = GemmPlan.of(0, spec, options, 128);
      assertNull(plan.settled());
      assertTrue(plan.bands() >= 2, spec.name() + " has " + plan.bands() + " band(s)");
      assertEquals(ReplayFingerprint.of(local(spec, options)),
          ReplayFingerprint.of(apart(plan, options)), spec.name());
    }
  }

  @Test
  void goldenComparisonsMergeAcrossBandsInRowOrder() throws Exception {
    // All ones, k = 32: every element is 0.5 * 4 * 32 = 64 (0x42800000), see GoldenFixtures.
    GoldenGemmCase ones = GoldenFixtures.allOnes("ones", 300, 8, 32, 0x42800000);
    // Twelve wrong elements in three bands: the first ten in row order are kept.
    GoldenGemmCase bad = ones;
    int[][] at = {{299, 7}, {5, 1}, {130, 0}, {0, 3}, {257, 2}, {128, 6}, {200, 5}, {1, 0},
        {255, 7}, {256, 0}, {64, 4}, {129, 1}};
    for (int[] p : at) {
      bad = GoldenFixtures.withExpected(bad, p[0], p[1], 0x42800001);
    }
    Replayer.Options options = Replayer.Options.defaults().withThreads(1)
        .withGolden(Map.of("ones", bad));
    GemmSpec spec = GoldenFixtures.specFor("ones", 300, 8, 32);
    GemmPlan plan = GemmPlan.of(0, spec, options, 128);
    assertEquals(3, plan.bands());
    ReplayResult x = apart(plan, options);
    assertEquals(ReplayResult.Status.MISMATCHED, x.status());
    assertEquals(12, x.golden().mismatches());
    assertEquals(GoldenComparison.KEEP, x.golden().firstMismatches().size());
    List<String> firstTen = x.golden().firstMismatches().stream()
        .map(m -> m.row() + "," + m.col()).toList();
    assertEquals(List.of("0,3", "1,0", "5,1", "64,4", "128,6", "129,1", "130,0", "200,5",
        "255,7", "256,0"), firstTen);
    assertEquals(ReplayFingerprint.of(local(spec, options)), ReplayFingerprint.of(x));
  }

  @Test
  void theFoldTakesEachBandOnceInOrder() {
    Replayer.Options options = Replayer.Options.defaults().withThreads(1).withAccuracySample(4);
    GemmSpec spec = GemmSpec.builder("two", "h100", 200, 8, 32).build();
    GemmPlan plan = GemmPlan.of(0, spec, options, 128);
    GemmPlan.Product p = plan.product(OperandFactory.seeded(spec, 0, 0), 0, 1);
    BandSummary first = p.band(0);
    BandSummary second = p.band(1);
    GemmPlan.Fold fold = plan.fold();
    assertThrows(IllegalArgumentException.class, () -> fold.add(second));
    fold.add(first);
    assertThrows(IllegalStateException.class, () -> fold.result(0));
    assertThrows(IllegalArgumentException.class, () -> fold.add(first));
    fold.add(second);
    assertTrue(fold.complete());
    assertEquals(200 * 8, fold.result(0).accuracy().total());
  }

  @Test
  void gemmsTheModelCannotRunAreSettledWithoutWork() {
    Replayer.Options options = Replayer.Options.defaults();
    GemmSpec mx = GemmSpec.builder("mx", "h100", 8, 8, 64)
        .scaling(Scaling.both(ScaleMode.VEC32_UE8M0)).build();
    GemmPlan plan = GemmPlan.of(0, mx, options, 0);
    assertNotNull(plan.settled());
    assertEquals(ReplayResult.Status.SKIPPED, plan.settled().status());
    assertEquals(0, plan.groups());
    assertEquals(0, plan.bands());
    assertThrows(IllegalStateException.class, plan::fold);
    // A golden case of another shape fails the GEMM before any work.
    GoldenGemmCase ones = GoldenFixtures.allOnes("ones", 4, 4, 32, 0x42800000);
    GemmPlan failed = GemmPlan.of(1, GoldenFixtures.specFor("ones", 4, 8, 32),
        options.withGolden(Map.of("ones", ones)), 0);
    assertEquals(ReplayResult.Status.FAILED, failed.settled().status());
    assertFalse(failed.settled().message().isEmpty());
  }
}

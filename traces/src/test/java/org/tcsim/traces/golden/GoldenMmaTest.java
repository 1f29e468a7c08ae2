package org.tcsim.traces.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tcsim.core.datapath.AccumulatorJoin;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.datapath.StepOrder;
import org.tcsim.core.datapath.Evidence;
import org.tcsim.core.datapath.TensorCoreModel;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;
import org.tcsim.h100.HopperTensorCore;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;

/**
 * The acceptance test of the functional model against hardware measurements (H100, B200, Ada and
 * A100 tensor cores; data of Khattak &amp; Mikaitis, shipped in traces' resources with checksums).
 */
class GoldenMmaTest {

  /**
   * Match rates reached by the presets that are open questions (FP8 in, FP16 out on H100 and B200),
   * as measured with the parameters shipped. They guard against regressions; when a model reaches
   * 100% its preset must be promoted to MATCHES_HARDWARE instead.
   */
  private static final Map<String, Double> OPEN_QUESTION_FLOOR = Map.of();

  static Stream<String> files() {
    return EmbeddedGolden.names().stream();
  }

  private static ReplaySummary replayAll(List<GoldenMmaRow> rows, String name) {
    ReplaySummary summary = new ReplaySummary(name, 5);
    new MmaReplayer(true).replay(rows, summary, null);
    return summary;
  }

  @ParameterizedTest
  @MethodSource("files")
  void everyRowHasAModelAndEveryFp32OutputRowMatches(String file) {
    List<GoldenMmaRow> rows = EmbeddedGolden.load(file);
    ReplaySummary summary = replayAll(rows, file);
    assertEquals(rows.size(), summary.compared(), "every row of " + file + " is compared");
    long fp32 = rows.stream().filter(r -> r.dFormat() == FpFormat.FP32).count();
    // 5000 per file, except the A100 files, which hold the released half of the published rows.
    assertTrue(fp32 >= 2500, file + " has " + fp32 + " FP32-output rows");
    ReplaySummary fp32Only = replayAll(
        rows.stream().filter(r -> r.dFormat() == FpFormat.FP32).toList(), file);
    assertEquals(fp32, fp32Only.matched(), file + " FP32-output mismatches:" + describe(fp32Only));
  }

  @Test
  void everyPresetClaimingToMatchHardwareMatchesEveryRow() {
    ReplaySummary total = new ReplaySummary("all", 5);
    for (String file : EmbeddedGolden.names()) {
      total.addAll(replayAll(EmbeddedGolden.load(file), file));
    }
    Map<String, Evidence> evidence = new HashMap<>();
    for (TensorCoreModel m : GpuCatalog.all().stream().map(Gpu::tensorCore).distinct().toList()) {
      for (DatapathPreset p : m.presets()) {
        evidence.put(p.id(), p.evidence());
      }
    }
    int checked = 0;
    for (Map.Entry<String, long[]> e : total.byPreset().entrySet()) {
      long compared = e.getValue()[0];
      long matched = e.getValue()[1];
      switch (evidence.get(e.getKey())) {
        case MATCHES_HARDWARE -> {
          assertEquals(compared, matched, e.getKey() + " claims to match the hardware");
          checked++;
        }
        case OPEN_QUESTION -> {
          double rate = (double) matched / compared;
          Double floor = OPEN_QUESTION_FLOOR.get(e.getKey());
          assertTrue(floor != null, "record the measured rate of " + e.getKey());
          assertTrue(rate >= floor, e.getKey() + " fell to " + rate);
          assertTrue(rate < 1.0, e.getKey() + " now matches every row: promote it");
        }
        case PUBLISHED_MODEL, HYPOTHESIS -> throw new AssertionError(
            e.getKey() + " has golden rows now: say whether it matches them");
      }
    }
    assertTrue(checked >= 18, "presets checked against hardware: " + checked);
  }

  /** Replays the FP16-output FP8 rows of one file with other parameters in place of the preset's. */
  private static double rate(String file, BlockFmaParams params) {
    List<GoldenMmaRow> rows = EmbeddedGolden.load(file).stream()
        .filter(r -> r.dFormat() == FpFormat.FP16).toList();
    long matched = rows.stream().filter(r -> new BlockFmaDatapath(r.aFormat(), r.bFormat(), params)
        .dot(r.a(), r.b(), r.k(), r.c()) == r.d()).count();
    assertEquals(5000, rows.size());
    return matched / 5000.0;
  }

  @Test
  void theFp8ToFp16DataRejectThePublishedModelAndTheNearVariants() {
    // The published model's parameters (Khattak & Mikaitis): about two thirds.
    double published = rate("h100_e4m3.csv", HopperTensorCore.FP8_FP16_PUBLISHED);
    assertTrue(published > 0.5 && published < 0.7, "published model: " + published);
    // The shipped preset with the steps taken in plain k order, or C inside the first step, fails
    // on about a third of the rows: the data pin down both the order and where C joins.
    BlockFmaParams shipped = HopperTensorCore.FP8_FP16;
    assertEquals(1.0, rate("h100_e4m3.csv", shipped));
    double sequential = rate("h100_e4m3.csv", shipped.withStepOrder(StepOrder.SEQUENTIAL));
    double cInside = rate("h100_e4m3.csv", shipped.withAccumulatorJoin(AccumulatorJoin.WITH_PRODUCTS));
    double rz = rate("h100_e4m3.csv", shipped.withResultRounding(Rounding.RZ));
    assertTrue(sequential < 0.8, "sequential k order: " + sequential);
    assertTrue(cInside < 0.8, "C inside the first step: " + cInside);
    assertTrue(rz < 0.8, "RZ: " + rz);
  }

  @Test
  void adaFp8ToFp16IsReproducedAlthoughThePublishedModelIsNot() {
    ReplaySummary s = replayAll(EmbeddedGolden.load("ada_e4m3.csv").stream()
        .filter(r -> r.dFormat() == FpFormat.FP16).toList(), "ada fp16");
    assertEquals(5000, s.compared());
    assertEquals(5000, s.matched(), describe(s));
  }

  private static String describe(ReplaySummary s) {
    StringBuilder why = new StringBuilder();
    for (MmaOutcome m : s.mismatches()) {
      why.append("\n  line ").append(m.row().line()).append(": expected ")
          .append(m.row().dFormat().hex(m.row().d())).append(" got ")
          .append(m.row().dFormat().hex(m.actual()));
    }
    return why.toString();
  }
}

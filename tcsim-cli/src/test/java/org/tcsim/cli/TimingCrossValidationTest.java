package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.validate.CrossValidation;
import org.tcsim.timing.validate.MeasuredGemm;
import org.tcsim.timing.validate.MeasuredGemmCsv;
import org.tcsim.timing.validate.TimingFit;
import org.tcsim.timing.validate.Validation;

/**
 * The timing model against the measured GEMMs in docs/timing/measured-gemms.csv: in-sample (the
 * machine files as they are) and leave-one-source-out (each source predicted by a calibration that
 * did not see it; the refitted figures are stored in docs/timing/loso.csv because a fit re-times
 * every row dozens of times). Guards both MAPEs, and checks the stored B200 refits are local
 * optima of their training rows.
 */
class TimingCrossValidationTest {

  static final Path MEASURED = Path.of("..", "docs", "timing", "measured-gemms.csv");
  static final Path LOSO = Path.of("..", "docs", "timing", "loso.csv");

  /**
   * In-sample MAPE over every row must not get worse than this (it is 7.3%; 7.2% before the B200
   * took its epilogue and launch costs from Hopper, 7.8% before the DeepGEMM a6d97a1 rows carried
   * their release's tiles, 10.4% before Hopper's CTA-wide epilogue).
   */
  static final double IN_SAMPLE_LIMIT = 7.6;
  /** Leave-one-source-out MAPE over every row must not get worse than this (it is 7.9%; 8.7%, 8.8%, 10.2%, 11.1% and 13.0% before). */
  static final double LOSO_LIMIT = 8.2;
  /**
   * The same over the B200 rows alone (it is 10.0%: no B200 figure is fitted but the power one,
   * whose refits start from Hopper's; 14.2% when the B200's L2 figure was fitted too, 14.6% before
   * the vLLM rows carried vLLM's tiles, 22.4% before the B200 took Hopper's epilogue and launch
   * costs).
   */
  static final double B200_LOSO_LIMIT = 10.3;

  static List<MeasuredGemm> rows;
  static List<CrossValidation.Refit> refits;

  @BeforeAll
  static void load() throws Exception {
    rows = MeasuredGemmCsv.parse(Files.readAllLines(MEASURED, StandardCharsets.UTF_8), MEASURED.toString());
    refits = new ArrayList<>();
    for (String line : Files.readAllLines(LOSO, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#") || line.startsWith("held_out_source,")) {
        continue;
      }
      String[] f = line.split(",");
      Map<MachineParam, Double> values = new EnumMap<>(MachineParam.class);
      values.put(MachineParam.byKey(f[2]), Double.parseDouble(f[3]));
      refits.add(new CrossValidation.Refit(f[0], Set.of(f[1].split("\\+")), values));
    }
  }

  static String source(MeasuredGemm r) {
    return CrossValidation.source(r);
  }

  static Function<String, MachineSpec> machinesWithout(String held) {
    return CrossValidation.calibratedWithout(held, refits, TimingCrossValidationTest::machine);
  }

  @Test
  void inSampleAndLeaveOneSourceOutMapes() {
    List<Validation.Prediction> inSample = Validation.predict(rows, TimingCrossValidationTest::machine, MEASURED.toString());
    Set<String> sources = new LinkedHashSet<>();
    rows.forEach(r -> sources.add(source(r)));
    List<Validation.Prediction> held = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    for (String s : sources) {
      List<MeasuredGemm> mine = rows.stream().filter(r -> source(r).equals(s)).toList();
      List<Validation.Prediction> p = Validation.predict(mine, machinesWithout(s), MEASURED.toString());
      held.addAll(p);
      List<Validation.Prediction> in = inSample.stream().filter(x -> source(x.row()).equals(s)).toList();
      report.append(String.format("%-70s %3d rows  in-sample %5.1f%%  held out %5.1f%%%n", s, mine.size(),
          Validation.mape(in), Validation.mape(p)));
    }
    double inMape = Validation.mape(inSample);
    double losoMape = Validation.mape(held);
    report.append(String.format("all %d rows: in-sample %.1f%%, leave-one-source-out %.1f%%%n", rows.size(), inMape,
        losoMape));
    Validation.mapeBy(held, x -> x.row().gpu()).forEach((g, v) -> report.append(
        String.format("  held out, %s: %.1f%%%n", g, v)));
    System.out.print(report);
    assertTrue(inMape <= IN_SAMPLE_LIMIT, "in-sample MAPE " + inMape + "\n" + report);
    assertTrue(losoMape <= LOSO_LIMIT, "leave-one-source-out MAPE " + losoMape + "\n" + report);
    double b200 = Validation.mapeBy(held, x -> x.row().gpu()).get("b200");
    assertTrue(b200 <= B200_LOSO_LIMIT, "leave-one-source-out MAPE on B200 " + b200 + "\n" + report);
  }

  @Test
  void storedB200RefitsAreLocalOptimaOfTheirTrainingRows() {
    Map<String, Map<MachineParam, Double>> b200 = new LinkedHashMap<>();
    for (CrossValidation.Refit r : refits) {
      if (r.family().equals(Set.of("b200"))) {
        b200.computeIfAbsent(r.heldOut(), s -> new EnumMap<>(MachineParam.class)).putAll(r.values());
      }
    }
    assertTrue(!b200.isEmpty(), "no B200 refits in " + LOSO);
    // The Hopper refits re-time ~60 rows per try: checked when they are recomputed (--loso).
    for (Map.Entry<String, Map<MachineParam, Double>> e : b200.entrySet()) {
      List<MeasuredGemm> train = rows.stream()
          .filter(r -> r.gpu().equals("b200") && !source(r).equals(e.getKey())).toList();
      double best = TimingFit.loss(train, TimingCrossValidationTest::machine, e.getValue());
      for (MachineParam p : e.getValue().keySet()) {
        for (double f : new double[] {1 + TimingFit.FINEST_STEP, 1 / (1 + TimingFit.FINEST_STEP)}) {
          Map<MachineParam, Double> trial = new EnumMap<>(e.getValue());
          trial.put(p, trial.get(p) * f);
          double l = TimingFit.loss(train, TimingCrossValidationTest::machine, trial);
          assertTrue(l >= best - 1e-6, e.getKey() + ": " + p.key() + " x " + f + " gives " + l + " < " + best);
        }
      }
    }
  }

  /** The catalogue's machine of a GPU. */
  private static MachineSpec machine(String gpu) {
    return GpuCatalog.byName(gpu).requireTiming();
  }
}

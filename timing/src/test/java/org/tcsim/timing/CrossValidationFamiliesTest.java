package org.tcsim.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tcsim.timing.validate.CrossValidation;
import org.tcsim.timing.validate.MeasuredGemm;

/** Which figures the cross-validation refits, and which GPUs it fits together. */
class CrossValidationFamiliesTest {

  private static MachineSpec withFit(String name, double l2) {
    return FifoServerAndSpecTest.sample().renamed(name)
        .with(MachineParam.L2_TBPS, l2, CrossValidation.FITTED_TAG + " over test rows")
        .with(MachineParam.LAUNCH_US, 2, "F: fitted once with an earlier model, kept");
  }

  private static MeasuredGemm row(String gpu) {
    return new MeasuredGemm(1, gpu, GemmProblem.fp8(128, 128, 128, 1), 1, "s", "", Map.of());
  }

  @Test
  void onlyTimingFitFiguresAreRefitted() {
    assertEquals(List.of(MachineParam.L2_TBPS), CrossValidation.fitted(withFit("a", 7)));
    assertEquals(List.of(), CrossValidation.fitted(FifoServerAndSpecTest.sample()));
  }

  @Test
  void aRefitStartsWhereTheFigureSaysOrAtTheFigure() {
    MachineSpec spec = withFit("a", 7)
        .with(MachineParam.MMA_POWER_W, 9, CrossValidation.FITTED_TAG + " over test rows; "
            + CrossValidation.START_MARK + " 6.1, another part's figure")
        .with(MachineParam.HBM_EFFICIENCY, 0.9, "I: " + CrossValidation.START_MARK + " 0.5, not fitted");
    assertEquals(Map.of(MachineParam.MMA_POWER_W, 6.1), CrossValidation.starts(spec));
    assertEquals(Map.of(), CrossValidation.starts(withFit("b", 7)));
  }

  @Test
  void aRefitOfAnUnpinnedFigureStaysAtItsStart() {
    // Small GEMMs on a 700 W board: far from the power limit, so no row pins the power figure and
    // each refit keeps it where it starts, 6.1, not at the 9 the file holds.
    MachineSpec spec = ValidationListenerTest.fitted()
        .with(MachineParam.MMA_POWER_W, 9, CrossValidation.FITTED_TAG + " over test rows; "
            + CrossValidation.START_MARK + " 6.1, another part's figure");
    Function<String, MachineSpec> machines = name -> spec;
    List<MeasuredGemm> rows = List.of(
        new MeasuredGemm(1, "g", GemmProblem.fp8(128, 256, 256, 1), 50, "s1", "", Map.of()),
        new MeasuredGemm(2, "g", GemmProblem.fp8(256, 256, 256, 1), 50, "s2", "", Map.of()));
    CrossValidation.Result r = CrossValidation.run(rows, machines);
    assertEquals(2, r.refits().size());
    for (CrossValidation.Refit f : r.refits()) {
      assertEquals(6.1, f.values().get(MachineParam.MMA_POWER_W), 1e-12, f.heldOut());
    }
  }

  @Test
  void gpusSharingTheirFittedFiguresFormOneFamily() {
    Map<String, MachineSpec> specs = Map.of("a", withFit("a", 7), "b", withFit("b", 7), "c", withFit("c", 9),
        "d", FifoServerAndSpecTest.sample().renamed("d"));
    Function<String, MachineSpec> machines = specs::get;
    Map<String, Set<String>> families = CrossValidation.families(
        List.of(row("a"), row("b"), row("c"), row("d")), machines);
    assertEquals(Set.of(Set.of("a", "b"), Set.of("c")), Set.copyOf(families.values()));
  }

  @Test
  void aSourceLosesItsParentheticalNote() {
    MeasuredGemm r = new MeasuredGemm(1, "a", GemmProblem.fp8(1, 1, 1, 1), 1,
        "github.com/x/y/pull/1 (H100 model-z)", "", Map.of());
    assertEquals("github.com/x/y/pull/1", CrossValidation.source(r));
  }
}

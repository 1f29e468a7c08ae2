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

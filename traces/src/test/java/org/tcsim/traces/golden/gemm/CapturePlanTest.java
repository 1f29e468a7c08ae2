package org.tcsim.traces.golden.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;

class CapturePlanTest {

  @TempDir Path tmp;

  /** The plan committed for the GPU machine (traces/capture/plan), relative to this module. */
  static final Path COMMITTED = Path.of("capture", "plan");

  private static Set<String> digests(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> {
        try {
          return dir.relativize(p) + " " + Sha256.of(Files.readAllBytes(p));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void samePlanSeedGivesTheSameBytesAsTheCommittedPlan() throws IOException {
    List<String> comments = List.of("x");
    GoldenGemmFolder.write(tmp.resolve("one"), comments, CapturePlan.build(CapturePlan.DEFAULT_SEED));
    GoldenGemmFolder.write(tmp.resolve("two"), comments, CapturePlan.build(CapturePlan.DEFAULT_SEED));
    Set<String> one = digests(tmp.resolve("one"));
    assertEquals(one, digests(tmp.resolve("two")));
    // The committed plan's operand files are exactly what the generator gives today.
    Set<String> committed = digests(COMMITTED);
    committed.removeIf(s -> s.startsWith(GoldenGemmFolder.TABLE));
    one.removeIf(s -> s.startsWith(GoldenGemmFolder.TABLE));
    assertEquals(one, committed);
    // And its table names the same cases with the same digests.
    List<GoldenGemmCase> plan = GoldenGemmFolder.read(COMMITTED);
    assertEquals(CapturePlan.build(CapturePlan.DEFAULT_SEED).size(), plan.size());
  }

  @Test
  void anotherSeedGivesOtherOperands() throws IOException {
    List<GoldenGemmCase> a = CapturePlan.build(1);
    List<GoldenGemmCase> b = CapturePlan.build(2);
    assertTrue(!java.util.Arrays.equals(a.get(1).a(), b.get(1).a()));
  }

  @Test
  void committedPlanPassesTheDryRunAndIsSmall() throws IOException {
    List<GoldenGemmCase> plan = GoldenGemmFolder.read(COMMITTED);
    PlanCheck.Report r = PlanCheck.check(plan);
    assertEquals(List.of(), r.problems());
    long bytes;
    try (Stream<Path> s = Files.walk(COMMITTED)) {
      bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    assertTrue(bytes < 8_000_000, "plan is " + bytes + " bytes");
    assertTrue(r.estimatedSeconds() < 300, "estimate " + r.estimatedSeconds());
  }

  @Test
  void planCoversTheHypotheses() {
    List<GoldenGemmCase> plan = CapturePlan.build(CapturePlan.DEFAULT_SEED);
    Set<Integer> ks = plan.stream().map(GoldenGemmCase::k).collect(Collectors.toSet());
    assertTrue(ks.containsAll(List.of(32, 64, 128, 256, 512, 1024, 4096, 8192)), ks.toString());
    for (int k : List.of(32, 64, 128, 256, 512, 1024, 4096, 8192)) {
      assertTrue(plan.stream().anyMatch(c -> c.k() == k && c.fastAccum()), "fast on at K=" + k);
      assertTrue(plan.stream().anyMatch(c -> c.k() == k && !c.fastAccum()), "fast off at K=" + k);
    }
    Set<FpFormat> outs = plan.stream().map(GoldenGemmCase::dFormat).collect(Collectors.toSet());
    assertEquals(Set.of(FpFormat.FP32, FpFormat.BF16, FpFormat.FP16, FpFormat.E4M3), outs);
    Set<ScaleMode> modes = plan.stream().map(GoldenGemmCase::scaleMode).collect(Collectors.toSet());
    assertEquals(Set.of(ScaleMode.SCALAR_32F, ScaleMode.OUTER_VEC_32F), modes);
    assertTrue(plan.stream().anyMatch(c -> c.m() == 64 && c.n() == 64 && c.k() == 8192));
    assertTrue(plan.stream().anyMatch(c -> c.aFormat() == FpFormat.E5M2));
    assertTrue(plan.stream().anyMatch(c -> c.beta() != 0 && c.c() != null));
    assertTrue(plan.stream().anyMatch(c -> c.scaleD() != 1f));
    // Subnormal-heavy operands really are: most codes have a zero exponent field.
    GoldenGemmCase subn = plan.stream().filter(c -> c.id().equals("subn_e4m3_k64")).findFirst()
        .orElseThrow();
    long zeros = 0;
    for (byte x : subn.a()) {
      zeros += FpFormat.E4M3.exponentField(x & 0xFF) == 0 ? 1 : 0;
    }
    assertTrue(zeros * 2 > subn.a().length, zeros + " of " + subn.a().length);
  }

  @Test
  void dryRunFindsWhatCublasLtWouldRefuse() {
    GoldenGemmCase c = GoldenGemmFolderTest.captured();
    GoldenGemmCase bad = new GoldenGemmCase("bad", "x", 16, 16, 32, FpFormat.E5M2, FpFormat.E5M2,
        FpFormat.FP16, FpFormat.BF16, ScaleMode.SCALAR_32F, new float[] {1}, new float[] {1}, 2f,
        1f, 0f, false, new byte[16 * 32], new byte[16 * 32], null, null, "planned",
        new GoldenGemmCase.Generators("splitmix64:seed=0x0:dist=ones", "-", "-", "-", "-"),
        GemmProvenance.none());
    List<String> problems = PlanCheck.check(List.of(c, bad)).problems();
    assertTrue(problems.stream().anyMatch(p -> p.contains("E5M2 x E5M2")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("C format fp16")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("scale_d")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("bad: A: element 0")), problems.toString());
    assertEquals(4, problems.size(), problems.toString());
  }
}

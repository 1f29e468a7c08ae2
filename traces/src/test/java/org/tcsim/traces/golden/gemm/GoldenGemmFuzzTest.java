package org.tcsim.traces.golden.gemm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcsim.traces.fuzz.FuzzCheck.sane;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.InputFormatException;
import org.tcsim.traces.fuzz.FuzzCheck;
import org.tcsim.traces.fuzz.TextMutations;

/**
 * The golden GEMM folder under bad input: mutated tables, mutated hex files (which must be
 * reported as corrupted, never as data), mutated generator recipes in the dry run, and dimensions
 * far too large to allocate.
 */
class GoldenGemmFuzzTest {

  private static Path dir;
  private static String table;
  private static String aHex;
  private static Path scalarDir;
  private static String scalarTable;

  @BeforeContainer
  static void writeFolder() throws IOException {
    dir = Files.createTempDirectory("tcsim-golden-fuzz");
    GoldenGemmFolder.write(dir, List.of("fuzz"), List.of(GoldenGemmFolderTest.captured()));
    table = Files.readString(dir.resolve(GoldenGemmFolder.TABLE));
    aHex = Files.readString(dir.resolve("operands/hand_case.a.hex"));
    scalarDir = dir.resolve("scalar");
    GoldenGemmFolder.write(scalarDir, List.of(), List.of(scalar(GoldenGemmFolderTest.captured())));
    scalarTable = Files.readString(scalarDir.resolve(GoldenGemmFolder.TABLE));
  }

  /** The hand case with per-tensor scales: A is the first file read. */
  private static GoldenGemmCase scalar(GoldenGemmCase c) {
    return new GoldenGemmCase(c.id(), c.purpose(), c.m(), c.n(), c.k(), c.aFormat(), c.bFormat(),
        c.cFormat(), c.dFormat(), org.tcsim.core.quant.ScaleMode.SCALAR_32F, new float[] {2f},
        new float[] {0.5f}, c.scaleD(), c.alpha(), c.beta(), c.fastAccum(), c.a(), c.b(), c.c(),
        c.expectedD(), c.status(), c.generators(), c.provenance());
  }

  @AfterContainer
  static void deleteFolder() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Provide
  Arbitrary<String> tables() {
    return TextMutations.mutants(table, ',');
  }

  @Provide
  Arbitrary<String> hexFiles() {
    return TextMutations.mutants(aHex, ' ');
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 2000)
  void mutatedTablesReadOrNameFileLineAndField(@ForAll("tables") String text) {
    FuzzCheck.resultOrNamedError(text, dir.toString(),
        () -> GoldenGemmFolder.read(dir, new StringReader(text), dir.resolve("capture.csv")
            .toString()))
        .ifPresent(cases -> cases.forEach(c -> sane(c.a().length == c.m() * c.k()
            && c.b().length == c.n() * c.k(), "operand sizes", text)));
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 2000)
  void mutatedHexFilesParseOrNameFileAndLine(@ForAll("hexFiles") String text) {
    FuzzCheck.resultOrNamedError(text, "a.hex",
        () -> HexMatrix.parse(text, 16, 32, FpFormat.E4M3, "a.hex"))
        .ifPresent(codes -> sane(codes.length == 16 * 32
            && java.util.Arrays.stream(codes).allMatch(x -> x >= 0 && x < 256), "codes", text));
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 300)
  void anyChangeToAShippedFileIsReportedAsCorruption(@ForAll("hexFiles") String text)
      throws IOException {
    net.jqwik.api.Assume.that(!text.equals(aHex));
    Path a = dir.resolve("operands/hand_case.a.hex");
    Files.writeString(a, text, StandardCharsets.UTF_8);
    try {
      InputFormatException e = assertThrows(InputFormatException.class,
          () -> GoldenGemmFolder.read(dir));
      assertTrue(e.getMessage().contains("corrupted") && e.getMessage().contains("hand_case.a.hex")
          && e.getMessage().contains("a_sha256"), e.getMessage());
    } finally {
      Files.writeString(a, aHex, StandardCharsets.UTF_8);
    }
  }

  @Provide
  Arbitrary<String> generators() {
    return Arbitraries.of("splitmix64:seed=0x1f:dist=uniform:elo=-3:ehi=4:sign=mixed",
        "splitmix64:seed=0x2:dist=outlier:elo=-6:ehi=2:sign=mixed:permille=10",
        "splitmix64:seed=0x3:dist=carry", "splitmix64:seed=0x4:dist=allcodes")
        .flatMap(g -> TextMutations.mutants(g, ':'));
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 2000)
  void theDryRunReportsBadGeneratorsAsProblems(@ForAll("generators") String gen) {
    net.jqwik.api.Assume.that(!gen.equals(GoldenGemmFolder.NA)); // "-": no generator recorded
    GoldenGemmCase c = GoldenGemmFolderTest.captured();
    GoldenGemmCase withGen = new GoldenGemmCase(c.id(), c.purpose(), c.m(), c.n(), c.k(),
        c.aFormat(), c.bFormat(), c.cFormat(), c.dFormat(), c.scaleMode(), c.scaleA(), c.scaleB(),
        c.scaleD(), c.alpha(), c.beta(), c.fastAccum(), c.a(), c.b(), c.c(), c.expectedD(),
        c.status(), new GoldenGemmCase.Generators(gen, "-", "-", "-", "-"), c.provenance());
    PlanCheck.Report r = FuzzCheck.resultOrNamedError(gen, "-",
        () -> PlanCheck.check(List.of(withGen))).orElseThrow();
    // The hand-made A is not any generator's output: the dry run must say so (or say why the
    // recipe is bad), never pass it.
    assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("hand_case: A")), r::toString);
  }

  /**
   * Dimensions that would need up to terabytes are refused before anything is allocated: the row
   * names the real 16x32 A file with its real digest, but claims m x k.
   */
  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 30)
  void hugeDimensionsAreRefusedBeforeAllocation(
      @ForAll @IntRange(min = 1 << 12, max = 1 << 20) int m,
      @ForAll @IntRange(min = 1 << 12, max = 1 << 20) int k) {
    String text = scalarTable.replace(",hand-built,16,16,32,", ",hand-built," + m + ",16," + k + ",")
        .replace(",T,N,32,32,16,16,", ",T,N," + k + "," + k + "," + m + "," + m + ",");
    assertTrue(!text.equals(scalarTable));
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> GoldenGemmFolder.read(scalarDir, new StringReader(text), "capture.csv"));
    assertTrue(e.getMessage().contains("hand_case.a.hex"), e.getMessage());
    assertTrue(e.getMessage().contains("expected " + m + " lines"), e.getMessage());
  }

  /** Regression: a NUL inside a file name leaked InvalidPathException. */
  @net.jqwik.api.Example
  void aFileNameThatIsNoPathNamesLineAndField() {
    String text = table.replace("operands/hand_case.a.hex", "ope\u0000rands/hand_case.a.hex");
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> GoldenGemmFolder.read(dir, new StringReader(text), "capture.csv"));
    assertTrue(e.getMessage().startsWith("capture.csv:"), e.getMessage());
    assertTrue("a_file".equals(e.field()), e.getMessage());
  }
}

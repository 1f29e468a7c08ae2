package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.traces.golden.gemm.GemmProvenance;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.golden.gemm.GoldenGemmFolder;
import org.tcsim.traces.io.Npy;
import org.tcsim.traces.io.NpyDtype;

/**
 * What {@code tcsim replay} reads beyond the trace rows themselves (whose parsing
 * TraceReaderFuzzTest covers): the operand files a row names (a_data, b_data, c_data and the
 * scale files, resolved against the trace's folder), the golden GEMM folder and its matching of
 * cases to GEMMs by name, and the numeric options. Every run must end with exit status 0, 1 or 2
 * and no stack trace. All GEMMs are 8 x 8 x 32 or smaller, so a run takes milliseconds; every
 * file lies in a temporary folder.
 */
class ReplayInputsFuzzTest {

  private static Path dir;
  private static Path trace;
  private static Path mutatedGolden;
  private static String goldenTable;
  /** Values for a data column: good, swapped, missing, a folder, junk, bad paths. */
  private static List<String> dataPaths;
  private static List<String> goldenDirs;

  private static final String HEADER = "name,gpu,m,n,k,groups,a_format,b_format,a_layout,"
      + "b_layout,scaling,out_format,fast_accum,beta,a_data,b_data,c_data,a_scale_data,"
      + "b_scale_data\n";

  /** Values for the numeric and GPU options. */
  private static final List<String> VALUES = List.of("", "-1", "0", "1", "3", "8", "9", "128",
      "2147483647", "2147483648", "99999999999", "nan", "1e3", "x", "h100", "b200", "ada",
      "nosuch", "\u00e9");

  @BeforeContainer
  static void makeFiles() throws IOException {
    dir = Files.createTempDirectory("tcsim-replay-fuzz");
    float[] ones = new float[8 * 32];
    Arrays.fill(ones, 1f);
    Npy.writeFloats(dir.resolve("a.npy"), false, new long[] {8, 32}, ones);
    Npy.writeFloats(dir.resolve("b.npy"), false, new long[] {32, 8}, ones);
    Npy.writeFloats(dir.resolve("c.npy"), false, new long[] {8, 8}, new float[64]);
    Npy.writeFloats(dir.resolve("scale.npy"), false, new long[] {1}, new float[] {1f});
    int[] codes = new int[8 * 32];
    Arrays.fill(codes, 0x38);
    Npy.write(dir.resolve("a_u1.npy"), NpyDtype.U1, false, new long[] {8, 32}, codes);
    Npy.write(dir.resolve("b_u1.npy"), NpyDtype.U1, true, new long[] {32, 8}, codes);
    Npy.write(dir.resolve("a_u2.npy"), NpyDtype.U2, false, new long[] {8, 32}, codes);
    byte[] full = Files.readAllBytes(dir.resolve("a.npy"));
    Files.write(dir.resolve("truncated.npy"), Arrays.copyOf(full, full.length / 2));
    Files.write(dir.resolve("header_only.npy"), Arrays.copyOf(full, 80));
    Files.write(dir.resolve("junk.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 9});
    Files.writeString(dir.resolve("empty.npy"), "");
    Files.createDirectories(dir.resolve("folder.npy"));
    dataPaths = List.of("a.npy", "b.npy", "c.npy", "scale.npy", "a_u1.npy", "b_u1.npy",
        "a_u2.npy", "truncated.npy", "header_only.npy", "junk.npy", "empty.npy", "folder.npy",
        "missing.npy", "./a.npy", "../" + dir.getFileName() + "/a.npy",
        dir.resolve("b.npy").toString(), "", "\"a.npy\"", "a.npy\u0000", "\u00e9.npy");

    Path golden = golden(dir.resolve("golden"), false);
    golden(dir.resolve("tampered"), true);
    mutatedGolden = golden(dir.resolve("mutated"), false);
    goldenTable = Files.readString(golden.resolve(GoldenGemmFolder.TABLE));
    Path noOperands = golden(dir.resolve("no_operands"), false);
    try (Stream<Path> ops = Files.list(noOperands.resolve("operands"))) {
      for (Path p : ops.toList()) {
        Files.delete(p);
      }
    }
    Files.createDirectories(dir.resolve("empty_dir"));
    goldenDirs = List.of(golden.toString(), dir.resolve("tampered").toString(),
        noOperands.toString(), dir.resolve("empty_dir").toString(),
        dir.resolve("a.npy").toString(), dir.resolve("nosuch").toString(),
        golden.resolve(GoldenGemmFolder.TABLE).toString());
    trace = dir.resolve("t.csv");
  }

  /** One all-ones E4M3 case, 8 x 8 x 32: D is 32 everywhere (one element off when tampered). */
  private static Path golden(Path g, boolean tampered) throws IOException {
    byte[] ones = new byte[8 * 32];
    Arrays.fill(ones, (byte) 0x38);
    int[] d = new int[64];
    Arrays.fill(d, 0x42000000);
    if (tampered) {
      d[5] ^= 1;
    }
    GoldenGemmCase c = new GoldenGemmCase("layer0_q_proj", "all ones", 8, 8, 32, FpFormat.E4M3,
        FpFormat.E4M3, FpFormat.FP32, FpFormat.FP32, ScaleMode.SCALAR_32F, new float[] {1f},
        new float[] {1f}, 1f, 1f, 0f, false, ones, ones.clone(), null, d, "ok",
        new GoldenGemmCase.Generators("ones", "ones", "-", "-", "-"), GemmProvenance.none());
    GoldenGemmFolder.write(g, List.of("fuzz"), List.of(c));
    return g;
  }

  @AfterContainer
  static void deleteFiles() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A trace row whose name may match the golden case, with drawn shape, scaling and files. */
  @Provide
  Arbitrary<String> rows() {
    Arbitrary<String> name = Arbitraries.of("layer0.q_proj", "LAYER0_Q_PROJ", "layer0 q proj",
        "other", "layer0_q_proj_");
    Arbitrary<String> dim = Arbitraries.of("8", "8", "8", "32", "1", "7", "16");
    Arbitrary<String> scaling = Arbitraries.of("none", "SCALAR_32F", "VEC32_UE8M0",
        "VEC128_32F/BLK128x128_32F");
    Arbitrary<String> beta = Arbitraries.of("0", "1", "0.5");
    Arbitrary<String> path = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.of(dataPaths)), net.jqwik.api.Tuple.of(2,
            Arbitraries.just("")));
    Arbitrary<String> files = Combinators.combine(Arbitraries.of(dataPaths),
        Arbitraries.of(dataPaths), path, path, path)
        .as((a, b, c, as, bs) -> String.join(",", quoted(a), quoted(b), quoted(c), quoted(as),
            quoted(bs)));
    Arbitrary<String> dataOrSeeded = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, files),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(",,,,")),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("a.npy,b.npy,c.npy,,")));
    return Combinators.combine(name, dim, dim, dim, scaling, beta, dataOrSeeded)
        .as((nm, m, n, k, sc, bt, data) -> String.join(",", nm, "h100", m, n, k, "1", "e4m3",
            "e4m3", "row", "col", sc, "fp32", "false", bt, data));
  }

  private static String quoted(String field) {
    return field.contains(",") || field.contains("\"")
        ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
  }

  @Provide
  Arbitrary<List<String>> options() {
    Arbitrary<List<String>> opt = Arbitraries.of("--rows", "--sample", "--show", "--threads",
        "--gpu").flatMap(o -> Arbitraries.of(VALUES).map(v -> List.of(o, v)));
    Arbitrary<List<String>> golden = Arbitraries.of(goldenDirs).map(g -> List.of("--golden", g));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, opt),
        net.jqwik.api.Tuple.of(2, golden)).list().ofMaxSize(4).map(parts -> {
          List<String> args = new ArrayList<>();
          parts.forEach(args::addAll);
          return args;
        });
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 200)
  void dataFilesGoldenFoldersAndOptionsEndWithAStatusAndNoStackTrace(
      @ForAll("rowLists") List<String> rowsOf, @ForAll("options") List<String> options)
      throws IOException {
    Files.writeString(trace, HEADER + String.join("\n", rowsOf) + "\n", StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(List.of("replay", trace.toString(), "--quiet"));
    args.addAll(options);
    checkRun(args);
  }

  @Provide
  Arbitrary<List<String>> rowLists() {
    return rows().list().ofMinSize(1).ofMaxSize(3);
  }

  /**
   * capture.csv with one field of one line replaced, or cut short. (GoldenGemmFuzzTest mutates it
   * more thoroughly at the reader; here the point is the command's handling of what it throws.
   * traces' TextMutations lives in a test tree this module cannot see.)
   */
  @Provide
  Arbitrary<String> goldenTables() {
    String[] lines = goldenTable.split("\n", -1);
    Arbitrary<String> field = Combinators.combine(Arbitraries.integers().between(0,
        lines.length - 1), Arbitraries.integers().between(0, 40), Arbitraries.of(VALUES))
        .as((li, fi, v) -> {
          String[] copy = lines.clone();
          String[] fields = copy[li].split(",", -1);
          fields[fi % fields.length] = v;
          copy[li] = String.join(",", fields);
          return String.join("\n", copy);
        });
    Arbitrary<String> cut = Arbitraries.integers().between(0, goldenTable.length())
        .map(n -> goldenTable.substring(0, n));
    return Arbitraries.oneOf(field, field, cut);
  }

  /** A damaged capture.csv in the --golden folder: a named error (exit 2), never a trace. */
  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 100)
  void mutatedGoldenTablesEndWithAStatusAndNoStackTrace(@ForAll("goldenTables") String table)
      throws IOException {
    Files.writeString(mutatedGolden.resolve(GoldenGemmFolder.TABLE), table,
        StandardCharsets.UTF_8);
    Files.writeString(trace, HEADER + "layer0.q_proj,h100,8,8,32,1,e4m3,e4m3,row,col,SCALAR_32F,"
        + "fp32,false,0,,,,,\n", StandardCharsets.UTF_8);
    checkRun(List.of("replay", trace.toString(), "--quiet", "--golden",
        mutatedGolden.toString()));
  }

  private static void checkRun(List<String> args) throws IOException {
    CliRun r = CliRun.of(args.toArray(String[]::new));
    String trace = Files.readString(ReplayInputsFuzzTest.trace);
    assertTrue(Set.of(0, 1, 2).contains(r.exit()), () -> "exit " + r.exit() + " for " + args
        + "\n" + trace + "\n" + r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in")
        || r.out().contains("\tat "), () -> "stack trace for " + args + "\n" + trace + ":\n"
        + r.err());
    Statistics.label("exit").collect(r.exit());
  }

  /** The fuzz starts from inputs that work: files and golden folder together replay bit-exact. */
  @Example
  void theValidInputsReplay() throws IOException {
    Files.writeString(trace, HEADER
        + "files,h100,8,8,32,1,e4m3,e4m3,row,col,none,fp32,false,1,a.npy,b.npy,c.npy,,\n"
        + "layer0.q_proj,h100,8,8,32,1,e4m3,e4m3,row,col,SCALAR_32F,fp32,false,0,,,,,\n");
    CliRun r = CliRun.of("replay", trace.toString(), "--quiet", "--golden",
        dir.resolve("golden").toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("golden: 1/1 GEMM(s) bit-exact"), r.out());
  }
}

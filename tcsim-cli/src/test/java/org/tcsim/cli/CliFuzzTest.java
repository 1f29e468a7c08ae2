package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.ScalingRecipe;
import org.tcsim.timing.TimingResult;
import picocli.CommandLine;

/**
 * Generated command lines for every command: options of that command with values drawn from a
 * vocabulary of bad numbers, negative and huge sizes, unknown formats and GPUs, empty strings and
 * damaged files. Each run must end with exit status 0, 1 or 2 and no stack trace. Sizes are kept
 * small or absurd (never "large but allowed") so that no generated run computes for long, and
 * every path a command could write to lies in a temporary folder.
 */
class CliFuzzTest {

  private static Path dir;

  /** Every command registered in {@link Main}, with its sub-command: what a user can run. */
  private static final List<List<String>> COMMANDS = commands();

  /**
   * Options fixed for commands whose defaults compute for long (300 training steps): these
   * values are always given and never generated.
   */
  private static final Map<String, List<String>> FIXED = Map.of(
      "train", List.of("--steps", "1", "--hidden", "4", "--batch", "4"),
      "replay", List.of("--rows", "1", "--sample", "1"));

  /** Options that name a file or folder to write: given temporary paths only. */
  private static final Set<String> OUTPUTS = Set.of("--out", "--write", "--csv", "--report",
      "--chart", "--json");

  /** Values that must never crash a command. */
  private static final List<String> VALUES = List.of("", " ", "-1", "0", "1", "3", "16", "17",
      "2147483648", "99999999999", "9223372036854775807", "-9223372036854775808", "1e3", "nan",
      "inf", "0x10", "x", "\u00e9\u4e2d", "h100", "b200", "ada", "fp64", "e4m3", "e5m2", "bf16",
      "fp32", "rne", "rz", "tensorwise", "rowwise", "blockwise", "mxfp8", "nope", "128x128x128",
      "0x0x0", "2x1", "1x", "sms=66:198:22", "sms=1:0:1", "nosuch=1", "sms=x", "clock_ghz=-1",
      "cutlass", "cublaslt", "normal", "uniform");

  private static List<String> files;
  private static List<String> outputs;

  @BeforeContainer
  static void makeFiles() throws IOException {
    dir = Files.createTempDirectory("tcsim-cli-fuzz");
    Path empty = Files.writeString(dir.resolve("empty.csv"), "");
    Path shapes = Files.writeString(dir.resolve("shapes.csv"), "m,n,k\n16,16,16\n-1,2,3\n");
    Path crlf = Files.writeString(dir.resolve("crlf.csv"), "m,n,k,groups\r\n16,x,16,\r\n");
    Path set = Files.writeString(dir.resolve("set.txt"), "# c\nsms=\nclock_ghz=nan\n\u00e9=1\n");
    Path binary = Files.write(dir.resolve("binary.npy"), new byte[] {(byte) 0x93, 'N', 'U', 0, -1});
    files = List.of(empty.toString(), shapes.toString(), crlf.toString(), set.toString(),
        binary.toString(), dir.resolve("missing.csv").toString(), dir.toString());
    outputs = List.of(empty.toString(), dir.toString(), dir.resolve("out/new.csv").toString(),
        dir.resolve("o1").toString(), dir.resolve("o2.html").toString(), dir.resolve("\u00e9 x")
            .toString());
  }

  @AfterContainer
  static void deleteFiles() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static List<List<String>> commands() {
    List<List<String>> out = new ArrayList<>();
    leaves(Main.commandLine(), new ArrayList<>(), out);
    return List.copyOf(out);
  }

  private static void leaves(CommandLine cl, List<String> path, List<List<String>> out) {
    if (cl.getSubcommands().isEmpty()) {
      out.add(List.copyOf(path));
      return;
    }
    cl.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        path.add(name);
        leaves(sub, path, out);
        path.remove(path.size() - 1);
      }
    });
  }

  private static List<String> optionsOf(List<String> command) {
    CommandLine cl = Main.commandLine();
    for (String c : command) {
      cl = cl.getSubcommands().get(c);
    }
    List<String> fixed = FIXED.getOrDefault(command.get(0), List.of());
    List<String> names = new ArrayList<>();
    for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
      if (!Set.of("--help", "--version").contains(o.longestName())
          && !fixed.contains(o.longestName())) {
        names.add(o.longestName());
      }
    }
    return names;
  }

  @Example
  void everyRegisteredCommandIsFuzzed() {
    Set<String> top = new java.util.TreeSet<>(Main.commandLine().getSubcommands().keySet());
    top.remove("help");
    Set<String> fuzzed = new java.util.TreeSet<>();
    COMMANDS.forEach(c -> fuzzed.add(c.get(0)));
    assertEquals(top, fuzzed);
    assertTrue(COMMANDS.contains(List.of("capture", "check"))
        && COMMANDS.contains(List.of("trace", "import")), COMMANDS.toString());
  }

  @Provide
  Arbitrary<List<String>> commandLines() {
    return Arbitraries.of(COMMANDS).flatMap(command -> {
      List<String> options = optionsOf(command);
      Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(VALUES),
          Arbitraries.of(files), Arbitraries.strings().ofMaxLength(5));
      if (options.isEmpty()) {
        options = List.of("--help");
      }
      List<String> names = options;
      Arbitrary<List<String>> pair = Arbitraries.of(names).flatMap(o -> OUTPUTS.contains(o)
          ? Arbitraries.of(outputs).map(v -> List.of(o, v)) : value.map(v -> List.of(o, v)));
      // An option alone (a flag, or missing its value); never an output option, whose value would
      // then be the next positional word: a path outside the temporary folder.
      List<String> flags = names.stream().filter(o -> !OUTPUTS.contains(o)).toList();
      Arbitrary<List<String>> flag = Arbitraries.of(flags.isEmpty() ? List.of("--help") : flags)
          .map(List::of);
      Arbitrary<List<String>> positional = Arbitraries.oneOf(Arbitraries.of(files),
          Arbitraries.of(VALUES).filter(v -> !v.isBlank() && v.chars().allMatch(c -> c < 128)
              && !v.contains("/"))).map(List::of);
      return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, pair),
          net.jqwik.api.Tuple.of(1, flag), net.jqwik.api.Tuple.of(1, positional))
          .list().ofMaxSize(6).map(parts -> {
            List<String> args = new ArrayList<>(command);
            args.addAll(FIXED.getOrDefault(command.get(0), List.of()));
            parts.forEach(args::addAll);
            if (command.get(0).equals("verify")) {
              // Without a file, verify replays all 97,168 shipped rows (seconds): give it one.
              args.add(files.get(1));
            }
            return args;
          });
    });
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 400)
  void everyCommandLineEndsWithAStatusAndNoStackTrace(
      @ForAll("commandLines") List<String> args) {
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertTrue(Set.of(0, 1, 2).contains(r.exit()), () -> "exit " + r.exit() + " for " + args
        + "\n" + r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in"),
        () -> "stack trace for " + args + ":\n" + r.err());
    net.jqwik.api.statistics.Statistics.label("exit").collect(r.exit());
  }

  /** Regression: a (2^63 - 1)^3 GEMM wrapped the block count and ran out of memory. */
  @Example
  void timeRefusesAShapeWhoseBlockCountOverflows() {
    String max = Long.toString(Long.MAX_VALUE);
    CliRun r = CliRun.of("time", "--gpu", "h100", "--m", max, "--n", max, "--k", "128");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("too large"), r.err());
  }

  /** Regressions: a file where a folder belongs is an error message, not a stack trace. */
  @Example
  void aFileWhereAFolderBelongsIsNamed() {
    String file = dir.resolve("empty.csv").toString();
    CliRun check = CliRun.of("capture", "check", file);
    assertEquals(2, check.exit(), check.err());
    assertTrue(check.err().contains("is a file"), check.err());
    CliRun plan = CliRun.of("capture", "plan", "--out", file);
    assertEquals(2, plan.exit(), plan.err());
    assertTrue(plan.err().contains("is a file"), plan.err());
    CliRun verify = CliRun.of("verify", "--csv", dir.toString(), file);
    assertEquals(2, verify.exit(), verify.err());
    assertTrue(verify.err().contains("is a folder"), verify.err());
    String same = dir.resolve("same.out").toString();
    CliRun both = CliRun.of("verify", "--csv", same, "--report", same,
        dir.resolve("shapes.csv").toString());
    assertTrue(both.exit() == 2 && !both.err().contains("\tat "), both.err());
    CliRun show = CliRun.of("trace", "show", "a\u0000b");
    assertEquals(2, show.exit(), show.err());
    assertTrue(show.err().contains("not a valid path"), show.err());
  }

  /** The timing model is a deterministic simulation: repeated runs give identical results. */
  @Example
  void timingIsTheSameOnEveryRun() {
    for (String gpu : List.of("h100", "b200")) {
      GemmProblem p = new GemmProblem(4096, 2112, 7168, 1, 2, ScalingRecipe.parse("blockwise"));
      TimingResult first = GemmTimingModel.predict(org.tcsim.gpu.GpuCatalog.byName(gpu).requireTiming(), p);
      for (int i = 0; i < 3; i++) {
        TimingResult again = GemmTimingModel.predict(org.tcsim.gpu.GpuCatalog.byName(gpu).requireTiming(), p);
        assertEquals(first, again, gpu);
        assertEquals(Double.doubleToRawLongBits(first.microseconds()),
            Double.doubleToRawLongBits(again.microseconds()));
      }
    }
  }

  /** Shapes files and --set-file with CRLF, Unicode and bad values name file and line. */
  @Example
  void damagedShapeAndSetFilesNameTheLine() throws IOException {
    Path out = dir.resolve("t.csv");
    CliRun r = CliRun.of("time", "--gpu", "h100", "--shapes", dir.resolve("crlf.csv").toString(),
        "--out", out.toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("crlf.csv line 2") && r.err().contains("field n"), r.err());
    CliRun s = CliRun.of("time", "--gpu", "h100", "--m", "16", "--n", "16", "--k", "16",
        "--set-file", dir.resolve("set.txt").toString());
    assertEquals(2, s.exit(), s.err());
    assertTrue(s.err().contains("set.txt line 2"), s.err());
    Files.writeString(dir.resolve("bom.csv"), "\uFEFFm,n,k\n16,16,16\n", StandardCharsets.UTF_8);
    CliRun b = CliRun.of("time", "--gpu", "h100", "--shapes", dir.resolve("bom.csv").toString(),
        "--out", out.toString());
    assertTrue(b.exit() == 0 || b.err().contains("bom.csv line 1"), b.err());
  }
}

package org.tcsim.cli;

import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.isa.Architecture;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.tcsim.traces.golden.gemm.CapturePlan;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.golden.gemm.GoldenGemmFolder;
import org.tcsim.traces.golden.gemm.PlanCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tcsim capture plan|check}: writes the plan and operand files for the golden GEMM capture
 * kit (traces/capture/) and checks a plan or result folder without a GPU.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = {"Prepare and check captures of real cuBLASLt FP8 GEMMs (kit in traces/capture/)."},
    subcommands = {CaptureCommand.Plan.class, CaptureCommand.Check.class},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.LINE_OK, "1:'capture check' found a broken rule",
        ExitCodes.LINE_BAD_INPUT, ExitCodes.LINE_INTERNAL})
public final class CaptureCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code tcsim capture plan --out DIR}. */
  @Command(name = "plan", mixinStandardHelpOptions = true,
      description = {"Write the capture plan (capture.csv) and its operand files into DIR.",
          "Run traces/capture/run_capture.sh DIR OUT on the GPU machine to capture it."},
      exitCodeListHeading = ExitCodes.HEADING,
      exitCodeList = {ExitCodes.LINE_OK, "2:bad input or usage (--gpu not a Hopper GPU, bad "
          + "--seed, --out a file or a folder that already holds a plan)",
          ExitCodes.LINE_INTERNAL})
  static final class Plan implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write.")
    Path out;

    @Option(names = "--gpu", paramLabel = "GPU", defaultValue = "h200",
        description = "Target GPU: a Hopper (sm_90a) GPU of tcsim gpus: h100, h100-pcie, h200, "
            + "h800 (default ${DEFAULT-VALUE}).")
    String gpu;

    @Option(names = "--seed", paramLabel = "N", description = "Plan seed (hex with 0x or decimal).")
    String seed;

    @Override
    public Integer call() throws IOException {
      Gpu g = GpuCatalog.byName(gpu);
      if (g.architecture() != Architecture.SM_90A) {
        throw new IllegalArgumentException("--gpu " + g.id() + " is " + g.architecture()
            + " (" + g.architecture().generation() + "); the capture kit runs wgmma and Hopper "
            + "cuBLASLt kernels, so it needs a Hopper (sm_90a) GPU");
      }
      String target = g.id();
      long s;
      try {
        s = seed == null ? CapturePlan.DEFAULT_SEED
            : seed.startsWith("0x") ? Long.parseUnsignedLong(seed.substring(2), 16)
            : Long.parseLong(seed);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--seed '" + seed + "' is not a number");
      }
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw new IllegalArgumentException("--out " + out + " is a file; give a folder");
      }
      if (Files.exists(out.resolve(GoldenGemmFolder.TABLE))) {
        throw new IllegalArgumentException(out + " already holds a " + GoldenGemmFolder.TABLE
            + "; choose an empty folder");
      }
      List<GoldenGemmCase> cases = CapturePlan.build(s);
      GoldenGemmFolder.write(out, List.of(
          "tcsim golden GEMM capture plan (issue 7): cuBLASLt FP8 GEMMs that separate hypotheses",
          "target: " + target + " (sm_90a); plan seed 0x" + Long.toHexString(s),
          "run on the GPU machine: traces/capture/run_capture.sh <this folder> <out folder>",
          "layout: A is M lines of K codes; B is N lines of K codes (column j of B); C and D are "
              + "M lines of N codes; scale vectors one FP32 code per line"), cases);
      PrintWriter o = spec.commandLine().getOut();
      PlanCheck.Report r = PlanCheck.check(cases);
      o.printf(Locale.ROOT, "wrote %d cases to %s (%s on disk)%n", cases.size(), out,
          mb(folderBytes(out)));
      o.printf(Locale.ROOT, "estimated capture time %.0f s%n", r.estimatedSeconds());
      return 0;
    }
  }

  /** {@code tcsim capture check DIR}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Dry run: validate a plan or result folder (file digests, shapes, formats, "
          + "cuBLASLt rules, operand generators) and print what would run.",
          "Exit 0 when it is valid, 1 when it breaks a rule, 2 when a file is malformed."},
      exitCodeListHeading = ExitCodes.HEADING,
      exitCodeList = {"0:valid", "1:a case breaks a rule (cuBLASLt rules, generators, shapes)",
          "2:bad input (a malformed, missing or changed file; DIR not a folder)",
          ExitCodes.LINE_INTERNAL})
  static final class Check implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A folder written by 'tcsim capture plan' or by "
        + "the capture kit.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      PrintWriter o = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<GoldenGemmCase> cases = GoldenGemmFolder.read(dir);
      o.printf(Locale.ROOT, "%-26s %5s %5s %5s %-11s %-5s %-13s %4s  %s%n", "case", "m", "n", "k",
          "a x b", "out", "scales", "fast", "status");
      for (GoldenGemmCase c : cases) {
        o.printf(Locale.ROOT, "%-26s %5d %5d %5d %-11s %-5s %-13s %4s  %s%n", c.id(), c.m(),
            c.n(), c.k(), c.aFormat() + "x" + c.bFormat(), c.dFormat(), c.scaleMode(),
            c.fastAccum() ? "on" : "off", c.status());
      }
      PlanCheck.Report r = PlanCheck.check(cases);
      o.printf(Locale.ROOT, "%d cases, %d captured; %.2f M elements, %s on disk; "
          + "estimated capture time %.0f s%n", r.cases(), r.captured(), r.elements() / 1e6,
          mb(folderBytes(dir)), r.estimatedSeconds());
      for (String p : r.problems()) {
        err.println("tcsim capture check: " + p);
      }
      if (!r.problems().isEmpty()) {
        err.println("tcsim capture check: FAILED: " + r.problems().size() + " problem(s)");
        return ExitCodes.CHECK_FAILED;
      }
      o.println("OK");
      return ExitCodes.OK;
    }
  }

  static long folderBytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
  }
}

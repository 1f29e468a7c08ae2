package org.tcsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.InputFormatException;
import org.tcsim.traces.golden.EmbeddedGolden;
import org.tcsim.traces.golden.GoldenMmaReader;
import org.tcsim.traces.golden.GoldenMmaRow;
import org.tcsim.traces.golden.MismatchDiagnosis;
import org.tcsim.traces.golden.MmaOutcome;
import org.tcsim.traces.golden.MmaReplayer;
import org.tcsim.traces.golden.ReplaySummary;
import org.tcsim.traces.golden.SkipReason;
import org.tcsim.traces.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tcsim verify [FILE...]}: replays golden MMA files on the simulated tensor cores and
 * compares bit for bit. Rows stream from the files (any length), and the per-row CSV streams to
 * a temporary file renamed at the end. Exit 0 only when every compared row matches and at least one
 * was compared; 1 on a mismatch or when nothing was compared; 2 on bad input.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
        "Replay golden MMA files (measured on real GPUs) on the simulated tensor cores and compare "
            + "the results bit for bit.",
        "With no FILE, replays the golden sets embedded in tcsim (H100, B200, Ada).",
        "Prints 'FILE: MATCHED/COMPARED bit-exact' per file and a 'total:' line; exits 0 only if "
            + "every compared row matched and at least one row was compared."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {"0:every compared row bit-exact (at least one compared)",
        "1:a row differs from the hardware, or no row was compared",
        "2:bad input or usage (a malformed or missing file, an --csv or --report path that cannot "
            + "be written, bad option); the other files are still replayed",
        ExitCodes.LINE_INTERNAL})
public final class VerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..*",
      description = "Golden MMA CSV files (header gpu,a_format,b_format,c_format,d_format,k,a,b,c,d).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--all", description = "Also compare rows whose datapath is a known open question; "
      + "they are skipped, and counted, by default.")
  boolean all;

  @Option(names = "--csv", paramLabel = "OUT", description = "Write one line per compared row to OUT.")
  Path csv;

  @Option(names = "--report", paramLabel = "DIR", description = "Write an HTML report with charts "
      + "(match rate per datapath preset, error distributions against the exact result) to DIR/index.html.")
  Path report;

  @Option(names = "--show", paramLabel = "N", defaultValue = "5",
      description = "Mismatching rows to show per file (default ${DEFAULT-VALUE}).")
  int show;

  @Option(names = "--no-diagnose", description = "Do not search for datapath variants that would "
      + "explain a mismatch.")
  boolean noDiagnose;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON to "
      + "FILE (per file: counts, skipped rows, the mismatches shown; the total; per preset).")
  Path json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (csv != null && java.nio.file.Files.isDirectory(csv)) {
      // Checked first: the replay would run to the end and then fail to rename onto a folder.
      throw new IllegalArgumentException("--csv " + csv + " is a folder; give a file name");
    }
    if (report != null && java.nio.file.Files.exists(report)
        && !java.nio.file.Files.isDirectory(report)) {
      throw new IllegalArgumentException("--report " + report + " is a file; give a folder");
    }
    if (json != null && java.nio.file.Files.isDirectory(json)) {
      throw new IllegalArgumentException("--json " + json + " is a folder; give a file name");
    }
    Run run = new Run(out, err);
    // Ctrl-C: say what was compared before the interruption rather than nothing at all.
    AtomicBoolean finished = new AtomicBoolean();
    Thread onInterrupt = new Thread(() -> {
      if (!finished.get()) {
        err.println("tcsim verify: interrupted; compared so far: " + run.total.matched() + "/"
            + run.total.compared() + " bit-exact in " + run.completeFiles + " complete file(s)");
        err.flush();
      }
    });
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      int code = verify(run, out, err);
      run.json.total(run.total);
      try {
        JsonOut.write(json, run.json.document(), code);
      } catch (IOException e) {
        throw new IOException("cannot write --json " + json + ": " + InputErrors.message(e), e);
      }
      return code;
    } finally {
      finished.set(true);
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // already shutting down: the hook runs and finds the run finished
      }
    }
  }

  /** Replays every file, prints and writes what was asked for; returns the exit status. */
  private int verify(Run run, PrintWriter out, PrintWriter err) throws IOException {
    if (csv != null) {
      try {
        AtomicFiles.write(csv, w -> run.replayAll(w));
      } catch (IOException e) {
        throw new IOException("cannot write --csv " + csv + ": " + InputErrors.message(e), e);
      }
      out.println("wrote " + run.total.compared() + " rows to " + csv);
    } else {
      run.replayAll(null);
    }
    if (report != null) {
      try {
        out.println("wrote " + run.charts.write(report, run.completeFiles, run.total));
      } catch (IOException e) {
        // e.g. --report names a file (perhaps the --csv just written): say so, no stack trace.
        throw new IOException("cannot write --report " + report + ": " + InputErrors.message(e),
            e);
      }
    }
    out.flush();
    if (run.inputError) {
      return ExitCodes.BAD_INPUT;
    }
    if (run.total.compared() == 0) {
      err.println("tcsim verify: FAILED: no row was compared" + skippedText(run.total));
      return ExitCodes.CHECK_FAILED;
    }
    return run.total.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }

  /** The state of one verify run. */
  private final class Run {
    final PrintWriter out;
    final PrintWriter err;
    final MmaReplayer replayer = new MmaReplayer(all);
    final ReplaySummary total = new ReplaySummary("total", 0);
    final VerifyReport charts = new VerifyReport(!noDiagnose);
    final VerifyJson json = new VerifyJson();
    volatile int completeFiles;
    boolean inputError;

    Run(PrintWriter out, PrintWriter err) {
      this.out = out;
      this.err = err;
    }

    void replayAll(Writer csvOut) throws IOException {
      if (csvOut != null) {
        csvOut.write("source,line,gpu,kind,preset,expected,actual,match,hardware_ulp,model_ulp\n");
      }
      List<String> names = new ArrayList<>();
      if (files.isEmpty()) {
        names.addAll(EmbeddedGolden.names());
      } else {
        files.forEach(p -> names.add(p.toString()));
      }
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        ReplaySummary summary = new ReplaySummary(name, show);
        Consumer<GoldenMmaRow> sink = row -> replayer.replay(row, summary).ifPresent(o -> {
          if (report != null) {
            charts.add(o);
          }
          if (csvOut != null) {
            writeCsvLine(csvOut, o);
          }
        });
        try {
          if (files.isEmpty()) {
            EmbeddedGolden.forEach(name, sink);
          } else {
            stream(files.get(i), name, sink);
          }
        } catch (InputFormatException e) {
          err.println("tcsim verify: " + e.getMessage());
          json.error(e.getMessage());
          inputError = true;
          continue;
        } catch (java.nio.file.NoSuchFileException e) {
          err.println("tcsim verify: " + name + ": no such file");
          json.error(name + ": no such file");
          inputError = true;
          continue;
        }
        out.println(line(summary));
        json.file(summary, printMismatches(out, summary));
        total.addAll(summary);
        completeFiles++;
      }
      out.println(line(total));
      if (!total.byPreset().isEmpty() && (total.matched() != total.compared() || all)) {
        out.println("by datapath preset:");
        for (Map.Entry<String, long[]> e : total.byPreset().entrySet()) {
          long[] c = e.getValue();
          out.printf(Locale.ROOT, "  %-16s %d/%d bit-exact (%.1f%%)%n", e.getKey(), c[1], c[0],
              100.0 * c[1] / c[0]);
        }
      }
    }
  }

  private static void stream(Path path, String name, Consumer<GoldenMmaRow> sink)
      throws IOException {
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      GoldenMmaReader.forEach(r, name, sink);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InputFormatException(name, 0, null, "not UTF-8 text");
    }
  }

  private static void writeCsvLine(Writer w, MmaOutcome m) {
    GoldenMmaRow r = m.row();
    FpFormat d = r.dFormat();
    try {
      w.write(String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%s,%s,%s,%s,%s%n", r.source(), r.line(),
          r.gpu(), r.kind(), m.preset().id(), d.hex(r.d()), d.hex(m.actual()), m.matches(),
          m.hardwareUlpError(), m.modelUlpError()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String line(ReplaySummary s) {
    return s.name() + ": " + s.matched() + "/" + s.compared() + " bit-exact" + skippedText(s);
  }

  private static String skippedText(ReplaySummary s) {
    if (s.skippedTotal() == 0) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<SkipReason, Long> e : s.skipped().entrySet()) {
      parts.add(e.getValue() + " " + switch (e.getKey()) {
        case NO_PRESET -> "with no modelled datapath";
        case OPEN_QUESTION -> "whose datapath is an open question (--all compares them)";
      });
    }
    return " (skipped " + String.join(", ", parts) + ")";
  }

  /** Prints the mismatches kept; returns the diagnosis line of each (none with --no-diagnose). */
  private Map<MmaOutcome, String> printMismatches(PrintWriter out, ReplaySummary summary) {
    Map<MmaOutcome, String> diagnoses = new java.util.IdentityHashMap<>();
    for (MmaOutcome m : summary.mismatches()) {
      GoldenMmaRow r = m.row();
      FpFormat d = r.dFormat();
      out.printf(Locale.ROOT, "  MISMATCH %s:%d %s [%s]%n", r.source(), r.line(), r.kind(),
          m.preset().id());
      out.printf(Locale.ROOT, "    hardware %s = %s  (%+.3f ulp from exact)%n", d.hex(r.d()),
          num(d, r.d()), m.hardwareUlpError());
      out.printf(Locale.ROOT, "    model    %s = %s  (%+.3f ulp from exact)%n", d.hex(m.actual()),
          num(d, m.actual()), m.modelUlpError());
      out.printf(Locale.ROOT, "    exact    %s%n", m.exact());
      if (!noDiagnose) {
        String why = MismatchDiagnosis.explain(m);
        diagnoses.put(m, why);
        out.println("    " + why);
      }
    }
    return diagnoses;
  }

  private static String num(FpFormat f, int code) {
    double v = f.decode(code);
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.9g", v) : Double.toString(v);
  }
}

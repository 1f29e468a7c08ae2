package org.tcsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tcsim.core.format.FpFormat;
import org.tcsim.traces.InputFormatException;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tcsim verify [FILE...]}: replays golden MMA files on the simulated tensor cores and
 * compares bit for bit. Exit 0 only when every compared row matches and at least one was compared.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
        "Replay golden MMA files (measured on real GPUs) on the simulated tensor cores and compare "
            + "the results bit for bit.",
        "With no FILE, replays the golden sets embedded in tcsim (H100, B200, Ada).",
        "Prints 'FILE: MATCHED/COMPARED bit-exact' per file and a 'total:' line; exits 0 only if "
            + "every compared row matched and at least one row was compared."})
public final class VerifyCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..*",
      description = "Golden MMA CSV files (header gpu,a_format,b_format,c_format,d_format,k,a,b,c,d).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--all", description = "Also compare rows whose datapath is a known open question "
      + "(FP8 inputs with FP16 output); they are skipped, and counted, by default.")
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

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> names = new ArrayList<>();
    List<Source> sources = new ArrayList<>();
    if (files.isEmpty()) {
      for (String name : EmbeddedGolden.names()) {
        sources.add(new Source(name, null));
      }
    } else {
      for (Path p : files) {
        sources.add(new Source(p.toString(), p));
      }
    }
    MmaReplayer replayer = new MmaReplayer(all);
    ReplaySummary total = new ReplaySummary("total", 0);
    List<MmaOutcome> csvRows = csv == null && report == null ? null : new ArrayList<>();
    // Ctrl-C: say what was compared before the interruption rather than nothing at all.
    java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    Thread onInterrupt = new Thread(() -> {
      if (!finished.get()) {
        err.println("tcsim verify: interrupted; compared so far: " + total.matched() + "/"
            + total.compared() + " bit-exact in " + names.size() + " complete file(s)");
        err.flush();
      }
    });
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      return run(out, err, sources, replayer, total, csvRows, names);
    } finally {
      finished.set(true);
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // already shutting down: the hook runs and finds the run finished
      }
    }
  }

  private int run(PrintWriter out, PrintWriter err, List<Source> sources, MmaReplayer replayer,
      ReplaySummary total, List<MmaOutcome> csvRows, List<String> names) throws IOException {
    boolean inputError = false;
    for (Source source : sources) {
      List<GoldenMmaRow> rows;
      try {
        rows = source.load();
      } catch (InputFormatException e) {
        err.println("tcsim verify: " + e.getMessage());
        inputError = true;
        continue;
      } catch (java.nio.file.NoSuchFileException e) {
        err.println("tcsim verify: " + source.name + ": no such file");
        inputError = true;
        continue;
      }
      ReplaySummary summary = new ReplaySummary(source.name, show);
      replayer.replay(rows, summary, csvRows == null ? null : csvRows::add);
      out.println(line(summary));
      printMismatches(out, summary);
      total.addAll(summary);
      names.add(source.name);
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
    if (csv != null) {
      writeCsv(csvRows);
      out.println("wrote " + csvRows.size() + " rows to " + csv);
    }
    if (report != null) {
      out.println("wrote " + VerifyReport.write(report, sources.size(), total, csvRows));
    }
    out.flush();
    if (inputError) {
      return 2;
    }
    if (total.compared() == 0) {
      err.println("tcsim verify: FAILED: no row was compared" + skippedText(total));
      return 1;
    }
    return total.passed() ? 0 : 1;
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
        case UNKNOWN_GPU -> "for unknown GPUs";
        case NO_PRESET -> "with no modelled datapath";
        case OPEN_QUESTION -> "FP8->FP16 (open question; --all compares them)";
      });
    }
    return " (skipped " + String.join(", ", parts) + ")";
  }

  private void printMismatches(PrintWriter out, ReplaySummary summary) {
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
        out.println("    " + MismatchDiagnosis.explain(m));
      }
    }
  }

  private static String num(FpFormat f, int code) {
    double v = f.decode(code);
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.9g", v) : Double.toString(v);
  }

  private void writeCsv(List<MmaOutcome> rows) throws IOException {
    AtomicFiles.write(csv, w -> {
      w.write("source,line,gpu,kind,preset,expected,actual,match,hardware_ulp,model_ulp\n");
      for (MmaOutcome m : rows) {
        GoldenMmaRow r = m.row();
        FpFormat d = r.dFormat();
        w.write(String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%s,%s,%s,%s,%s%n", r.source(), r.line(),
            r.gpu(), r.kind(), m.preset().id(), d.hex(r.d()), d.hex(m.actual()), m.matches(),
            m.hardwareUlpError(), m.modelUlpError()));
      }
    });
  }

  private record Source(String name, Path path) {
    List<GoldenMmaRow> load() throws IOException {
      if (path == null) {
        return EmbeddedGolden.load(name);
      }
      try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        return GoldenMmaReader.read(r, name);
      } catch (java.nio.charset.MalformedInputException e) {
        throw new InputFormatException(name, 0, null, "not UTF-8 text");
      }
    }
  }
}

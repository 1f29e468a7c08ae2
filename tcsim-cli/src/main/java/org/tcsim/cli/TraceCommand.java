package org.tcsim.cli;

import org.tcsim.gpu.GpuCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tcsim.core.InputFormatException;
import org.tcsim.traces.io.AtomicFiles;
import org.tcsim.traces.trace.CublasLtLogImporter;
import org.tcsim.traces.trace.CutlassProfilerImporter;
import org.tcsim.traces.trace.ExampleTraces;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.ImportSummary;
import org.tcsim.traces.trace.TraceReader;
import org.tcsim.traces.trace.TraceWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tcsim trace}: imports GEMM traces from what kernel authors have, and shows them. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = "GEMM traces: one FP8 GEMM per CSV row (see the README's trace format).",
    subcommands = {TraceCommand.Import.class, TraceCommand.Show.class},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_BAD_INPUT, ExitCodes.LINE_INTERNAL})
public final class TraceCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The tool that wrote an input file. */
  enum Source {
    cublaslt,
    cutlass
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"Converts a cuBLASLt API log (CUBLASLT_LOG_LEVEL=2) or a CUTLASS profiler CSV",
          "into a native trace. Lines or rows that are not FP8 GEMMs are skipped and counted.",
          "('tcsim replay' also reads both directly.)"},
      exitCodeListHeading = ExitCodes.HEADING,
      exitCodeList = {ExitCodes.LINE_OK, "2:bad input or usage (a malformed or missing file, no "
          + "FP8 GEMM in it, unknown --gpu, bad option)", ExitCodes.LINE_INTERNAL})
  static final class Import implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, description = "cublaslt or cutlass (any case)")
    Source from;

    @Parameters(paramLabel = "FILE", description = "the log or profiler CSV")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "TRACE.csv",
        description = "the trace to write (atomically)")
    Path out;

    @Option(names = "--gpu", defaultValue = "h100",
        description = "the GPU the input came from (default ${DEFAULT-VALUE})")
    String gpu;

    @Override
    public Integer call() throws IOException {
      checkGpu(gpu);
      ImportSummary[] summary = new ImportSummary[1];
      List<String> comments = List.of("Imported by tcsim trace import --from " + from + " "
          + input.getFileName() + " --gpu " + gpu);
      // The input is opened first: a missing file writes nothing, not even --out's folder.
      try (Reader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
        AtomicFiles.write(out, w -> {
          TraceWriter tw = TraceWriter.on(w, comments);
          summary[0] = switch (from) {
            case cublaslt -> CublasLtLogImporter.importLog(r, input.toString(), gpu,
                s -> add(tw, s));
            case cutlass -> CutlassProfilerImporter.importCsv(r, input.toString(), gpu,
                s -> add(tw, s));
          };
          if (summary[0].importedCount() == 0) {
            throw new InputFormatException(input.toString(), 0, null,
                "no FP8 GEMM found (" + summary[0] + "); nothing written");
          }
          tw.flush();
        });
      } catch (CharacterCodingException e) {
        throw notText(input);
      }
      spec.commandLine().getOut().println(out + ": " + summary[0]);
      return ExitCodes.OK;
    }

    private static void add(TraceWriter tw, GemmSpec s) {
      try {
        tw.add(s);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = {"Prints a trace as a table, with the total FLOPs. TRACE is a trace file, a",
          "cuBLASLt log or CUTLASS profiler CSV (told apart from their first lines), or the name",
          "of a bundled example: " + "llama3_8b_layer, mixtral_8x7b_layer, deepseek_v3_dense."},
      exitCodeListHeading = ExitCodes.HEADING,
      exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_BAD_INPUT, ExitCodes.LINE_INTERNAL})
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "TRACE",
        description = "a trace CSV, cuBLASLt log, CUTLASS profiler CSV or bundled example")
    String trace;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      try (TraceInput input = TraceInput.open(trace, null)) {
        if (!input.note().isEmpty()) {
          out.println(input.note());
        }
        java.util.Iterator<GemmSpec> r = input.specs();
        String format = "%-28s %-6s %-24s %-9s %-7s %-26s %-5s %-5s %12s%n";
        out.printf(Locale.ROOT, format, "name", "gpu", "shape", "A x B", "layout", "scaling",
            "out", "fast", "GFLOP");
        BigInteger total = BigInteger.ZERO;
        long count = 0;
        while (r.hasNext()) {
          GemmSpec s = r.next();
          out.printf(Locale.ROOT, format, s.name(), s.gpu(), s.shape(),
              s.aFormat().shortName() + "x" + s.bFormat().shortName(),
              s.aLayout().traceName() + "/" + s.bLayout().traceName(), s.scaling().traceName(),
              s.outFormat().shortName(), s.fastAccum() ? "yes" : "no", gflop(s.flops()));
          total = total.add(BigInteger.valueOf(s.flops()));
          count++;
        }
        out.printf(Locale.ROOT, "total: %d GEMM(s), %s FLOPs (%s TFLOP)%n", count, total,
            new BigDecimal(total).divide(BigDecimal.TEN.pow(12), 3, RoundingMode.HALF_EVEN)
                .toPlainString());
        return ExitCodes.OK;
      }
    }

    private static String gflop(long flops) {
      return new BigDecimal(flops).divide(BigDecimal.TEN.pow(9), 3, RoundingMode.HALF_EVEN)
          .toPlainString();
    }
  }

  /** The GPU must be one the catalogue knows. */
  static void checkGpu(String gpu) {
    GpuCatalog.byName(gpu);
  }

  private static InputFormatException notText(Path file) {
    return new InputFormatException(file.toString(), 0, null, "not UTF-8 text");
  }
}

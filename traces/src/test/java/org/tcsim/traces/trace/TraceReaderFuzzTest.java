package org.tcsim.traces.trace;

import static org.tcsim.traces.fuzz.FuzzCheck.sane;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.traces.fuzz.FuzzCheck;
import org.tcsim.traces.fuzz.TextMutations;

/**
 * Mutated native traces, cuBLASLt logs and CUTLASS profiler CSVs: each either imports specs that
 * satisfy {@link GemmSpec}'s invariants or fails with an error naming the file and line.
 */
class TraceReaderFuzzTest {

  static final String TRACE = traceText();

  private static String traceText() {
    List<GemmSpec> specs = List.of(
        GemmSpec.builder("q_proj", "h100", 4096, 4096, 4096).build(),
        GemmSpec.builder("experts", "b200", 64, 2112, 7168).groups(8)
            .scaling(Scaling.both(ScaleMode.VEC32_UE8M0)).outFormat(org.tcsim.core.format.FpFormat.FP32)
            .fastAccum(true).alpha(0.5).beta(1).source("model X").build(),
        GemmSpec.builder("files", "h200", 128, 256, 512)
            .data(new OperandData.Files(Path.of("a.npy"), Path.of("b.npy"),
                Optional.of(Path.of("c.npy")), Optional.empty(), Optional.empty())).build());
    StringWriter w = new StringWriter();
    try {
      TraceWriter.write(w, List.of("fuzz seed"), specs.iterator());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w.toString();
  }

  static final String LOG = CublasLtLogImporterTest.EXAMPLE_LINE + "\n"
      + "[2025-11-03 19:02:39][cublasLt][557785][Trace][cublasLtMatmul] Adesc=[type=R_8F_E4M3"
      + " rows=4096 cols=128 ld=4096] Bdesc=[type=R_8F_E5M2 rows=4096 cols=256 ld=4096]"
      + " Cdesc=[type=R_16BF rows=128 cols=256 ld=128] computeDesc=[transa=OP_T"
      + " CUBLASLT_MATMUL_DESC_FAST_ACCUM=1 aScalePointer=0x1] alpha=0.5 beta=?\n"
      + "[2025-11-03 19:02:38][cublasLt][557785][Api][cublasLtMatmulDescCreate] matmulDesc=0x1\n";

  static final String CUTLASS = CutlassProfilerImporterTest.HEADER + "\n"
      + CutlassProfilerImporterTest.row("cutlass3x_sm90_tensorop_gemm_e4m3_fastaccum", "success",
          "4096,14336,4096", "fe4m3:row", "fe4m3:column", "bf16:column", "bf16:column", "1") + "\n"
      + CutlassProfilerImporterTest.row("op_ue8m0", "success", "64,128,256", "e5m2:t", "f8e4m3:n",
          "f32:column", "f32:column", "4") + "\n";

  @Provide
  Arbitrary<String> traces() {
    return TextMutations.mutants(TRACE, ',');
  }

  @Provide
  Arbitrary<String> logs() {
    return TextMutations.mutants(LOG, ' ');
  }

  @Provide
  Arbitrary<String> cutlassCsvs() {
    return TextMutations.mutants(CUTLASS, ',');
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 3000)
  void mutatedTracesReadOrNameFileAndLine(@ForAll("traces") String text) {
    FuzzCheck.resultOrNamedError(text, "fuzz.csv", () -> {
      List<GemmSpec> out = new ArrayList<>();
      try (TraceReader r = TraceReader.of(new StringReader(text), "fuzz.csv")) {
        r.forEachRemaining(out::add);
      }
      return out;
    }).ifPresent(specs -> specs.forEach(s -> saneSpec(s, text)));
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 2000)
  void mutatedCublasLtLogsImportOrNameFileAndLine(@ForAll("logs") String text) {
    FuzzCheck.resultOrNamedError(text, "log.txt", () -> {
      List<GemmSpec> out = new ArrayList<>();
      CublasLtLogImporter.importLog(new StringReader(text), "log.txt", "b200", out::add);
      return out;
    }).ifPresent(specs -> specs.forEach(s -> saneSpec(s, text)));
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 2000)
  void mutatedCutlassCsvsImportOrNameFileAndLine(@ForAll("cutlassCsvs") String text) {
    FuzzCheck.resultOrNamedError(text, "prof.csv", () -> {
      List<GemmSpec> out = new ArrayList<>();
      CutlassProfilerImporter.importCsv(new StringReader(text), "prof.csv", "h100", out::add);
      return out;
    }).ifPresent(specs -> specs.forEach(s -> saneSpec(s, text)));
  }

  /** What every accepted spec must satisfy, whatever the input. */
  static void saneSpec(GemmSpec s, String input) {
    sane(s.m() >= 1 && s.n() >= 1 && s.k() >= 1 && s.groups() >= 1, "shape " + s.shape(), input);
    sane(Double.isFinite(s.alpha()) && Double.isFinite(s.beta()), "alpha/beta", input);
    sane(GemmSpec.INPUT_FORMATS.contains(s.aFormat())
        && GemmSpec.INPUT_FORMATS.contains(s.bFormat()), "input formats", input);
    sane(s.flops() > 0, "flops " + s.flops(), input);
    sane(!s.name().isBlank() && !s.gpu().isBlank(), "name/gpu", input);
  }
}

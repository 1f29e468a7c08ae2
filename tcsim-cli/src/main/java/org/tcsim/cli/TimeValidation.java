package org.tcsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.tcsim.reports.Charts;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.validate.MeasuredGemm;
import org.tcsim.timing.validate.MeasuredGemmCsv;
import org.tcsim.timing.validate.Validation;
import org.tcsim.traces.io.AtomicFiles;

/** {@code tcsim time --validate}: the timing model against a file of measured GEMMs. */
final class TimeValidation {
  private final Function<String, MachineSpec> machines;
  private final PrintWriter out;

  TimeValidation(Function<String, MachineSpec> machines, PrintWriter out) {
    this.machines = machines;
    this.out = out;
  }

  /** Predicts every row of {@code file}, prints the errors and MAPEs; optional CSV and chart. */
  int run(Path file, Path csv, Path chart) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    List<MeasuredGemm> rows = MeasuredGemmCsv.parse(lines, file.toString());
    List<Validation.Prediction> predictions = Validation.predict(rows, machines, file.toString());
    out.printf(Locale.ROOT, "%5s %-9s %-10s %6s %22s %9s %9s %8s %-17s %-11s %6s%n", "line", "gpu", "recipe",
        "groups", "m x n x k", "measured", "predicted", "error", "bound", "tile", "GHz");
    for (Validation.Prediction p : predictions) {
      MeasuredGemm r = p.row();
      out.printf(Locale.ROOT, "%5d %-9s %-10s %6d %22s %9.1f %9.1f %+7.1f%% %-17s %-11s %6.3f%n", r.line(), r.gpu(),
          r.problem().recipe().label(), r.problem().groups(),
          r.problem().m() + "x" + r.problem().n() + "x" + r.problem().k(), r.tflops(), p.predicted(),
          p.errorPercent(), p.result().bound().label(), p.result().config().blockM() + "x"
              + p.result().config().blockN(), p.result().clockGhz());
    }
    out.printf(Locale.ROOT, "MAPE %.1f%% over %d rows%n", Validation.mape(predictions), predictions.size());
    Validation.mapeBy(predictions, p -> p.row().gpu()).forEach((g, v) -> out.printf(Locale.ROOT,
        "  gpu %-10s %5.1f%%%n", g, v));
    Validation.mapeBy(predictions, p -> p.row().source().isEmpty() ? "(no source)" : p.row().source())
        .forEach((s, v) -> out.printf(Locale.ROOT, "  source %5.1f%%  %s%n", v, s));
    if (csv != null) {
      AtomicFiles.write(csv, w -> {
        w.write("line,gpu,recipe,groups,m,n,k,measured_tflops,predicted_tflops,error_percent,bound,tile,clock_ghz,source\n");
        for (Validation.Prediction p : predictions) {
          MeasuredGemm r = p.row();
          w.write(String.format(Locale.ROOT, "%d,%s,%s,%d,%d,%d,%d,%.2f,%.2f,%.2f,%s,%s,%.3f,%s%n", r.line(), r.gpu(),
              r.problem().recipe().label(), r.problem().groups(), r.problem().m(), r.problem().n(), r.problem().k(),
              r.tflops(), p.predicted(), p.errorPercent(), p.result().bound().label(),
              p.result().config().tileText(), p.result().clockGhz(), r.source()));
        }
      });
      out.println("wrote " + csv);
    }
    if (chart != null) {
      Map<String, List<double[]>> groups = new LinkedHashMap<>();
      for (Validation.Prediction p : predictions) {
        groups.computeIfAbsent(p.row().gpu(), g -> new ArrayList<>()).add(new double[] {p.row().tflops(), p.predicted()});
      }
      byte[] png = Charts.predictedVsMeasured(String.format(Locale.ROOT, "%s: MAPE %.1f%%", file.getFileName(),
          Validation.mape(predictions)), "TFLOPS", groups);
      AtomicFiles.writeBytes(chart, o -> o.write(png));
      out.println("wrote chart " + chart);
    }
    out.flush();
    return 0;
  }
}

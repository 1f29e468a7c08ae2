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
import java.util.function.Supplier;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Library;
import org.tcsim.reports.Charts;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.validate.CrossValidation;
import org.tcsim.timing.validate.MeasuredGemm;
import org.tcsim.timing.validate.MeasuredGemmCsv;
import org.tcsim.timing.validate.TileMenu;
import org.tcsim.timing.validate.TimingFit;
import org.tcsim.timing.validate.Validation;
import org.tcsim.traces.io.AtomicFiles;

/** {@code tcsim time --validate}: the timing model against a file of measured GEMMs. */
final class TimeValidation {
  private final Function<String, MachineSpec> machines;
  private final PrintWriter out;
  private final Supplier<TimeProgress> progress;

  /** Prints to {@code out}; {@code progress} starts the progress display of each run. */
  TimeValidation(Function<String, MachineSpec> machines, PrintWriter out, Supplier<TimeProgress> progress) {
    this.machines = machines;
    this.out = out;
    this.progress = progress;
  }

  private static List<MeasuredGemm> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(InputErrors.cannotRead(file.toString(), e));
    }
    return MeasuredGemmCsv.parse(lines, file.toString(), CATALOGUE_TILES);
  }

  /** A row's library column, resolved through the GPU catalogue's kernel defaults. */
  static final TileMenu CATALOGUE_TILES = (gpu, library, recipe) ->
      GpuCatalog.byName(gpu).kernels(Library.parse(library)).tile(recipe);

  /**
   * Fits the figures tagged F in the machine files (per family of GPUs sharing them) to every row
   * of {@code file} and prints the values, starting from the machine files' values.
   */
  int fit(Path file) {
    List<MeasuredGemm> rows = read(file);
    List<java.util.Set<String>> families = new ArrayList<>(CrossValidation.families(rows, machines).values());
    List<TimingFit.Result> fits = new ArrayList<>();
    // Every fit first and then the results, so that stdout and the progress line never interleave.
    try (TimeProgress shown = progress.get()) {
      for (java.util.Set<String> family : families) {
        shown.step(fits.size() + 1, families.size(), "fitting " + String.join("+", family));
        List<MachineParam> params = CrossValidation.fitted(machines.apply(family.iterator().next()));
        fits.add(TimingFit.fit(rows, machines, family, params, shown));
      }
    }
    for (int i = 0; i < families.size(); i++) {
      TimingFit.Result r = fits.get(i);
      out.printf(Locale.ROOT, "%s: MAPE %.2f%% over its rows with%n", String.join("+", families.get(i)), r.mape());
      r.values().forEach((p, v) -> out.printf(Locale.ROOT, "  %s = %.6g%n", p.key(), v));
    }
    out.flush();
    return 0;
  }

  /**
   * Leave-one-source-out: prints each source's in-sample and held-out MAPE, the totals overall and
   * per GPU, and writes the refitted figures to {@code losoCsv}.
   */
  int loso(Path file, Path losoCsv) throws IOException {
    List<MeasuredGemm> rows = read(file);
    List<Validation.Prediction> inSample;
    CrossValidation.Result cv;
    try (TimeProgress shown = progress.get()) {
      inSample = Validation.predict(rows, machines, file.toString(), shown);
      cv = CrossValidation.run(rows, machines, shown);
    }
    out.printf(Locale.ROOT, "%5s %10s %10s  %s%n", "rows", "in-sample", "held out", "source");
    Map<String, List<Validation.Prediction>> bySource = new LinkedHashMap<>();
    cv.heldOut().forEach(p -> bySource.computeIfAbsent(CrossValidation.source(p.row()), s -> new ArrayList<>()).add(p));
    bySource.forEach((s, held) -> {
      List<Validation.Prediction> in = inSample.stream().filter(x -> CrossValidation.source(x.row()).equals(s)).toList();
      out.printf(Locale.ROOT, "%5d %9.1f%% %9.1f%%  %s%n", held.size(), Validation.mape(in), Validation.mape(held), s);
    });
    out.printf(Locale.ROOT, "%5d %9.1f%% %9.1f%%  all%n", rows.size(), Validation.mape(inSample),
        Validation.mape(cv.heldOut()));
    Map<String, Double> inByGpu = Validation.mapeBy(inSample, p -> p.row().gpu());
    Validation.mapeBy(cv.heldOut(), p -> p.row().gpu()).forEach((g, v) -> out.printf(Locale.ROOT,
        "%5d %9.1f%% %9.1f%%  gpu %s%n", cv.heldOut().stream().filter(p -> p.row().gpu().equals(g)).count(),
        inByGpu.get(g), v, g));
    if (losoCsv != null) {
      AtomicFiles.write(losoCsv, w -> {
        w.write("# Leave-one-source-out calibration of the timing model over " + file
            + ": for each source, the\n# figures tagged F in the machine files fitted again (TimingFit, coordinate"
            + " descent to 5% steps)\n# on every other source's rows, per family of GPUs sharing those figures,"
            + " each starting where its\n# source says (\"" + CrossValidation.START_MARK + " X\"), else at the"
            + " file's figure. Written by\n# tcsim time --validate " + file + " --loso FILE.csv; checked by"
            + " TimingCrossValidationTest (tcsim-cli).\n");
        w.write("held_out_source,family,param,value\n");
        for (CrossValidation.Refit r : cv.refits()) {
          for (Map.Entry<MachineParam, Double> e : r.values().entrySet()) {
            w.write(r.heldOut() + "," + String.join("+", r.family()) + "," + e.getKey().key() + ","
                + e.getValue() + "\n");
          }
        }
      });
      out.println("wrote " + losoCsv);
    }
    out.flush();
    return 0;
  }

  /** Predicts every row of {@code file}, prints the errors and MAPEs; optional CSV and chart. */
  int run(Path file, Path csv, Path chart) throws IOException {
    List<MeasuredGemm> rows = read(file);
    List<Validation.Prediction> predictions;
    try (TimeProgress shown = progress.get()) {
      predictions = Validation.predict(rows, machines, file.toString(), shown);
    }
    out.printf(Locale.ROOT, "%5s %-9s %-10s %6s %22s %9s %9s %8s %-17s %-11s %6s%n", "line", "gpu", "recipe",
        "groups", "m x n x k", "measured", "predicted", "error", "bound", "tile", "GHz");
    for (Validation.Prediction p : predictions) {
      MeasuredGemm r = p.row();
      out.printf(Locale.ROOT, "%5d %-9s %-10s %6d %22s %9.1f %9.1f %+7.1f%% %-17s %-11s %6.3f%n", r.line(), r.gpu(),
          r.problem().recipe().label(), r.problem().groups(),
          r.problem().m() + "x" + r.problem().n() + "x" + r.problem().k(), r.tflops(), p.predicted(),
          p.errorPercent(), p.result().bound().label(), p.result().config().blockM() + "x"
              + p.result().config().blockN() + (p.result().config().splitK() > 1 ? "/k" + p.result().config().splitK() : ""),
          p.result().clockGhz());
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

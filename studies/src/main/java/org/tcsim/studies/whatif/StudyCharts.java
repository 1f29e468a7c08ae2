package org.tcsim.studies.whatif;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcsim.studies.whatif.StudySpec;
import org.tcsim.reports.Charts;

/** The charts of a study: one line (or bar group) per series value over the swept parameter. */
final class StudyCharts {
  private StudyCharts() {}

  static List<Path> write(StudySpec spec, List<StudyRunner.Row> rows, Path outDir)
      throws IOException {
    List<Path> out = new ArrayList<>();
    boolean accuracy = spec.kind() == StudySpec.Kind.ACCURACY;
    if (accuracy) {
      String metric = spec.metric().label();
      String what = spec.reference() == StudySpec.Reference.ORIGINAL
          ? " vs exact product of FP32 data" : " vs exact product of dequantised operands";
      out.add(chart(spec, rows, metric, metric.replace('_', ' ') + what, true,
          outDir.resolve(spec.output() + ".png")));
      boolean timed = rows.stream().anyMatch(r -> Double.isFinite(r.values().get("time_us")));
      if (timed) {
        out.add(chart(spec, rows, "time_us", "predicted time (us)", false,
            outDir.resolve(spec.output() + "-time.png")));
      }
    } else {
      out.add(chart(spec, rows, "time_us", "predicted time (us)", false,
          outDir.resolve(spec.output() + ".png")));
    }
    return out;
  }

  private static Path chart(StudySpec spec, List<StudyRunner.Row> rows, String column,
      String yLabel, boolean logY, Path file) throws IOException {
    boolean numeric = spec.sweep().values().stream().allMatch(StudyCharts::isNumber);
    String seriesParam = spec.series() == null ? null : spec.series().param();
    byte[] png;
    if (numeric) {
      Map<String, List<double[]>> series = new LinkedHashMap<>();
      for (StudyRunner.Row r : rows) {
        String name = seriesParam == null ? yLabel : seriesParam + " = " + r.series();
        series.computeIfAbsent(name, x -> new ArrayList<>())
            .add(new double[] {Double.parseDouble(r.x()), r.values().get(column)});
      }
      boolean logX = spec.sweep().values().stream().mapToDouble(Double::parseDouble).min()
          .orElse(0) > 0 && ratio(spec) >= 16;
      png = Charts.lines(spec.title(), spec.sweep().param(), yLabel, series, logX, logY);
    } else {
      Map<String, Map<String, Double>> series = new LinkedHashMap<>();
      for (StudyRunner.Row r : rows) {
        String name = seriesParam == null ? yLabel : seriesParam + " = " + r.series();
        series.computeIfAbsent(name, x -> new LinkedHashMap<>()).put(r.x(),
            r.values().get(column));
      }
      png = Charts.groupedBars(spec.title(), spec.sweep().param(), yLabel, series, logY);
    }
    org.tcsim.traces.io.AtomicFiles.writeBytes(file, o -> o.write(png));
    return file;
  }

  private static double ratio(StudySpec spec) {
    double lo = spec.sweep().values().stream().mapToDouble(Double::parseDouble).min().orElse(1);
    double hi = spec.sweep().values().stream().mapToDouble(Double::parseDouble).max().orElse(1);
    return hi / lo;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}

package org.tcsim.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.replay.GoldenComparison;
import org.tcsim.replay.ReplayResult;
import org.tcsim.replay.ReplayTable;
import org.tcsim.replay.ReplayTotals;

/**
 * The HTML report of a replay (one self-contained file, see {@link HtmlReport}): the per-GEMM
 * table, error distributions against the exact product, golden mismatch histograms and heat maps
 * over the output matrix, predicted time per GEMM and each GEMM's place on the roofline. Results
 * are folded in as they stream by; per GEMM only a table row, a few numbers and at most one
 * heat map (of a GEMM that mismatched, up to {@link #HEAT_MAPS}) are kept.
 */
public final class ReplayReport {
  /** Heat maps drawn, at most (the first mismatching GEMMs). */
  public static final int HEAT_MAPS = 8;
  /** GEMMs listed one per row in tables and bars, at most; the rest are in the totals only. */
  public static final int LISTED = 200;

  private final String title;
  private final List<List<String>> rows = new ArrayList<>();
  private final Map<String, Double> timeBars = new LinkedHashMap<>();
  private final Map<String, List<Charts.RooflinePoint>> roofPoints = new LinkedHashMap<>();
  private final long[] accuracyUlps = new long[UlpBins.ERROR_LABELS.size()];
  private final long[] mismatchUlps = new long[UlpBins.DISTANCE_LABELS.size()];
  private final List<HeatMap> heatMaps = new ArrayList<>();

  /** A mismatching GEMM's heat map: the GEMM (index and name) and its comparison. */
  private record HeatMap(int index, String gemm, GoldenComparison golden) {}
  private long unlisted;

  public ReplayReport(String title) {
    this.title = title;
  }

  public void add(ReplayResult r) {
    if (rows.size() < LISTED) {
      rows.add(ReplayTable.cells(r, true));
      if (r.timing() != null) {
        timeBars.put(r.index() + " " + r.spec().name(), r.microseconds());
      }
    } else {
      unlisted++;
    }
    if (r.timing() != null) {
      String gpu = r.timing().machine();
      double intensity = r.timing().problem().flops() / r.timing().problem().minimumBytes();
      roofPoints.computeIfAbsent(gpu, g -> new ArrayList<>())
          .add(new Charts.RooflinePoint(r.spec().name(), intensity, r.tflops()));
    }
    if (r.accuracy() != null) {
      long[] h = r.accuracy().ulpHistogram();
      for (int i = 0; i < h.length; i++) {
        accuracyUlps[i] += h[i];
      }
    }
    if (r.golden() != null) {
      long[] h = r.golden().ulpHistogram();
      for (int i = 0; i < h.length; i++) {
        mismatchUlps[i] += h[i];
      }
      if (r.golden().mismatches() > 0 && heatMaps.size() < HEAT_MAPS) {
        heatMaps.add(new HeatMap(r.index(), r.spec().name(), r.golden()));
      }
    }
  }

  /** The report as HTML text. */
  public String html(ReplayTotals totals) {
    return build(totals).html();
  }

  /** The report, its charts still objects ({@link HtmlReport#charts}). */
  public HtmlReport build(ReplayTotals totals) {
    HtmlReport html = new HtmlReport(title);
    html.paragraph(ReplayTable.totalsLine(totals));
    html.heading("GEMMs");
    html.table(ReplayTable.HEADER, rows);
    if (unlisted > 0) {
      html.paragraph(unlisted + " more GEMM(s) are counted in the totals but not listed.");
    }
    html.heading("Error against the exact product");
    html.paragraph("|error| of sampled output elements in ULPs of the output format, against the "
        + "exact product of the dequantised operands (arbitrary precision), over all GEMMs.");
    Map<String, Double> acc = bars(UlpBins.ERROR_LABELS, accuracyUlps);
    html.chart("Sampled elements per |ULP error| bin, all GEMMs",
        Charts.barsChart("Error vs exact (sampled elements, all GEMMs)", "|error| (ULP)",
            "elements", acc));
    if (totals.goldenGemms() > 0) {
      html.heading("Bit-for-bit comparison with the GPU");
      html.paragraph(String.format(Locale.ROOT, "%d of %d compared elements bit-exact in %d "
          + "GEMM(s); mismatches by ULP distance below.", totals.elementsExact(),
          totals.elementsCompared(), totals.goldenGemms()));
      Map<String, Double> mis = bars(UlpBins.DISTANCE_LABELS, mismatchUlps);
      html.chart("Mismatching elements per ULP distance",
          Charts.barsChart("Mismatches with the GPU by ULP distance (all GEMMs)",
              "distance (ULP)", "elements", mis));
      for (HeatMap h : heatMaps) {
        GoldenComparison g = h.golden();
        // The GEMM's index in the title: a trace may name two GEMMs alike (one golden case).
        html.chart(String.format(Locale.ROOT, "Mismatch rate over D, %s, GEMM %d (blocks of "
                + "%dx%d elements)", g.caseId(), h.index(), g.blockRows(), g.blockCols()),
            Charts.heatMapChart(String.format(Locale.ROOT, "Mismatch rate over D: GEMM %d %s",
                h.index(), h.gemm()), "column block", "row block", g.heatMap()));
      }
    }
    if (!timeBars.isEmpty()) {
      html.heading("Predicted time");
      html.chart("Predicted time per GEMM (microseconds)",
          Charts.barsChart("Predicted time per GEMM", "GEMM", "us", timeBars));
      for (Map.Entry<String, List<Charts.RooflinePoint>> e : roofPoints.entrySet()) {
        MachineSpec spec = GpuCatalog.find(e.getKey()).flatMap(Gpu::timing).orElse(null);
        if (spec == null) {
          continue;
        }
        html.chart("Roofline, " + e.getKey() + ": predicted TFLOPS against arithmetic intensity "
                + "(FLOPs over the minimum HBM bytes); red: HBM and compute roofs, orange dashes: "
                + "L2 roof (data served from L2)",
            Charts.rooflineChart("Roofline: " + e.getKey() + " (predicted)", e.getValue(),
                new Charts.Roofs(spec.peakTflops(), spec.get(MachineParam.HBM_TBPS),
                    spec.get(MachineParam.L2_TBPS))));
      }
    }
    return html;
  }

  /** Writes {@code dir/index.html}. */
  public Path write(Path dir, ReplayTotals totals) throws IOException {
    java.nio.file.Files.createDirectories(dir);
    String text = html(totals);
    Path file = dir.resolve("index.html");
    org.tcsim.traces.io.AtomicFiles.write(file, w -> w.write(text));
    return file;
  }

  /**
   * Label to count from the first bin up to the last non-empty one (at least four bins): the 28
   * bins of {@link UlpBins} would squeeze the bars of a chart whose errors are all small.
   */
  private static Map<String, Double> bars(List<String> labels, long[] counts) {
    int last = Math.min(3, counts.length - 1);
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        last = Math.max(last, i);
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i <= last; i++) {
      m.put(labels.get(i), (double) counts[i]);
    }
    return m;
  }
}

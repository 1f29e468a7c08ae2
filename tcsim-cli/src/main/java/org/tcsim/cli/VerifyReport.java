package org.tcsim.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tcsim.core.format.FpFormat;
import org.tcsim.replay.CodeDistance;
import org.tcsim.reports.Charts;
import org.tcsim.reports.HtmlReport;
import org.tcsim.reports.UlpHistogram;
import org.tcsim.traces.golden.GoldenMmaRow;
import org.tcsim.traces.golden.MismatchDiagnosis;
import org.tcsim.traces.golden.MmaOutcome;
import org.tcsim.traces.golden.ReplaySummary;

/**
 * The HTML report of {@code tcsim verify --report}: what matched, the mismatching rows with the
 * diagnosis {@code verify} prints, and how far each side is from exact. Rows are folded into
 * histograms as they stream by; only the first {@link #LISTED} mismatching rows are kept.
 */
final class VerifyReport {
  /** Mismatching rows listed, at most; the rest are counted ("and N more"). */
  static final int LISTED = 100;

  static final List<String> MISMATCH_HEADER = List.of("file", "line", "gpu", "inputs", "preset",
      "expected (GPU)", "got (model)", "ULP distance", "GPU error vs exact (ULP)",
      "model error vs exact (ULP)", "diagnosis");

  private final boolean diagnose;
  /** Preset id to {hardware, model} error histograms. */
  private final Map<String, UlpHistogram[]> byPreset = new LinkedHashMap<>();
  private final List<List<String>> mismatches = new ArrayList<>();
  private long unlisted;

  /** @param diagnose whether listed mismatches get a diagnosis (not with --no-diagnose) */
  VerifyReport(boolean diagnose) {
    this.diagnose = diagnose;
  }

  void add(MmaOutcome m) {
    UlpHistogram[] h = byPreset.computeIfAbsent(m.preset().id(),
        id -> new UlpHistogram[] {new UlpHistogram(), new UlpHistogram()});
    double hw = m.hardwareUlpError();
    double model = m.matches() ? hw : m.modelUlpError();
    h[0].add(hw);
    h[1].add(model);
    if (!m.matches()) {
      if (mismatches.size() < LISTED) {
        mismatches.add(row(m, hw, model));
      } else {
        unlisted++;
      }
    }
  }

  /** One mismatching row of the table; the first cell starts with "!" (highlighted). */
  private List<String> row(MmaOutcome m, double hw, double model) {
    GoldenMmaRow r = m.row();
    FpFormat d = r.dFormat();
    long distance = CodeDistance.of(d, r.d(), m.actual());
    return List.of("!" + r.source(), Long.toString(r.line()), r.gpu(),
        String.format(Locale.ROOT, "%s x %s + %s -> %s, k=%d", r.aFormat(), r.bFormat(),
            r.cFormat(), r.dFormat(), r.k()), m.preset().id(),
        d.hex(r.d()), d.hex(m.actual()),
        distance == CodeDistance.NOT_COMPARABLE ? "NaN" : Long.toString(distance),
        String.format(Locale.ROOT, "%+.3f", hw), String.format(Locale.ROOT, "%+.3f", model),
        diagnose ? MismatchDiagnosis.explain(m) : "(--no-diagnose)");
  }

  Path write(Path dir, int files, ReplaySummary total) throws IOException {
    java.nio.file.Files.createDirectories(dir);
    return build(files, total).write(dir);
  }

  /** The report, its charts still objects ({@link HtmlReport#charts}). */
  HtmlReport build(int files, ReplaySummary total) {
    HtmlReport html = new HtmlReport("tcsim verify: golden MMA replay");
    html.paragraph(String.format(Locale.ROOT,
        "%d file(s), %d of %d compared rows reproduced bit for bit; %d rows skipped.", files,
        total.matched(), total.compared(), total.skippedTotal()));
    List<List<String>> table = new ArrayList<>();
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : total.byPreset().entrySet()) {
      long[] c = e.getValue();
      double rate = 100.0 * c[1] / c[0];
      rates.put(e.getKey(), rate);
      table.add(List.of((c[1] == c[0] ? "" : "!") + e.getKey(), Long.toString(c[0]),
          Long.toString(c[1]), String.format(Locale.ROOT, "%.2f%%", rate)));
    }
    html.heading("Match rate per datapath preset");
    html.table(List.of("preset", "compared", "bit-exact", "rate"), table);
    html.chart("Bit-exact rate per datapath preset (%)",
        Charts.barsChart("Bit-exact rate per datapath preset", "preset", "% of rows", rates));

    html.heading("Mismatching rows");
    if (mismatches.isEmpty()) {
      html.paragraph("None: every compared row is bit-exact.");
    } else {
      html.paragraph("Expected: the GPU's bits; got: the model's. ULP distance: representable "
          + "values between the two. The diagnosis names the datapath variants (rounding, "
          + "normalisation, step size) that would reproduce the GPU's bits.");
      html.table(MISMATCH_HEADER, mismatches);
      if (unlisted > 0) {
        html.paragraph("and " + unlisted + " more mismatching row(s), not listed.");
      }
    }

    html.heading("Errors against the exact dot product");
    html.paragraph("Signed error of each result, in units in the last place of the output format at "
        + "the exact value, in bins that double in width: exact, within half an ULP (correct "
        + "rounding), within one (truncation), then (1,2], (2,4], ... so that a narrow "
        + "accumulator's errors of hundreds of ULPs spread over several bins; bins no result fell "
        + "in are left out. Rows per bin and preset: one count where the GPU's results and the "
        + "model's fall alike, \"GPU / model\" (highlighted) where they do not.");
    List<UlpHistogram> all = new ArrayList<>();
    byPreset.values().forEach(h -> all.addAll(List.of(h)));
    List<Integer> bins = UlpHistogram.shownBins(all);
    // Bins down, presets across (the bins are many, the presets fewer); a cell is one count when
    // the GPU and the model agree on it, "GPU / model" (row highlighted) when they do not; bins
    // no preset uses are left out.
    List<List<String>> hist = new ArrayList<>();
    for (int b : bins) {
      List<String> row = new ArrayList<>();
      boolean differ = false;
      boolean used = false;
      for (UlpHistogram[] h : byPreset.values()) {
        long gpu = h[0].count(b);
        long model = h[1].count(b);
        differ |= gpu != model;
        used |= gpu != 0 || model != 0;
        row.add(gpu == model ? Long.toString(gpu) : gpu + " / " + model);
      }
      if (used) {
        row.add(0, (differ ? "!" : "") + UlpHistogram.LABELS.get(b));
        hist.add(row);
      }
    }
    List<String> header = new ArrayList<>(List.of("error (ULP)"));
    header.addAll(byPreset.keySet());
    html.table(header, hist);
    for (Map.Entry<String, UlpHistogram[]> e : byPreset.entrySet()) {
      // Each chart spans its own preset's errors: a correctly rounded datapath's few bins are
      // not lost among a truncating one's dozens.
      List<Integer> own = UlpHistogram.shownBins(List.of(e.getValue()));
      Map<String, Map<String, Double>> series = new LinkedHashMap<>();
      series.put("GPU", e.getValue()[0].asMap(own));
      series.put("model", e.getValue()[1].asMap(own));
      html.chart("Error distribution against the exact result, " + e.getKey()
              + " (rows per ULP bin; GPU and model side by side)",
          Charts.groupedBarsChart(e.getKey() + ": error vs exact, GPU and model",
              "error (ULP)", "rows", series, false));
    }
    return html;
  }
}

package org.tcsim.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tcsim.traces.golden.MmaOutcome;
import org.tcsim.traces.golden.ReplaySummary;
import org.tcsim.reports.Charts;
import org.tcsim.reports.HtmlReport;
import org.tcsim.reports.UlpHistogram;

/**
 * The HTML report of {@code tcsim verify --report}: what matched, and how far each side is from
 * exact. Rows are folded into histograms as they stream by; nothing per row is kept.
 */
final class VerifyReport {
  /** Preset id to {hardware, model} error histograms. */
  private final Map<String, UlpHistogram[]> byPreset = new LinkedHashMap<>();

  void add(MmaOutcome m) {
    UlpHistogram[] h = byPreset.computeIfAbsent(m.preset().id(),
        id -> new UlpHistogram[] {new UlpHistogram(), new UlpHistogram()});
    double hw = m.hardwareUlpError();
    h[0].add(hw);
    h[1].add(m.matches() ? hw : m.modelUlpError());
  }

  Path write(Path dir, int files, ReplaySummary total) throws IOException {
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
    html.image("Bit-exact rate per datapath preset (%)",
        Charts.bars("Bit-exact rate per preset", "preset", "% of rows", rates));

    html.heading("Errors against the exact dot product");
    html.paragraph("Signed error of each result, in units in the last place of the output format at "
        + "the exact value. Truncating datapaths (RZ) sit in (-1, 0]; a correctly rounded one within "
        + "half an ULP. The model's distribution should be the hardware's.");
    List<List<String>> hist = new ArrayList<>();
    for (Map.Entry<String, UlpHistogram[]> e : byPreset.entrySet()) {
      for (int side = 0; side < 2; side++) {
        List<String> row = new ArrayList<>();
        row.add(e.getKey() + (side == 0 ? " hardware" : " model"));
        for (int b = 0; b < UlpHistogram.LABELS.length; b++) {
          row.add(Long.toString(e.getValue()[side].count(b)));
        }
        hist.add(row);
      }
    }
    List<String> header = new ArrayList<>(List.of("results"));
    header.addAll(List.of(UlpHistogram.LABELS));
    html.table(header, hist);
    for (Map.Entry<String, UlpHistogram[]> e : byPreset.entrySet()) {
      html.image("Hardware error distribution, " + e.getKey() + " (rows per ULP bin)",
          Charts.bars(e.getKey() + ": hardware error vs exact", "error (ULP)", "rows",
              e.getValue()[0].asMap()));
    }
    return html.write(dir);
  }
}

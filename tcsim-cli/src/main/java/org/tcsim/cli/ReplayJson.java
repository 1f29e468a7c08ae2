package org.tcsim.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.tcsim.core.gemm.AccuracySummary;
import org.tcsim.replay.GoldenComparison;
import org.tcsim.replay.ReplayResult;
import org.tcsim.replay.ReplayTotals;
import org.tcsim.traces.trace.GemmSpec;

/**
 * The JSON document of {@code tcsim replay --json}: one entry per GEMM in trace order (status,
 * preset, the golden comparison as {@code tcsim check} writes it, the accuracy against the exact
 * product, the predicted time) and the totals.
 */
final class ReplayJson {
  private final JsonObject doc = JsonOut.document("replay");
  private final JsonArray gemms = new JsonArray();

  ReplayJson(String trace) {
    doc.addProperty("trace", trace);
    doc.add("gemms", gemms);
  }

  JsonObject document() {
    return doc;
  }

  void add(ReplayResult r) {
    GemmSpec s = r.spec();
    JsonObject g = new JsonObject();
    g.addProperty("index", r.index());
    g.addProperty("name", s.name());
    g.addProperty("gpu", s.gpu());
    g.addProperty("shape", s.shape());
    g.addProperty("status", JsonOut.name(r.status()));
    if (!r.message().isEmpty()) {
      g.addProperty("message", r.message());
    }
    g.addProperty("preset", r.preset());
    g.addProperty("kernel", r.kernel());
    g.addProperty("rows_computed", r.rowsComputed());
    GoldenComparison c = r.golden();
    if (c != null) {
      JsonObject golden = JsonOut.comparison(c, "tcsim", "gpu");
      golden.addProperty("case", c.caseId());
      g.add("golden", golden);
    }
    AccuracySummary a = r.accuracy();
    if (a != null) {
      JsonObject acc = new JsonObject();
      acc.addProperty("compared", a.compared());
      acc.addProperty("total", a.total());
      acc.add("max_relative_error", JsonOut.number(a.maxRelativeError()));
      acc.add("mean_relative_error", JsonOut.number(a.meanRelativeError()));
      JsonObject h = new JsonObject();
      long[] bins = a.ulpHistogram();
      for (int i = 0; i < bins.length; i++) {
        h.addProperty(AccuracySummary.ULP_LABELS[i], bins[i]);
      }
      acc.add("ulp_histogram", h);
      acc.addProperty("saturated", a.saturated());
      acc.addProperty("non_finite", a.nonFinite());
      g.add("accuracy", acc);
    }
    if (r.timing() != null) {
      g.add("time_us", JsonOut.number(r.microseconds()));
      g.add("tflops", JsonOut.number(r.tflops()));
    } else if (!r.timingNote().isEmpty()) {
      g.addProperty("timing_note", r.timingNote());
    }
    gemms.add(g);
  }

  void totals(ReplayTotals t) {
    JsonObject o = new JsonObject();
    o.addProperty("gemms", t.gemms());
    o.addProperty("simulated", t.simulated());
    o.addProperty("skipped", t.skipped());
    o.addProperty("failed", t.failed());
    o.addProperty("golden_gemms", t.goldenGemms());
    o.addProperty("golden_passed", t.goldenPassed());
    o.addProperty("elements_compared", t.elementsCompared());
    o.addProperty("elements_bit_exact", t.elementsExact());
    o.add("max_relative_error", JsonOut.number(t.maxRelativeError()));
    o.add("time_us", JsonOut.number(t.microseconds()));
    doc.add("totals", o);
  }
}

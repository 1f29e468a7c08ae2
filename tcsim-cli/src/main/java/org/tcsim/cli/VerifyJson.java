package org.tcsim.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Map;
import org.tcsim.core.format.FpFormat;
import org.tcsim.traces.golden.GoldenMmaRow;
import org.tcsim.traces.golden.MmaOutcome;
import org.tcsim.traces.golden.ReplaySummary;
import org.tcsim.traces.golden.SkipReason;

/**
 * The JSON document of {@code tcsim verify --json}: one entry per golden file (counts, skipped
 * rows by reason, the mismatches shown with both bit patterns, their ULP errors against the exact
 * result and the diagnosis), the total, the match rate per datapath preset and any input errors.
 */
final class VerifyJson {
  private final JsonObject doc = JsonOut.document("verify");
  private final JsonArray files = new JsonArray();
  private final JsonArray errors = new JsonArray();

  VerifyJson() {
    doc.add("files", files);
    doc.add("errors", errors);
  }

  JsonObject document() {
    return doc;
  }

  /** A file's summary; {@code diagnoses} holds the diagnosis line of each shown mismatch. */
  void file(ReplaySummary s, Map<MmaOutcome, String> diagnoses) {
    JsonObject f = counts(s);
    JsonArray mismatches = new JsonArray();
    for (MmaOutcome m : s.mismatches()) {
      GoldenMmaRow r = m.row();
      FpFormat d = r.dFormat();
      JsonObject o = new JsonObject();
      o.addProperty("source", r.source());
      o.addProperty("line", r.line());
      o.addProperty("kind", r.kind());
      o.addProperty("preset", m.preset().id());
      o.addProperty("hardware", JsonOut.hex(d, r.d()));
      o.add("hardware_value", JsonOut.number(d.decode(r.d())));
      o.addProperty("model", JsonOut.hex(d, m.actual()));
      o.add("model_value", JsonOut.number(d.decode(m.actual())));
      o.add("hardware_ulp_error", JsonOut.number(m.hardwareUlpError()));
      o.add("model_ulp_error", JsonOut.number(m.modelUlpError()));
      o.addProperty("exact", m.exact().toString());
      String why = diagnoses.get(m);
      if (why != null) {
        o.addProperty("diagnosis", why);
      }
      mismatches.add(o);
    }
    f.add("mismatches", mismatches);
    files.add(f);
  }

  void error(String message) {
    errors.add(message);
  }

  /** The total and the match rate per preset. */
  void total(ReplaySummary total) {
    doc.add("total", counts(total));
    JsonObject byPreset = new JsonObject();
    for (Map.Entry<String, long[]> e : total.byPreset().entrySet()) {
      JsonObject p = new JsonObject();
      p.addProperty("compared", e.getValue()[0]);
      p.addProperty("bit_exact", e.getValue()[1]);
      byPreset.add(e.getKey(), p);
    }
    doc.add("by_preset", byPreset);
  }

  private static JsonObject counts(ReplaySummary s) {
    JsonObject f = new JsonObject();
    f.addProperty("name", s.name());
    f.addProperty("compared", s.compared());
    f.addProperty("bit_exact", s.matched());
    JsonObject skipped = new JsonObject();
    for (Map.Entry<SkipReason, Long> e : s.skipped().entrySet()) {
      skipped.addProperty(JsonOut.name(e.getKey()), e.getValue());
    }
    f.add("skipped", skipped);
    return f;
  }
}

package org.tcsim.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.tcsim.gpu.GemmWorkload;
import org.tcsim.gpu.Simulation;
import org.tcsim.replay.CheckDiagnosis;
import org.tcsim.replay.GemmCheck;

/**
 * The JSON document of {@code tcsim check --json}: the workload, the kernel settings, the
 * bit-for-bit comparison ({@code kernel}: the code in D.npy, {@code tcsim}: the simulated one) and
 * the diagnosis.
 */
final class CheckJson {
  private CheckJson() {}

  static void fill(JsonObject doc, Simulation sim, float alpha, GemmCheck.Result r) {
    GemmWorkload w = sim.workload();
    doc.addProperty("gpu", sim.gpu().id());
    doc.addProperty("preset", r.preset());
    JsonObject wj = new JsonObject();
    wj.addProperty("m", w.m());
    wj.addProperty("n", w.n());
    wj.addProperty("k", w.k());
    wj.addProperty("a_format", w.a().shortName());
    wj.addProperty("b_format", w.b().shortName());
    wj.addProperty("out_dtype", w.out().shortName());
    wj.addProperty("scaling", w.recipe().id());
    wj.addProperty("library", w.library().id());
    wj.addProperty("fast_accum", w.fastAccum());
    wj.add("alpha", JsonOut.number(alpha));
    doc.add("workload", wj);
    doc.addProperty("config", r.config());
    doc.addProperty("expect", r.name());
    JsonObject cmp = JsonOut.comparison(r.comparison(), "kernel", "tcsim");
    cmp.add("max_ulps", JsonOut.ulps(r.maxUlps()));
    doc.add("comparison", cmp);
    CheckDiagnosis d = r.diagnosis();
    JsonObject dj = new JsonObject();
    dj.addProperty("examined", d.examined());
    JsonArray found = new JsonArray();
    for (CheckDiagnosis.Explanation e : d.explanations()) {
      JsonObject x = new JsonObject();
      x.addProperty("setting", e.label());
      x.addProperty("reproduced", e.reproduced());
      found.add(x);
    }
    dj.add("reproduced_by", found);
    doc.add("diagnosis", dj);
  }
}

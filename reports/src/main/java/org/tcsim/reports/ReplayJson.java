package org.tcsim.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.core.gemm.AccuracySummary;
import org.tcsim.replay.GoldenComparison;
import org.tcsim.replay.Mismatch;
import org.tcsim.replay.ReplayResult;
import org.tcsim.replay.ReplayTotals;
import org.tcsim.traces.io.AtomicFiles;
import org.tcsim.traces.trace.GemmSpec;

/**
 * A replay as one JSON document, for scripts: every GEMM's result (in trace order) and the
 * totals. Numbers are exact: doubles in Java's shortest round-tripping form, NaN and infinities
 * as {@code null}, codes as integers. Only what the replay computed goes in, never wall times, so
 * that the same replay gives the same bytes wherever it ran (locally or on Spark).
 */
public final class ReplayJson {
  private final String title;
  private final List<String> gemms = new ArrayList<>();

  public ReplayJson(String title) {
    this.title = title;
  }

  public void add(ReplayResult r) {
    gemms.add(gemm(r));
  }

  /** The document. */
  public String json(ReplayTotals t, boolean goldenRequested) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\n  \"title\": ").append(string(title)).append(",\n  \"gemms\": [");
    for (int i = 0; i < gemms.size(); i++) {
      sb.append(i == 0 ? "\n    " : ",\n    ").append(gemms.get(i));
    }
    sb.append(gemms.isEmpty() ? "],\n" : "\n  ],\n");
    sb.append("  \"totals\": {\"gemms\": ").append(t.gemms())
        .append(", \"simulated\": ").append(t.simulated())
        .append(", \"skipped\": ").append(t.skipped())
        .append(", \"failed\": ").append(t.failed())
        .append(", \"golden_gemms\": ").append(t.goldenGemms())
        .append(", \"golden_passed\": ").append(t.goldenPassed())
        .append(", \"elements_compared\": ").append(t.elementsCompared())
        .append(", \"elements_exact\": ").append(t.elementsExact())
        .append(", \"mismatch_ulps\": ").append(bins(UlpBins.DISTANCE_LABELS, t.mismatchUlps()))
        .append(", \"accuracy_ulps\": ").append(bins(UlpBins.ERROR_LABELS, t.accuracyUlps()))
        .append(", \"max_relative_error\": ").append(number(t.maxRelativeError()))
        .append(", \"flop\": ").append(number(t.flops()))
        .append(", \"predicted_us\": ").append(number(t.microseconds()))
        .append(", \"predicted_tflops\": ").append(number(t.tflops()))
        .append(", \"exit_status\": ").append(t.exitStatus(goldenRequested))
        .append("}\n}\n");
    return sb.toString();
  }

  /** Writes the document to {@code file} (atomically) and returns its path. */
  public Path write(Path file, ReplayTotals totals, boolean goldenRequested) throws IOException {
    String text = json(totals, goldenRequested);
    AtomicFiles.write(file, w -> w.write(text));
    return file;
  }

  private static String gemm(ReplayResult r) {
    GemmSpec s = r.spec();
    StringBuilder sb = new StringBuilder("{");
    sb.append("\"index\": ").append(r.index())
        .append(", \"name\": ").append(string(s.name()))
        .append(", \"gpu\": ").append(string(s.gpu()))
        .append(", \"m\": ").append(s.m()).append(", \"n\": ").append(s.n())
        .append(", \"k\": ").append(s.k()).append(", \"groups\": ").append(s.groups())
        .append(", \"status\": ").append(string(r.status().name().toLowerCase(Locale.ROOT)))
        .append(", \"message\": ").append(string(r.message()))
        .append(", \"preset\": ").append(string(r.preset()))
        .append(", \"kernel\": ").append(string(r.kernel()))
        .append(", \"rows_computed\": ").append(r.rowsComputed())
        .append(", \"amax_d\": ").append(number(r.amaxD()));
    AccuracySummary a = r.accuracy();
    sb.append(", \"accuracy\": ");
    if (a == null) {
      sb.append("null");
    } else {
      sb.append("{\"compared\": ").append(a.compared()).append(", \"total\": ").append(a.total())
          .append(", \"max_relative_error\": ").append(number(a.maxRelativeError()))
          .append(", \"mean_relative_error\": ").append(number(a.meanRelativeError()))
          .append(", \"zero_exact_non_zero\": ").append(a.zeroExactNonZero())
          .append(", \"ulps\": ").append(bins(UlpBins.ERROR_LABELS, a.ulpHistogram()))
          .append(", \"saturated\": ").append(a.saturated())
          .append(", \"non_finite\": ").append(a.nonFinite()).append('}');
    }
    GoldenComparison g = r.golden();
    sb.append(", \"golden\": ");
    if (g == null) {
      sb.append("null");
    } else {
      sb.append("{\"case\": ").append(string(g.caseId()))
          .append(", \"compared\": ").append(g.compared())
          .append(", \"bit_exact\": ").append(g.bitExact())
          .append(", \"mismatch_ulps\": ").append(bins(UlpBins.DISTANCE_LABELS,
              g.ulpHistogram()))
          .append(", \"first_mismatches\": [");
      List<Mismatch> first = g.firstMismatches();
      for (int i = 0; i < first.size(); i++) {
        Mismatch m = first.get(i);
        sb.append(i == 0 ? "" : ", ").append("{\"row\": ").append(m.row())
            .append(", \"col\": ").append(m.col())
            .append(", \"simulated\": ").append(Integer.toUnsignedLong(m.actual()))
            .append(", \"gpu\": ").append(Integer.toUnsignedLong(m.expected()))
            .append(", \"ulps\": ").append(m.ulps() == org.tcsim.replay.CodeDistance.NOT_COMPARABLE
                ? "null" : Long.toString(m.ulps())).append('}');
      }
      sb.append("]}");
    }
    sb.append(", \"predicted_us\": ").append(number(r.microseconds()))
        .append(", \"predicted_tflops\": ").append(number(r.tflops()))
        .append(", \"timing_note\": ").append(string(r.timingNote()))
        .append('}');
    return sb.toString();
  }

  private static String bins(List<String> labels, long[] counts) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < labels.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(string(labels.get(i))).append(": ").append(counts[i]);
    }
    return sb.append('}').toString();
  }

  /** A JSON number that reads back to the same double, or null for NaN and infinities. */
  static String number(double v) {
    if (!Double.isFinite(v)) {
      return "null";
    }
    return Double.toString(v);
  }

  /** A JSON string: quotes, backslashes and control characters escaped. */
  static String string(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}

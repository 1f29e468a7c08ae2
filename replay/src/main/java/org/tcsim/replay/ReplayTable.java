package org.tcsim.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tcsim.core.exact.UlpBins;

/** The text cells of the replay table, shared by the terminal table and the HTML report. */
public final class ReplayTable {
  private ReplayTable() {}

  public static final List<String> HEADER = List.of("#", "gemm", "gpu", "shape", "status",
      "bit-exact", "mismatch ULPs", "max rel err", "mean rel err", "time (us)", "TFLOPS");

  /**
   * The cells of one result; {@code markFailing} puts "!" before the first cell of a failing row
   * (the HTML report highlights those).
   */
  public static List<String> cells(ReplayResult r, boolean markFailing) {
    List<String> c = new ArrayList<>();
    c.add((markFailing && r.status().failing() ? "!" : "") + r.index());
    c.add(r.spec().name());
    c.add(r.spec().gpu());
    c.add(r.spec().shape() + (r.rowsComputed() > 0 && r.rowsComputed() < r.spec().m()
        ? " (" + r.rowsComputed() + " rows)" : ""));
    c.add(r.status().name().toLowerCase(Locale.ROOT));
    if (r.golden() != null) {
      c.add(String.format(Locale.ROOT, "%.4f%% (%d/%d)", 100 * r.golden().matchRate(),
          r.golden().bitExact(), r.golden().compared()));
      c.add(ulps(r.golden().ulpHistogram()));
    } else {
      c.add("-");
      c.add("-");
    }
    if (r.accuracy() != null) {
      c.add(String.format(Locale.ROOT, "%.2e", r.accuracy().maxRelativeError()));
      c.add(String.format(Locale.ROOT, "%.2e", r.accuracy().meanRelativeError()));
    } else {
      c.add("-");
      c.add("-");
    }
    c.add(r.timing() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.microseconds()));
    c.add(r.timing() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.tflops()));
    return c;
  }

  /** A mismatch histogram as {@code 1:3 2:1} (bins with counts only), or {@code none}. */
  public static String ulps(long[] histogram) {
    String bins = UlpBins.nonEmpty(UlpBins.DISTANCE_LABELS, histogram);
    return bins.isEmpty() ? "none" : bins;
  }

  /** One line of totals. */
  public static String totalsLine(ReplayTotals t) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "total: %d GEMM(s), %d simulated, %d skipped, %d failed; %.3e FLOP", t.gemms(),
        t.simulated(), t.skipped(), t.failed(), t.flops()));
    if (t.microseconds() > 0) {
      sb.append(String.format(Locale.ROOT, "; predicted %.1f us, %.1f TFLOPS", t.microseconds(),
          t.tflops()));
    }
    if (t.goldenGemms() > 0) {
      sb.append(String.format(Locale.ROOT, "; golden: %d/%d GEMM(s) bit-exact, %d/%d elements, "
          + "mismatch ULPs %s", t.goldenPassed(), t.goldenGemms(), t.elementsExact(),
          t.elementsCompared(), ulps(t.mismatchUlps())));
    }
    sb.append(String.format(Locale.ROOT, "; max rel err vs exact %.2e", t.maxRelativeError()));
    return sb.toString();
  }
}

package org.tcsim.replay;

import java.util.LinkedHashSet;
import java.util.Set;
import org.tcsim.core.exact.UlpBins;

/** Running totals of a replay, updated one {@link ReplayResult} at a time. */
public final class ReplayTotals {
  private long gemms;
  private long simulated;
  private long skipped;
  private long failed;
  private long goldenGemms;
  private long goldenPassed;
  private long elementsCompared;
  private long elementsExact;
  private final long[] mismatchUlps = new long[UlpBins.DISTANCE_LABELS.size()];
  private final long[] accuracyUlps = new long[UlpBins.ERROR_LABELS.size()];
  private double maxRelativeError;
  private double flops;
  private double timedFlops;
  private double microseconds;
  private final Set<String> goldenIds = new LinkedHashSet<>();

  public void add(ReplayResult r) {
    gemms++;
    switch (r.status()) {
      case SIMULATED, MATCHED, MISMATCHED -> simulated++;
      case SKIPPED -> skipped++;
      case FAILED -> failed++;
    }
    if (r.accuracy() != null) {
      long[] h = r.accuracy().ulpHistogram();
      for (int i = 0; i < h.length; i++) {
        accuracyUlps[i] += h[i];
      }
      maxRelativeError = Math.max(maxRelativeError, r.accuracy().maxRelativeError());
    }
    if (r.golden() != null) {
      goldenGemms++;
      goldenIds.add(r.golden().caseId());
      if (r.golden().passed()) {
        goldenPassed++;
      }
      elementsCompared += r.golden().compared();
      elementsExact += r.golden().bitExact();
      long[] h = r.golden().ulpHistogram();
      for (int i = 0; i < h.length; i++) {
        mismatchUlps[i] += h[i];
      }
    }
    flops += r.spec().flops();
    if (r.timing() != null) {
      timedFlops += r.spec().flops();
      microseconds += r.timing().microseconds();
    }
  }

  public long gemms() {
    return gemms;
  }

  public long simulated() {
    return simulated;
  }

  public long skipped() {
    return skipped;
  }

  public long failed() {
    return failed;
  }

  /** GEMMs compared with a golden output. */
  public long goldenGemms() {
    return goldenGemms;
  }

  /** GEMMs whose golden comparison matched every element. */
  public long goldenPassed() {
    return goldenPassed;
  }

  public long elementsCompared() {
    return elementsCompared;
  }

  public long elementsExact() {
    return elementsExact;
  }

  public long[] mismatchUlps() {
    return mismatchUlps.clone();
  }

  public long[] accuracyUlps() {
    return accuracyUlps.clone();
  }

  public double maxRelativeError() {
    return maxRelativeError;
  }

  public double flops() {
    return flops;
  }

  /** Sum of the predicted times of the GEMMs with timing, microseconds. */
  public double microseconds() {
    return microseconds;
  }

  /** FLOPs of the timed GEMMs over their summed predicted time, TFLOPS (NaN with none). */
  public double tflops() {
    return microseconds == 0 ? Double.NaN : timedFlops / (microseconds * 1e-6) / 1e12;
  }

  /** The golden cases compared. */
  public Set<String> goldenIds() {
    return Set.copyOf(goldenIds);
  }

  /**
   * The exit status: 1 when a golden comparison failed (a mismatch, or a golden case that could
   * not be compared), when golden data was asked for and no GEMM could be compared with it, or
   * when no GEMM at all could be simulated (every one skipped: a replay that computed nothing has
   * not passed); else 0 (a replay without golden data is a simulation and succeeds).
   */
  public int exitStatus(boolean goldenRequested) {
    if (failed > 0 || goldenPassed < goldenGemms || simulated == 0) {
      return 1;
    }
    return goldenRequested && goldenGemms == 0 ? 1 : 0;
  }
}

package org.tcsim.traces.golden;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of one replay (one file, or everything): rows compared, rows matched bit for bit, rows
 * skipped and why, the same per datapath preset, and the first few mismatches kept for display.
 */
public final class ReplaySummary {
  private final String name;
  private final int keepMismatches;
  private long compared;
  private long matched;
  private final EnumMap<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
  private final Map<String, long[]> byPreset = new LinkedHashMap<>();
  private final List<MmaOutcome> mismatches = new ArrayList<>();

  public ReplaySummary(String name, int keepMismatches) {
    this.name = name;
    this.keepMismatches = keepMismatches;
  }

  public void add(MmaOutcome outcome) {
    compared++;
    long[] counts = byPreset.computeIfAbsent(outcome.preset().id(), id -> new long[2]);
    counts[0]++;
    if (outcome.matches()) {
      matched++;
      counts[1]++;
    } else if (mismatches.size() < keepMismatches) {
      mismatches.add(outcome);
    }
  }

  public void skip(SkipReason reason) {
    skipped.merge(reason, 1L, Long::sum);
  }

  public void addAll(ReplaySummary other) {
    compared += other.compared;
    matched += other.matched;
    other.skipped.forEach((r, n) -> skipped.merge(r, n, Long::sum));
    other.byPreset.forEach((id, c) -> {
      long[] mine = byPreset.computeIfAbsent(id, x -> new long[2]);
      mine[0] += c[0];
      mine[1] += c[1];
    });
    for (MmaOutcome m : other.mismatches) {
      if (mismatches.size() < keepMismatches) {
        mismatches.add(m);
      }
    }
  }

  public String name() {
    return name;
  }

  public long compared() {
    return compared;
  }

  public long matched() {
    return matched;
  }

  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<SkipReason, Long> skipped() {
    return Collections.unmodifiableMap(skipped);
  }

  /** Preset id to {compared, matched}. */
  public Map<String, long[]> byPreset() {
    return Collections.unmodifiableMap(byPreset);
  }

  public List<MmaOutcome> mismatches() {
    return Collections.unmodifiableList(mismatches);
  }

  /** Passed means: something was compared, and all of it matched. */
  public boolean passed() {
    return compared > 0 && matched == compared;
  }
}

package org.tcsim.traces.trace;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an importer did: how many GEMMs it produced and, by reason, how many lines or rows it left
 * out and what it had to assume. Nothing is dropped without being counted here.
 */
public final class ImportSummary {
  private long imported;
  private final Map<String, Long> skipped = new TreeMap<>();
  private final Map<String, Long> assumed = new TreeMap<>();

  void imported() {
    imported++;
  }

  void skipped(String reason) {
    skipped.merge(reason, 1L, Long::sum);
  }

  void assumed(String what) {
    assumed.merge(what, 1L, Long::sum);
  }

  /** GEMMs produced. */
  public long importedCount() {
    return imported;
  }

  /** Lines or rows not imported, by reason. */
  public Map<String, Long> skippedByReason() {
    return Collections.unmodifiableMap(skipped);
  }

  public long skippedCount() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Values the input did not give and the importer had to assume, by what was assumed. */
  public Map<String, Long> assumptions() {
    return Collections.unmodifiableMap(assumed);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(imported).append(" GEMM(s) imported");
    skipped.forEach((r, n) -> sb.append("; skipped ").append(n).append(" (").append(r)
        .append(')'));
    assumed.forEach((r, n) -> sb.append("; assumed ").append(r).append(" for ").append(n));
    return sb.toString();
  }
}

package org.tcsim.studies.whatif;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A what-if study as its file describes it: what kind, what workload, which parameter is swept
 * along the x axis and which (optionally) gives one line per value, which are held fixed, and
 * where the results go. See {@link StudyParser} for the file format.
 *
 * @param source the file it was read from (for messages)
 * @param kind accuracy (GEMM error against the exact product, with predicted time) or timing
 *     (predicted time of a trace on a machine)
 * @param settings the study-level settings (title, m, n, seed, ...), by key
 * @param fixed the parameters held fixed, by key, in file order
 * @param sweep the x axis
 * @param series one line per value, or null for a single line
 */
public record StudySpec(String source, Kind kind, Map<String, String> settings,
    Map<String, String> fixed, Axis sweep, Axis series) {

  /** What a study measures. */
  public enum Kind {
    /** Error of generated GEMMs against the exact product, and the predicted time of each. */
    ACCURACY,
    /** Predicted time of a trace (or one shape) on a machine. */
    TIMING;

    static Kind parse(String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "accuracy" -> ACCURACY;
        case "timing" -> TIMING;
        default -> throw new IllegalArgumentException("kind must be accuracy or timing, got '"
            + text + "'");
      };
    }
  }

  /** What the reference of an accuracy study is. */
  public enum Reference {
    /** The exact product of the dequantised operands: only the datapath's error counts. */
    DEQUANTIZED,
    /** The exact product of the original FP32 data: quantisation error counts too. */
    ORIGINAL;

    static Reference parse(String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "dequantized", "dequantised" -> DEQUANTIZED;
        case "original" -> ORIGINAL;
        default -> throw new IllegalArgumentException(
            "reference must be dequantized or original, got '" + text + "'");
      };
    }
  }

  /**
   * A swept parameter and its values, in order.
   *
   * @param param the parameter key
   * @param values its values, as written
   * @param line the line it was given on
   */
  public record Axis(String param, List<String> values, int line) {
    public Axis {
      values = List.copyOf(values);
    }
  }

  /** Largest m and n of an accuracy study's generated GEMM. */
  public static final int MAX_MN = 1 << 16;

  public StudySpec {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    fixed = Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
  }

  /** The setting {@code key}, or {@code fallback} when the file does not give it. */
  public String setting(String key, String fallback) {
    return settings.getOrDefault(key, fallback);
  }

  public String title() {
    return setting("title", sweep.param() + " study");
  }

  public String output() {
    return settings.get("output");
  }

  public int m() {
    return StudyParam.intIn(setting("m", "128"), 1, MAX_MN);
  }

  public int n() {
    return StudyParam.intIn(setting("n", "128"), 1, MAX_MN);
  }

  public long seed() {
    return Long.parseLong(setting("seed", "1").trim());
  }

  /** Elements of each D compared with the reference. */
  public int samples() {
    return StudyParam.intIn(setting("samples", "1024"), 1, 1 << 24);
  }

  public Reference reference() {
    return Reference.parse(setting("reference", "dequantized"));
  }

  public ErrorStats.Metric metric() {
    return ErrorStats.Metric.parse(setting("metric", "normwise"));
  }

  /**
   * The GPU whose FP8 datapath is the base ({@code h100}: truncating; {@code b200}: exact sum; any
   * catalogue name with an FP8 datapath), as its catalogue id.
   */
  public String datapath() {
    return WhatifMachines.gpu(setting("datapath", "h100")).id();
  }
}

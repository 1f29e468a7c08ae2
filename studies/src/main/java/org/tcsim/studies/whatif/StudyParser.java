package org.tcsim.studies.whatif;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a study file. The format is one {@code key = value} per line; {@code #} starts a comment
 * (a whole line, or the rest of a line after whitespace); blank lines are ignored; keys are lower
 * case and each may appear once. Example:
 *
 * <pre>
 * # What does a wider accumulator buy?
 * title    = FP8 GEMM error vs accumulator width (H100 datapath)
 * kind     = accuracy
 * m        = 64
 * n        = 64
 * sweep    = accumulator_bits: 10..25 by 3
 * series   = k: 512, 4096, 16384
 * promotion_interval = 0
 * output   = accumulator-width
 * </pre>
 *
 * <p>Study settings: {@code title}, {@code question}, {@code kind} (accuracy | timing, required),
 * {@code output} (base name of the CSV and PNGs, required), {@code sweep} (required) and
 * {@code series} ({@code param: values}; values are a comma list, {@code a..b} or
 * {@code a..b by step}), {@code datapath} (h100 | b200), {@code m}, {@code n}, {@code seed},
 * {@code samples}, {@code reference} (dequantized | original), {@code metric} (normwise |
 * mean_rel | max_rel | median_rel), {@code b_distribution}, {@code gpu}, {@code time_m}, {@code time_n},
 * {@code trace} (an example trace name or a file), {@code timing_recipe}. Every
 * {@link StudyParam} and machine parameter key may be fixed ({@code key = value}) or swept.
 */
public final class StudyParser {

  /** Study-level settings (not sweepable). */
  public static final Set<String> SETTINGS = Set.of("title", "question", "kind", "output", "sweep",
      "series", "datapath", "m", "n", "seed", "samples", "reference", "metric", "b_distribution",
      "gpu", "time_m", "time_n", "trace", "timing_recipe");

  /** Largest decimal exponent a range end or step may have (doubles end near 1e308). */
  static final int MAX_DECIMAL_EXPONENT = 400;

  private StudyParser() {}

  /** Parses a study; {@code source} names it in errors. */
  public static StudySpec parse(Reader reader, String source) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, String> fixed = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    StudySpec.Axis sweep = null;
    StudySpec.Axis series = null;
    BufferedReader in = new BufferedReader(reader);
    String raw;
    int lineNo = 0;
    while ((raw = in.readLine()) != null) {
      lineNo++;
      String line = stripComment(raw).strip();
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new StudyFormatException(source, lineNo, null,
            "expected 'key = value', got '" + line + "'");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (key.isEmpty()) {
        throw new StudyFormatException(source, lineNo, null, "missing key before '='");
      }
      if (lines.containsKey(key)) {
        throw new StudyFormatException(source, lineNo, key,
            "given twice (first on line " + lines.get(key) + ")");
      }
      lines.put(key, lineNo);
      if (value.isEmpty()) {
        throw new StudyFormatException(source, lineNo, key, "has no value");
      }
      try {
        if (key.equals("sweep") || key.equals("series")) {
          StudySpec.Axis axis = axis(value, lineNo);
          if (key.equals("sweep")) {
            sweep = axis;
          } else {
            series = axis;
          }
        } else if (SETTINGS.contains(key)) {
          checkSetting(key, value);
          settings.put(key, value);
        } else if (StudyParam.byKey(key) != null || StudyParam.isMachineKey(key)) {
          checkValue(key, value);
          fixed.put(key, value);
        } else {
          throw new IllegalArgumentException("unknown key; study settings: "
              + String.join(", ", new java.util.TreeSet<>(SETTINGS)) + "; parameters: "
              + String.join(", ", StudyParam.allKeys()));
        }
      } catch (StudyFormatException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new StudyFormatException(source, lineNo, key, e.getMessage());
      }
    }
    for (String required : List.of("kind", "output")) {
      if (!settings.containsKey(required)) {
        throw new StudyFormatException(source, 0, required, "missing (required)");
      }
    }
    if (sweep == null) {
      throw new StudyFormatException(source, 0, "sweep", "missing (required): 'sweep = param: values'");
    }
    StudySpec.Kind kind = StudySpec.Kind.parse(settings.get("kind"));
    for (StudySpec.Axis axis : new StudySpec.Axis[] {sweep, series}) {
      if (axis == null) {
        continue;
      }
      String what = axis == sweep ? "sweep" : "series";
      if (fixed.containsKey(axis.param())) {
        throw new StudyFormatException(source, axis.line(), what, axis.param()
            + " is both swept and fixed (line " + lines.get(axis.param()) + ")");
      }
      if (kind == StudySpec.Kind.TIMING && !StudyParam.isMachineKey(axis.param())) {
        throw new StudyFormatException(source, axis.line(), what, "a timing study sweeps machine "
            + "parameters only, got " + axis.param());
      }
    }
    if (series != null && series.param().equals(sweep.param())) {
      throw new StudyFormatException(source, series.line(), "series",
          "the same parameter as sweep (" + sweep.param() + ")");
    }
    checkBlockSizeRecipe(source, fixed, lines, sweep, series);
    if (kind == StudySpec.Kind.TIMING && !settings.containsKey("trace")) {
      throw new StudyFormatException(source, 0, "trace", "a timing study needs a trace");
    }
    if (!output(settings.get("output"))) {
      throw new StudyFormatException(source, lines.get("output"), "output",
          "must be a plain file name (letters, digits, '-', '_', '.'), got '"
              + settings.get("output") + "'");
    }
    return new StudySpec(source, kind, settings, fixed, sweep, series);
  }

  /**
   * block_size (fixed or swept) with a recipe that has no adjustable block along K is refused here
   * when every recipe of the study is known (fixed, the default, or all values of an axis); a
   * swept mix of recipes leaves the refusal to the rows concerned.
   */
  private static void checkBlockSizeRecipe(String source, Map<String, String> fixed,
      Map<String, Integer> lines, StudySpec.Axis sweep, StudySpec.Axis series) {
    StudySpec.Axis blockAxis = null;
    StudySpec.Axis recipeAxis = null;
    for (StudySpec.Axis a : new StudySpec.Axis[] {sweep, series}) {
      if (a != null && a.param().equals("block_size")) {
        blockAxis = a;
      }
      if (a != null && a.param().equals("recipe")) {
        recipeAxis = a;
      }
    }
    if (blockAxis == null && !fixed.containsKey("block_size")) {
      return;
    }
    int line = blockAxis != null ? blockAxis.line() : lines.get("block_size");
    List<String> recipes = recipeAxis != null ? recipeAxis.values()
        : List.of(fixed.getOrDefault("recipe", "tensor"));
    boolean any = false;
    for (String r : recipes) {
      any |= QuantRecipe.parse(r).blockSizeAdjustable();
    }
    if (!any) {
      throw new StudyFormatException(source, line, "block_size", "applies to the recipes with "
          + "blocks along K (mx-floor, mx-ceil, mx-rceil, 1x128, 128x128, deepseek); this study's "
          + "recipe" + (recipes.size() == 1 ? " is " : "s are ") + String.join(", ", recipes)
          + (fixed.containsKey("recipe") || recipeAxis != null ? "" : " (the default)"));
    }
  }

  private static boolean output(String name) {
    return name.matches("[A-Za-z0-9_.-]+") && !name.startsWith(".");
  }

  private static String stripComment(String raw) {
    if (raw.strip().startsWith("#")) {
      return "";
    }
    for (int i = 1; i < raw.length(); i++) {
      if (raw.charAt(i) == '#' && Character.isWhitespace(raw.charAt(i - 1))) {
        return raw.substring(0, i);
      }
    }
    return raw;
  }

  private static void checkSetting(String key, String value) {
    switch (key) {
      case "kind" -> StudySpec.Kind.parse(value);
      case "reference" -> StudySpec.Reference.parse(value);
      case "metric" -> ErrorStats.Metric.parse(value);
      case "datapath" -> WhatifMachines.fp8(value);
      case "gpu" -> WhatifMachines.gpu(value);
      // The same limit as StudySpec.m()/n(), so that a spec the parser accepts also runs.
      case "m", "n" -> StudyParam.intIn(value, 1, StudySpec.MAX_MN);
      case "time_m", "time_n" -> StudyParam.intIn(value, 1, 1 << 20);
      case "samples" -> StudyParam.intIn(value, 1, 1 << 24);
      case "seed" -> {
        try {
          Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + value + "' is not a whole number");
        }
      }
      case "b_distribution" -> OperandDistribution.Kind.parse(value);
      case "timing_recipe" -> org.tcsim.timing.ScalingRecipe.parse(value);
      default -> { }
    }
  }

  /** Checks a parameter value; machine values must be numbers (the machine checks the range). */
  static void checkValue(String key, String value) {
    StudyParam p = StudyParam.byKey(key);
    if (p != null) {
      p.check(value);
      return;
    }
    if (!StudyParam.isMachineKey(key)) {
      throw new IllegalArgumentException("unknown parameter; parameters: "
          + String.join(", ", StudyParam.allKeys()));
    }
    try {
      Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a number");
    }
  }

  /** {@code param: v1, v2} or {@code param: a..b} or {@code param: a..b by s}. */
  static StudySpec.Axis axis(String text, int line) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected 'param: values', got '" + text + "'");
    }
    String param = text.substring(0, colon).strip();
    String rest = text.substring(colon + 1).strip();
    if (StudyParam.byKey(param) == null && !StudyParam.isMachineKey(param)) {
      throw new IllegalArgumentException("unknown parameter '" + param + "'; parameters: "
          + String.join(", ", StudyParam.allKeys()));
    }
    List<String> values = new ArrayList<>();
    if (rest.contains("..")) {
      String[] byParts = rest.split("\\s+by\\s+");
      String[] ends = byParts[0].split("\\.\\.");
      if (ends.length != 2 || byParts.length > 2) {
        throw new IllegalArgumentException("expected a range 'a..b' or 'a..b by step', got '"
            + rest + "'");
      }
      BigDecimal from;
      BigDecimal to;
      BigDecimal step;
      try {
        from = new BigDecimal(ends[0].strip());
        to = new BigDecimal(ends[1].strip());
        step = byParts.length == 2 ? new BigDecimal(byParts[1].strip()) : BigDecimal.ONE;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("range ends and step must be numbers: '" + rest + "'");
      }
      // A huge decimal exponent (1e999999999) would be written out digit by digit below; no
      // parameter's value is anywhere near 10^+-400, so refuse it before expanding anything.
      for (BigDecimal b : new BigDecimal[] {from, to, step}) {
        if (Math.abs((long) b.precision() - b.scale()) > MAX_DECIMAL_EXPONENT
            || Math.abs((long) b.scale()) > MAX_DECIMAL_EXPONENT) {
          throw new IllegalArgumentException("range ends and step must lie within 1e-"
              + MAX_DECIMAL_EXPONENT + "..1e" + MAX_DECIMAL_EXPONENT + ": '" + rest + "'");
        }
      }
      if (step.signum() <= 0 || from.compareTo(to) > 0) {
        throw new IllegalArgumentException("range needs a <= b and a positive step: '" + rest
            + "'");
      }
      for (BigDecimal v = from; v.compareTo(to) <= 0; v = v.add(step)) {
        values.add(v.stripTrailingZeros().toPlainString());
        if (values.size() > 1000) {
          throw new IllegalArgumentException("range has more than 1000 values: '" + rest + "'");
        }
      }
    } else {
      // Limit -1 keeps trailing empty parts: "a," and "," name their empty value instead of
      // parsing as "a" and as no value at all (found by StudyFileFuzzTest).
      for (String v : rest.split(",", -1)) {
        if (v.isBlank()) {
          throw new IllegalArgumentException("empty value in list '" + rest + "'");
        }
        values.add(v.strip());
      }
    }
    for (String v : values) {
      try {
        checkValue(param, v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(param + " value " + v + ": " + e.getMessage());
      }
    }
    return new StudySpec.Axis(param, values, line);
  }
}

package org.tcsim.timing.validate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.ScalingRecipe;

/**
 * Reads measured GEMMs from CSV: {@code #} comment lines, a header naming at least
 * {@code gpu,recipe,groups,m,n,k,tflops}, optionally {@code source}, {@code tile}, {@code library}
 * (a row with no tile gets the tile the {@link TileMenu} says the library runs for its recipe, if
 * any) and any machine parameter key (e.g. {@code power_limit_w}) whose non-empty cells override
 * that parameter for the row. Other columns (a kernel description, say) are ignored. Fields may not
 * contain commas. Errors name the file, the line and the field.
 */
public final class MeasuredGemmCsv {

  private static final List<String> REQUIRED = List.of("gpu", "recipe", "groups", "m", "n", "k", "tflops");

  private MeasuredGemmCsv() {}

  /** The rows of {@code lines}; {@code label} names the file in errors; a library column pins nothing. */
  public static List<MeasuredGemm> parse(List<String> lines, String label) {
    return parse(lines, label, TileMenu.NONE);
  }

  /** The rows of {@code lines}, a library column resolved through {@code menu}. */
  public static List<MeasuredGemm> parse(List<String> lines, String label, TileMenu menu) {
    Map<String, Integer> columns = null;
    Map<Integer, MachineParam> paramColumns = new HashMap<>();
    List<MeasuredGemm> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split(",", -1);
      String where = label + " line " + (i + 1);
      if (columns == null) {
        columns = new HashMap<>();
        for (int c = 0; c < cells.length; c++) {
          String name = cells[c].strip().toLowerCase(Locale.ROOT);
          columns.put(name, c);
          if (!REQUIRED.contains(name) && !name.equals("source") && !name.equals("tile")
              && !name.equals("library")) {
            try {
              paramColumns.put(c, MachineParam.byKey(name));
            } catch (IllegalArgumentException notAParameter) {
              // a descriptive column, ignored
            }
          }
        }
        for (String r : REQUIRED) {
          if (!columns.containsKey(r)) {
            throw new IllegalArgumentException(where + ": header has no '" + r + "' column (needs "
                + String.join(",", REQUIRED) + ", optional source, tile, library and machine parameters)");
          }
        }
        continue;
      }
      if (cells.length != columns.size()) {
        throw new IllegalArgumentException(where + ": " + cells.length + " fields, the header has " + columns.size());
      }
      rows.add(row(cells, columns, paramColumns, where, i + 1, menu));
    }
    if (columns == null) {
      throw new IllegalArgumentException(label + ": no header line");
    }
    if (rows.isEmpty()) {
      // A validation over nothing has no error to report, and must not pass as one with none.
      throw new IllegalArgumentException(label + ": no measured rows after the header, nothing to compare");
    }
    return rows;
  }

  private static MeasuredGemm row(String[] cells, Map<String, Integer> columns, Map<Integer, MachineParam> params,
      String where, int line, TileMenu menu) {
    String gpu = cell(cells, columns, "gpu");
    if (gpu.isEmpty()) {
      throw new IllegalArgumentException(where + ": field gpu is empty");
    }
    ScalingRecipe recipe;
    try {
      recipe = ScalingRecipe.parse(cell(cells, columns, "recipe"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": field recipe: " + e.getMessage());
    }
    long groups = number(cells, columns, "groups", where);
    long m = number(cells, columns, "m", where);
    long n = number(cells, columns, "n", where);
    long k = number(cells, columns, "k", where);
    if (groups > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(where + ": field groups is too large: " + groups);
    }
    double tflops;
    String t = cell(cells, columns, "tflops");
    try {
      tflops = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": field tflops is not a number: '" + t + "'");
    }
    if (!(tflops > 0) || Double.isInfinite(tflops)) {
      throw new IllegalArgumentException(where + ": field tflops must be positive and finite: " + t);
    }
    Map<MachineParam, Double> overrides = new EnumMap<>(MachineParam.class);
    for (Map.Entry<Integer, MachineParam> e : params.entrySet()) {
      String v = cells[e.getKey()].strip();
      if (v.isEmpty()) {
        continue;
      }
      try {
        overrides.put(e.getValue(), Double.parseDouble(v));
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(where + ": field " + e.getValue().key() + " is not a number: '" + v + "'");
      }
    }
    GemmProblem problem = new GemmProblem(m, n, k, (int) groups, 2, recipe);
    String source = columns.containsKey("source") ? cell(cells, columns, "source") : "";
    String tile = columns.containsKey("tile") ? cell(cells, columns, "tile") : "";
    String library = columns.containsKey("library") ? cell(cells, columns, "library") : "";
    if (tile.isEmpty() && !library.isEmpty()) {
      try {
        tile = menu.tile(gpu, library, recipe).orElse("");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": field library: " + e.getMessage());
      }
    }
    return new MeasuredGemm(line, gpu, problem, tflops, source, tile, overrides);
  }

  private static String cell(String[] cells, Map<String, Integer> columns, String name) {
    return cells[columns.get(name)].strip();
  }

  private static long number(String[] cells, Map<String, Integer> columns, String name, String where) {
    String v = cell(cells, columns, name);
    long x;
    try {
      x = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": field " + name + " is not a whole number: '" + v + "'");
    }
    if (x <= 0) {
      throw new IllegalArgumentException(where + ": field " + name + " must be positive: " + v);
    }
    return x;
  }
}

package org.tcsim.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Reads a shapes file: columns m, n, k and optionally groups, in any order; '#' lines are comments. */
final class ShapesCsv {
  /** One shape, with the line it came from. */
  record Shape(long m, long n, long k, int groups, int line) {}

  private ShapesCsv() {}

  static List<Shape> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Shape> shapes = new ArrayList<>();
    int mCol = -1;
    int nCol = -1;
    int kCol = -1;
    int gCol = -1;
    int width = 0;
    boolean header = true;
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = Arrays.stream(line.split(",", -1)).map(String::trim).toArray(String[]::new);
      if (header) {
        List<String> names = Arrays.stream(fields).map(f -> f.toLowerCase(Locale.ROOT)).toList();
        mCol = names.indexOf("m");
        nCol = names.indexOf("n");
        kCol = names.indexOf("k");
        gCol = names.indexOf("groups");
        if (mCol < 0 || nCol < 0 || kCol < 0) {
          throw new IllegalArgumentException(file + " line " + lineNo + ": header must name columns m, n, k"
              + " (and optionally groups), got '" + line + "'");
        }
        width = fields.length;
        header = false;
        continue;
      }
      if (fields.length != width) {
        throw new IllegalArgumentException(file + " line " + lineNo + ": expected " + width + " fields, got "
            + fields.length);
      }
      long m = positive(file, lineNo, "m", fields[mCol]);
      long n = positive(file, lineNo, "n", fields[nCol]);
      long k = positive(file, lineNo, "k", fields[kCol]);
      long g = gCol < 0 || fields[gCol].isEmpty() ? 1 : positive(file, lineNo, "groups", fields[gCol]);
      if (g > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(file + " line " + lineNo + ": field groups too large: " + g);
      }
      shapes.add(new Shape(m, n, k, (int) g, lineNo));
    }
    if (header) {
      throw new IllegalArgumentException(file + ": no header line (expected columns m,n,k[,groups])");
    }
    return shapes;
  }

  private static long positive(Path file, int line, String field, String text) {
    long v;
    try {
      v = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + " line " + line + ": field " + field
          + " is not a whole number: '" + text + "'");
    }
    if (v <= 0) {
      throw new IllegalArgumentException(file + " line " + line + ": field " + field + " must be positive: " + v);
    }
    return v;
  }
}

package org.tcsim.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.core.format.FpFormat;
import org.tcsim.replay.CodeDistance;
import org.tcsim.replay.GoldenComparison;
import org.tcsim.replay.Mismatch;
import org.tcsim.traces.io.AtomicFiles;

/**
 * The {@code --json FILE} output of {@code check}, {@code verify} and {@code replay}: one JSON
 * document per run, written atomically, for pytest, gtest or CI to read. Every document carries
 * {@code tool}, {@code version}, {@code exit_code} and {@code passed}; the fields shared by the
 * commands (a bit-for-bit comparison, a mismatch) have one shape everywhere. Values that JSON
 * numbers cannot hold (NaN, infinities) are written as strings ("NaN", "Infinity").
 */
final class JsonOut {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
      .create();

  private JsonOut() {}

  /** A document's common head. */
  static JsonObject document(String command) {
    JsonObject o = new JsonObject();
    o.addProperty("tool", "tcsim " + command);
    o.addProperty("version", TcsimVersion.version());
    return o;
  }

  /** Refuses a --json target that cannot be written (a folder), before any work. */
  static void requireWritable(Path file) {
    if (file != null && Files.isDirectory(file)) {
      throw new IllegalArgumentException("--json " + file + " is a folder; give a file name");
    }
  }

  /** Adds the outcome and writes the document to {@code file} (nothing when file is null). */
  static void write(Path file, JsonObject doc, int exitCode) throws IOException {
    if (file == null || Files.isDirectory(file)) {
      return; // a folder was refused, and said so, before the run
    }
    doc.addProperty("exit_code", exitCode);
    doc.addProperty("passed", exitCode == 0);
    AtomicFiles.write(file, w -> {
      GSON.toJson(doc, w);
      w.write('\n');
    });
  }

  /** A number, or its name as a string when JSON cannot hold it. */
  static JsonElement number(double v) {
    if (Double.isFinite(v)) {
      return new JsonPrimitive(v);
    }
    return new JsonPrimitive(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
  }

  /** A code's bits as the hex the text output shows ({@code 0x3f80}). */
  static String hex(FpFormat f, int code) {
    return "0x" + f.hex(code);
  }

  /** A ULP distance, null (JSON null) when a NaN makes it undefined. */
  static JsonElement ulps(long ulps) {
    return ulps == CodeDistance.NOT_COMPARABLE ? com.google.gson.JsonNull.INSTANCE
        : new JsonPrimitive(ulps);
  }

  /**
   * A bit-for-bit comparison: counts, the ULP histogram of the mismatches by bin label and the
   * first mismatches, {@code actualName} and {@code expectedName} naming the two sides.
   */
  static JsonObject comparison(GoldenComparison c, String actualName, String expectedName) {
    JsonObject o = new JsonObject();
    o.addProperty("compared", c.compared());
    o.addProperty("bit_exact", c.bitExact());
    o.addProperty("mismatches", c.mismatches());
    JsonObject h = new JsonObject();
    long[] bins = c.ulpHistogram();
    for (int i = 0; i < bins.length; i++) {
      h.addProperty(UlpBins.DISTANCE_LABELS.get(i), bins[i]);
    }
    o.add("ulp_histogram", h);
    JsonArray first = new JsonArray();
    for (Mismatch m : c.firstMismatches()) {
      first.add(mismatch(m, actualName, expectedName));
    }
    o.add("first_mismatches", first);
    return o;
  }

  static JsonObject mismatch(Mismatch m, String actualName, String expectedName) {
    JsonObject o = new JsonObject();
    o.addProperty("row", m.row());
    o.addProperty("col", m.col());
    o.addProperty(actualName, hex(m.format(), m.actual()));
    o.add(actualName + "_value", number(m.format().decode(m.actual())));
    o.addProperty(expectedName, hex(m.format(), m.expected()));
    o.add(expectedName + "_value", number(m.format().decode(m.expected())));
    o.add("ulps", ulps(m.ulps()));
    return o;
  }

  /** The lower-case name of an enum constant, as the text output writes it. */
  static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}

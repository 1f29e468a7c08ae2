package org.tcsim.traces.golden;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcsim.core.InputFormatException;

/**
 * The golden MMA sets shipped inside tcsim: the data published with Khattak &amp; Mikaitis
 * (BSD-2-Clause, attribution lines kept in each file) and the wgmma outputs tcsim's capture kit
 * measured on an H200 (h200_wgmma.csv). Each file's SHA-256 is checked
 * against {@code SHA256SUMS} when it is loaded, so that a corrupted or edited file is reported as
 * such rather than as a model mismatch.
 */
public final class EmbeddedGolden {
  private static final String DIR = "/org/tcsim/traces/golden/mma/";

  private EmbeddedGolden() {}

  /** File name to expected SHA-256, in the manifest's order. */
  public static Map<String, String> manifest() {
    Map<String, String> sums = new LinkedHashMap<>();
    String text = new String(bytes("SHA256SUMS"), StandardCharsets.US_ASCII);
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.trim().split("\\s+");
      if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}")) {
        throw new IllegalStateException("embedded " + DIR + "SHA256SUMS: line '" + line
            + "' is not 'SHA256 NAME'; the build is damaged");
      }
      sums.put(parts[1], parts[0]);
    }
    return sums;
  }

  public static List<String> names() {
    return new ArrayList<>(manifest().keySet());
  }

  /** Loads one embedded file, checking its checksum first. */
  public static List<GoldenMmaRow> load(String name) {
    List<GoldenMmaRow> rows = new java.util.ArrayList<>();
    forEach(name, rows::add);
    return rows;
  }

  /** Streams one embedded file's rows, checking its checksum first. */
  public static long forEach(String name, java.util.function.Consumer<GoldenMmaRow> sink) {
    if (!manifest().containsKey(name)) {
      throw new IllegalArgumentException("no embedded golden file '" + name + "'; have " + names());
    }
    return forEach(name, bytes(name), sink);
  }

  /**
   * Checks {@code data} against the manifest's digest for {@code name}, then streams its rows.
   * Separate from the resource loading so that the check can be tested on altered bytes.
   */
  static long forEach(String name, byte[] data, java.util.function.Consumer<GoldenMmaRow> sink) {
    String expected = manifest().get(name);
    if (expected == null) {
      throw new IllegalArgumentException("no embedded golden file '" + name + "'; have " + names());
    }
    String actual = sha256(data);
    if (!actual.equals(expected)) {
      throw new InputFormatException("embedded:" + name, 0, null,
          "checksum mismatch (expected " + expected + ", found " + actual
              + "): the golden file is corrupted or was edited");
    }
    try {
      return GoldenMmaReader.forEach(
          new StringReader(new String(data, StandardCharsets.US_ASCII)), name, sink);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static byte[] bytes(String name) {
    try (InputStream in = EmbeddedGolden.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("embedded resource " + DIR + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package org.tcsim.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every row of the ml_dtypes 0.6.0 tables (an independent implementation; copied from
 * shared/oracles/formats with their attribution lines) must agree with our decode and encode.
 */
class MlDtypesOracleTest {

  private static List<String[]> rows(String resource) throws IOException {
    InputStream in = MlDtypesOracleTest.class.getResourceAsStream("/oracles/" + resource);
    if (in == null) {
      fail("test resource /oracles/" + resource + " is missing");
    }
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      String line;
      boolean header = true;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        rows.add(line.split(","));
      }
    }
    return rows;
  }

  private static double parseValue(String s) {
    return switch (s) {
      case "nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  @Test
  void everyDecodeRowMatches() throws IOException {
    List<String[]> rows = rows("decode.csv");
    int checked = 0;
    List<String> failures = new ArrayList<>();
    for (String[] row : rows) {
      FpFormat f = FpFormat.parse(row[0]);
      int code = Integer.parseInt(row[1], 16);
      double expected = parseValue(row[2]);
      double actual = f.decode(code);
      double arithmetic = f.decodeArithmetic(code);
      boolean same = Double.doubleToLongBits(expected) == Double.doubleToLongBits(actual)
          && Double.doubleToLongBits(actual) == Double.doubleToLongBits(arithmetic);
      if (!same && failures.size() < 20) {
        failures.add(row[0] + " " + row[1] + ": expected " + row[2] + " got " + actual);
      }
      checked++;
    }
    assertEquals(131984, checked, "rows in decode.csv");
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
  }

  @Test
  void everyEncodeRowMatches() throws IOException {
    List<String[]> rows = rows("encode.csv");
    List<String> failures = new ArrayList<>();
    for (String[] row : rows) {
      FpFormat f = FpFormat.parse(row[0]);
      Overflow overflow = switch (row[1]) {
        case "rne" -> Overflow.IEEE;
        case "rne_satfinite" -> Overflow.SATFINITE;
        default -> throw new AssertionError("unknown mode " + row[1]);
      };
      float input = Float.intBitsToFloat((int) Long.parseLong(row[2], 16));
      int expected = Integer.parseInt(row[3], 16);
      int fromFloat = f.encode(input, Rounding.RNE, overflow);
      int fromDouble = f.encode((double) input, Rounding.RNE, overflow);
      if ((fromFloat != expected || fromDouble != expected) && failures.size() < 20) {
        failures.add(String.join(",", row) + " -> got " + Integer.toHexString(fromFloat));
      }
    }
    assertEquals(178779, rows.size(), "rows in encode.csv");
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
  }
}

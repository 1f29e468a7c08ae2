package org.tcsim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcsim.replay.GoldenFixtures;
import org.tcsim.replay.ReplayTotals;
import org.tcsim.replay.Replayer;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.trace.GemmSpec;

class ReplayJsonTest {

  @Test
  void goldenMismatchAndTotalsAreWrittenExactly() {
    // All ones, k = 32: every element is 64.0 = 0x42800000 (1115684864); one expected code is
    // changed to the next FP32 value, 0x42800001 (1115684865), one ULP away.
    GoldenGemmCase bad = GoldenFixtures.withExpected(
        GoldenFixtures.allOnes("ones", 8, 8, 32, 0x42800000), 2, 3, 0x42800001);
    Replayer r = new Replayer(Replayer.Options.defaults().withGolden(Map.of("ones", bad)));
    ReplayJson json = new ReplayJson("a \"quoted\"\ttitle");
    List<GemmSpec> specs = List.of(GoldenFixtures.specFor("ones", 8, 8, 32));
    ReplayTotals totals = r.run(specs.iterator(), json::add);
    String text = json.json(totals, true);
    assertTrue(text.startsWith("{\n  \"title\": \"a \\\"quoted\\\"\\ttitle\",\n"), text);
    assertTrue(text.contains("\"index\": 0, \"name\": \"ones\", \"gpu\": \"h100\", \"m\": 8, "
        + "\"n\": 8, \"k\": 32, \"groups\": 1, \"status\": \"mismatched\""), text);
    assertTrue(text.contains("\"golden\": {\"case\": \"ones\", \"compared\": 64, "
        + "\"bit_exact\": 63, \"mismatch_ulps\": {"
        + "\"+-0\": 0, \"1\": 1, \"2\": 0, \"3-4\": 0, \"5-8\": 0, \"9-16\": 0, "
        + "\"17-32\": 0, \"33-64\": 0, \"65-128\": 0, \"129-256\": 0, "
        + "\"257-512\": 0, \"513-1024\": 0, \"1025-2048\": 0, \"2049-4096\": 0, "
        + "\"(4096,2^13]\": 0, \"(2^13,2^14]\": 0, \"(2^14,2^15]\": 0, "
        + "\"(2^15,2^16]\": 0, \"(2^16,2^17]\": 0, \"(2^17,2^18]\": 0, "
        + "\"(2^18,2^19]\": 0, \"(2^19,2^20]\": 0, \"(2^20,2^21]\": 0, "
        + "\"(2^21,2^22]\": 0, \"(2^22,2^23]\": 0, \"(2^23,2^24]\": 0, "
        + "\">2^24\": 0, \"NaN\": 0"
        + "}, \"first_mismatches\": "
        + "[{\"row\": 2, \"col\": 3, \"simulated\": 1115684864, \"gpu\": 1115684865, "
        + "\"ulps\": 1}]}"), text);
    // Every element is 64 exactly: amax is 64 and the relative error against exact is 0.
    assertTrue(text.contains("\"amax_d\": 64.0"), text);
    assertTrue(text.contains("\"max_relative_error\": 0.0"), text);
    assertTrue(text.contains("\"totals\": {\"gemms\": 1, \"simulated\": 1, \"skipped\": 0, "
        + "\"failed\": 0, \"golden_gemms\": 1, \"golden_passed\": 0, \"elements_compared\": 64, "
        + "\"elements_exact\": 63,"), text);
    assertTrue(text.endsWith("\"exit_status\": 1}\n}\n"), text);
    assertEquals(count(text, '{'), count(text, '}'));
    assertEquals(count(text, '['), count(text, ']'));
  }

  @Test
  void numbersAndStringsAreValidJson() {
    assertEquals("null", ReplayJson.number(Double.NaN));
    assertEquals("null", ReplayJson.number(Double.POSITIVE_INFINITY));
    assertEquals("1.0E-4", ReplayJson.number(1e-4));
    assertEquals("\"a\\\\b\\u0001\\n\"", ReplayJson.string("a\\b\u0001\n"));
  }

  /** Occurrences of {@code c} outside JSON strings (bin labels such as "(4096,2^13]" hold some). */
  private static long count(String s, char c) {
    long n = 0;
    boolean inString = false;
    for (int i = 0; i < s.length(); i++) {
      char x = s.charAt(i);
      if (inString && x == '\\') {
        i++;
      } else if (x == '"') {
        inString = !inString;
      } else if (!inString && x == c) {
        n++;
      }
    }
    return n;
  }
}

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
        + "\"bit_exact\": 63, \"mismatch_ulps\": {\"+-0\": 0, \"1\": 1, \"2\": 0, \"3-4\": 0, "
        + "\"5-16\": 0, \"17-256\": 0, \">256\": 0, \"NaN\": 0}, \"first_mismatches\": "
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

  private static long count(String s, char c) {
    return s.chars().filter(x -> x == c).count();
  }
}

package org.tcsim.traces.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.tcsim.core.InputFormatException;

/**
 * Mutated golden files: every one either parses or fails with an {@link InputFormatException}
 * that names the file (and, for a row, its line) — never another exception, never a hang.
 */
class GoldenMmaReaderFuzzTest {

  private static final String VALID = "# comment\n"
      + "gpu,a_format,b_format,c_format,d_format,k,a,b,c,d\n"
      + "h100,e4m3,e4m3,fp32,fp32,4,38 b8 7f 00,3c 01 80 ff,3f800000,bf800000\n"
      + "b200,e5m2,e5m2,fp16,fp16,2,7c fc,3c 00,3c00,7e00\n"
      + "h100,tf32,tf32,fp32,fp32,1,3f7aa000,3f194000,00000000,7fc00000\n";

  /** A mutation: replace, insert or delete a span of the valid text. */
  record Mutation(int kind, int position, int length, String text) {
    String apply(String s) {
      int p = Math.min(position, s.length());
      int end = Math.min(s.length(), p + length);
      return switch (kind) {
        case 0 -> s.substring(0, p) + text + s.substring(end);
        case 1 -> s.substring(0, p) + text + s.substring(p);
        case 2 -> s.substring(0, p) + s.substring(end);
        default -> s.substring(0, p); // truncation
      };
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<String> pieces = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(6),
        Arbitraries.of(",", "\n", "\r\n", "\"", " ", "nan", "inf", "-1", "99999999999", "zz", "\u00e9\u4e2d",
            "fp64", "e4m3", "0x", "#", ",,,,", "\t", "7fc00000", "ffffffff", "65537", "2147483648"));
    Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, VALID.length()), Arbitraries.integers().between(0, 12),
        pieces).as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 3000)
  void everyMutationParsesOrFailsWithFileLineAndField(@ForAll("mutations") List<Mutation> ms)
      throws Exception {
    String text = VALID;
    for (Mutation m : ms) {
      text = m.apply(text);
    }
    try {
      List<GoldenMmaRow> rows = GoldenMmaReader.read(new StringReader(text), "fuzz.csv");
      assertTrue(!rows.isEmpty());
      for (GoldenMmaRow r : rows) {
        assertTrue(r.a().length == r.k() && r.b().length == r.k());
      }
    } catch (InputFormatException e) {
      assertTrue(e.getMessage().startsWith("fuzz.csv"), e.getMessage());
      assertTrue(e.source().equals("fuzz.csv"));
    }
  }

  @Provide
  Arbitrary<String> fieldMutants() {
    return org.tcsim.traces.fuzz.TextMutations.mutants(VALID, ',');
  }

  /** The shared harness: field-level edits with NaN/Inf codes, bad hex, huge k, CRLF, Unicode. */
  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 3000)
  void fieldMutationsParseOrNameFileAndLine(@ForAll("fieldMutants") String text) {
    org.tcsim.traces.fuzz.FuzzCheck.resultOrNamedError(text, "fuzz.csv",
        () -> GoldenMmaReader.read(new StringReader(text), "fuzz.csv"))
        .ifPresent(rows -> rows.forEach(r -> org.tcsim.traces.fuzz.FuzzCheck.sane(
            r.k() >= 1 && r.a().length == r.k() && r.b().length == r.k() && r.line() > 0,
            "row", text)));
  }
}

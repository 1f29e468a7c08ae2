package org.tcsim.studies.whatif;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcsim.traces.fuzz.FuzzCheck.sane;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.tcsim.studies.whatif.StudyFormatException;
import org.tcsim.studies.whatif.StudyParser;
import org.tcsim.studies.whatif.StudySpec;
import org.tcsim.traces.fuzz.FuzzCheck;
import org.tcsim.traces.fuzz.TextMutations;

/**
 * Mutated what-if study files (the five shipped studies, copied into the test resources): each
 * either parses into a spec whose every accessor answers, or fails with a
 * {@link StudyFormatException} naming the file, a line inside the input (0: the file as a whole)
 * and, for a line that has a key, that key. Never another exception, never a hang.
 */
class StudyFileFuzzTest {

  static final List<String> STUDIES = List.of("accumulator-width", "machine-sms", "mx-scale-rule",
      "outliers", "promotion-interval");

  private static final String SOURCE = "fuzz.study";

  static String study(String name) {
    try (InputStream in = StudyFileFuzzTest.class.getResourceAsStream("/studies/" + name
        + ".study")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource studies/" + name + ".study");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<String> studies() {
    // '=' splits key from value, ',' a value list, ':' an axis's parameter from its values.
    return Arbitraries.of(STUDIES).map(StudyFileFuzzTest::study).flatMap(text ->
        Arbitraries.of('=', ',', ':', ' ').flatMap(d -> TextMutations.mutants(text, d)));
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 3000)
  void mutatedStudiesParseOrNameFileLineAndKey(@ForAll("studies") String text) {
    parseOrNamedError(text).ifPresent(s -> saneSpec(s, text));
  }

  /** Every shipped study parses unchanged (the fuzz starts from valid files). */
  @Example
  void theShippedStudiesParse() throws IOException {
    for (String name : STUDIES) {
      StudySpec s = StudyParser.parse(new StringReader(study(name)), name);
      assertEquals(name, s.output());
    }
  }

  /**
   * Regression: a range end or step with a huge decimal exponent (1e999999999) was expanded by
   * toPlainString into a string of a billion digits: minutes, then OutOfMemoryError.
   */
  @Example
  void aRangeWithAHugeExponentIsRefusedAtOnce() {
    for (String range : List.of("1e999999999..1e999999999", "0..1 by 1e-999999999",
        "1e-2147483647..1", "1..1e400")) {
      String text = "kind = accuracy\noutput = x\nsweep = outlier_scale: " + range + "\n";
      StudyFormatException e = FuzzCheck.withinHangLimit(text, () -> assertThrows(
          StudyFormatException.class, () -> StudyParser.parse(new StringReader(text), SOURCE)));
      assertTrue(e.getMessage().startsWith(SOURCE + " line 3 (sweep): "), e.getMessage());
    }
  }

  /**
   * Regression: the parser allowed m and n up to 2^20 while the spec (and the study runner) allow
   * 2^16, so {@code m = 100000} passed the parser and failed later without file or line.
   */
  @Example
  void anMThatTheRunnerRefusesIsRefusedByTheParser() {
    String text = "kind = accuracy\nm = 100000\noutput = x\nsweep = k: 16\n";
    StudyFormatException e = assertThrows(StudyFormatException.class,
        () -> StudyParser.parse(new StringReader(text), SOURCE));
    assertTrue(e.getMessage().startsWith(SOURCE + " line 2 (m): "), e.getMessage());
    String edge = text.replace("100000", "65536");
    assertEquals(65536, assertDoesNotThrow(
        () -> StudyParser.parse(new StringReader(edge), SOURCE)).m());
  }

  private static Optional<StudySpec> parseOrNamedError(String text) {
    Optional<StudySpec> result = FuzzCheck.withinHangLimit(text, () -> {
      try {
        return Optional.of(StudyParser.parse(new StringReader(text), SOURCE));
      } catch (StudyFormatException e) {
        assertEquals(SOURCE, e.source(), e::getMessage);
        assertTrue(e.getMessage().startsWith(SOURCE), e::getMessage);
        long lines = text.chars().filter(c -> c == '\n' || c == '\r').count() + 1;
        assertTrue(e.line() >= 0 && e.line() <= lines, () -> "line " + e.line() + " outside the "
            + lines + " lines of the input: " + e.getMessage());
        if (e.line() > 0) {
          assertTrue(e.getMessage().startsWith(SOURCE + " line " + e.line()), e::getMessage);
        }
        if (e.key() != null) {
          assertTrue(e.getMessage().contains("(" + e.key() + ")"), e::getMessage);
        } else {
          // Only a line without a key (no '=', or nothing before it) may leave the key out.
          assertTrue(e.line() > 0, e::getMessage);
        }
        return Optional.<StudySpec>empty();
      } catch (AssertionError e) {
        throw e;
      } catch (Throwable t) {
        throw new AssertionError("unexplained " + t + "\ninput: " + FuzzCheck.show(text), t);
      }
    });
    Statistics.label("outcome").collect(result.isPresent() ? "parsed" : "named error");
    return result;
  }

  /** What every accepted spec must answer without throwing, whatever the input. */
  private static void saneSpec(StudySpec s, String input) {
    try {
      sane(!s.title().isBlank() || s.settings().containsKey("title"), "title", input);
      sane(s.m() >= 1 && s.n() >= 1 && s.samples() >= 1, "m, n, samples", input);
      s.seed();
      s.reference();
      s.metric();
      sane(List.of("h100", "b200").contains(s.datapath()), "datapath " + s.datapath(), input);
      sane(s.output().matches("[A-Za-z0-9_.-]+"), "output " + s.output(), input);
      Long.parseLong(s.setting("time_m", "1"));
      Long.parseLong(s.setting("time_n", "1"));
    } catch (RuntimeException e) {
      throw new AssertionError("a parsed spec fails later (" + e + ") on input:\n"
          + FuzzCheck.show(input), e);
    }
    for (StudySpec.Axis a : s.series() == null ? List.of(s.sweep())
        : List.of(s.sweep(), s.series())) {
      sane(!a.values().isEmpty() && a.values().size() <= 1001, "axis " + a, input);
      sane(a.values().stream().noneMatch(String::isBlank), "axis " + a, input);
    }
  }
}

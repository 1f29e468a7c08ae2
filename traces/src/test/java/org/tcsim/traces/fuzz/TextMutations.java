package org.tcsim.traces.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Mutations of a valid text input for the reader fuzz tests: splices (replace, insert, delete,
 * truncate) at any character, and line/field-aware ones (replace one field with a nasty token,
 * drop a field, add a field, duplicate a line, CRLF line ends, a byte-order mark). Positions are
 * fractions of the current length so that one mutation list applies to any text.
 *
 * <p>The tokens are the ways real files go wrong: NaN and Inf spellings, FP8/FP32 NaN and Inf
 * codes, negative, zero and huge numbers, 64-bit overflow, bad hex, quotes and delimiters, CR,
 * Unicode (accented letters, CJK, a BOM, an astral-plane character, NUL) and empty strings.
 */
public final class TextMutations {

  /** Tokens that break readers. */
  public static final List<String> TOKENS = List.of("", " ", "nan", "NaN", "-nan", "inf", "-inf",
      "Infinity", "-Infinity", "-1", "0", "-0", "1", "3", "16", "99999999999",
      "9223372036854775807", "9223372036854775808", "-9223372036854775808", "2147483647",
      "2147483648", "4294967297", "1000000", "1048576", "1e308", "1e-400", "1.5", "0x7f", "7fc00000",
      "7f800000", "ff800000", "ffffffff", "7f", "ff", "80", "fe", "7e00", "7c00", "zz", "g1", "0xg",
      "1_000", "+5", "e4m3", "fp64", "bf16", "E4M3", "fe4m3:row", "f16:column", "R_8F_E4M3",
      "R_16BF", "OP_T", "OP_C", "VEC32_UE8M0", "VEC16_UE4M3", "h100", "b200", "true", "maybe",
      "\u00e9\u4e2d", "\uFEFF", "\uD83D\uDE00", "\u0000", "\"", "\"\"", "'", ",", ";", "\t", "#",
      "\n", "\r\n", "\r", "[", "]", "[[", "=", ":", "(", ")", "{", "}", "..", "/etc/passwd", "-");

  private TextMutations() {}

  /** One change to a text. */
  public sealed interface Mutation {
    String apply(String s);
  }

  /** kind 0 replace, 1 insert, 2 delete, 3 truncate at a fraction {@code at} of the length. */
  public record Splice(int kind, double at, int length, String text) implements Mutation {
    @Override
    public String apply(String s) {
      int p = (int) Math.min(s.length(), Math.floor(at * (s.length() + 1)));
      int end = Math.min(s.length(), p + length);
      return switch (kind) {
        case 0 -> s.substring(0, p) + text + s.substring(end);
        case 1 -> s.substring(0, p) + text + s.substring(p);
        case 2 -> s.substring(0, p) + s.substring(end);
        default -> s.substring(0, p);
      };
    }
  }

  /**
   * A change to one field of one line: kind 0 replaces it with {@code text}, 1 drops it, 2 adds
   * {@code text} after it, 3 duplicates the whole line.
   */
  public record FieldEdit(int kind, double line, double field, String text, char delimiter)
      implements Mutation {
    @Override
    public String apply(String s) {
      List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
      if (lines.isEmpty()) {
        return s;
      }
      int li = (int) Math.min(lines.size() - 1, Math.floor(line * lines.size()));
      String l = lines.get(li);
      if (kind == 3) {
        lines.add(li, l);
        return String.join("\n", lines);
      }
      String d = String.valueOf(delimiter);
      List<String> fields = new ArrayList<>(Arrays.asList(l.split(java.util.regex.Pattern.quote(d),
          -1)));
      int fi = (int) Math.min(fields.size() - 1, Math.floor(field * fields.size()));
      switch (kind) {
        case 0 -> fields.set(fi, text);
        case 1 -> fields.remove(fi);
        default -> fields.add(fi + 1, text);
      }
      lines.set(li, String.join(d, fields));
      return String.join("\n", lines);
    }
  }

  /** Every line end as CRLF (kind 0), a byte-order mark in front (1), or no final newline (2). */
  public record Whole(int kind) implements Mutation {
    @Override
    public String apply(String s) {
      return switch (kind) {
        case 0 -> s.replace("\r\n", "\n").replace("\n", "\r\n");
        case 1 -> "\uFEFF" + s;
        default -> s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
      };
    }
  }

  /** A nasty token or a short random string. */
  public static Arbitrary<String> tokens() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.of(TOKENS)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(6)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("0123456789abcdefABCDEF-x")
            .ofMinLength(1).ofMaxLength(20)));
  }

  /** One mutation, field edits splitting lines on {@code delimiter}. */
  public static Arbitrary<Mutation> mutation(char delimiter) {
    Arbitrary<Double> frac = Arbitraries.doubles().between(0, 1);
    Arbitrary<Mutation> splice = Combinators.combine(Arbitraries.integers().between(0, 3), frac,
        Arbitraries.integers().between(0, 12), tokens()).as(Splice::new);
    Arbitrary<Mutation> field = Combinators.combine(Arbitraries.integers().between(0, 3), frac,
        frac, tokens()).as((k, l, f, t) -> new FieldEdit(k, l, f, t, delimiter));
    Arbitrary<Mutation> whole = Arbitraries.integers().between(0, 2).map(Whole::new);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, splice),
        net.jqwik.api.Tuple.of(5, field), net.jqwik.api.Tuple.of(1, whole));
  }

  /** {@code valid} after one to four mutations. */
  public static Arbitrary<String> mutants(String valid, char delimiter) {
    return mutation(delimiter).list().ofMinSize(1).ofMaxSize(4).map(ms -> {
      String s = valid;
      for (Mutation m : ms) {
        s = m.apply(s);
      }
      return s;
    });
  }
}

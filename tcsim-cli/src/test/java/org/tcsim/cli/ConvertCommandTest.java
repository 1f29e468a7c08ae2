package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tcsim convert}, run in-process. Expected codes are derived by hand from the layouts
 * (OCP OFP8/MX, IEEE 754) or taken from the ml_dtypes tables (docs/hardware-facts.md, Number
 * formats), not from the encoder.
 */
class ConvertCommandTest {

  @ParameterizedTest(name = "{1} -> {0} {2}")
  @CsvSource({
      // format, float32 bits, extra option ('-' for none), expected code
      "e4m3, 43e00000, -, 7e",              // 448 = 0.1111.110
      "e4m3, 7f800000, -, 7f",              // +Inf -> NaN (ml_dtypes: e4m3fn has no Inf)
      "e4m3, 7f800000, --satfinite, 7e",    // +Inf -> +448
      "e4m3, ff800000, --satfinite, fe",    // -Inf -> -448
      "e4m3, 3f800000, -, 38",              // 1.0 = 0.0111.000
      "e4m3, bf800000, -, b8",              // -1.0
      "float8_e4m3fn, 3f800000, -, 38",     // the ml_dtypes name works too
      "e4m3, 3f880000, -, 38",              // 1.0625: tie between 1.0 (38) and 1.125 (39) -> even
      "e4m3, 3f8c0000, -, 39",              // 1.09375: above the tie
      "e4m3, 43e80000, -, 7e",              // 464: tie between 448 and (480) -> even 448
      "e4m3, 7fc00000, -, 7f",              // NaN
      "e5m2, 3f800000, -, 3c",              // 1.0 = 0.01111.00
      "e5m2, 7fc00000, -, 7e",              // NaN = 0.11111.10 (canonical quiet NaN)
      "float8_e5m2, ff800000, -, fc",       // -Inf
      "e5m2, ff800000, --satfinite, fb",    // -57344
      "e5m2, 47700000, -, 7c",              // 61440: tie between 57344 (7b) and (65536) -> Inf
      "e8m0, 3f800000, -, 7f",              // 2^0 = 127
      "float8_e8m0fnu, 43000000, -, 86",    // 128 = 2^7
      "e2m1, 3f800000, -, 2",               // 1.0 = 0.01.0
      "e2m1, 40a00000, -, 6",               // 5.0: tie between 4 (6) and 6 (7) -> even 4
      "float4_e2m1fn, c2c80000, -, f",      // -100 saturates to -6
      "e2m3, 3f800000, -, 08",              // 1.0 = 0.01.000
      "e3m2, 3f800000, -, 0c",              // 1.0 = 0.011.00
      "e3m2, 7f800000, -, 1f",              // +Inf saturates to 28
      "fp16, 3f800000, -, 3c00",
      "float16, 47800000, -, 7c00",         // 65536 -> Inf
      "fp16, 47800000, --satfinite, 7bff",  // 65536 -> 65504
      "bf16, 3f800000, -, 3f80",
      "bfloat16, 3f808000, -, 3f80",        // 1 + 2^-8: tie -> even 1.0
      "bf16, 3f818000, -, 3f82",            // 1 + 3*2^-8: tie -> even 1 + 2^-6
      "bf16, 7fc00000, -, 7fc0",
      "tf32, 3f801000, -, 3f800000",        // 1 + 2^-11: tie -> 1.0
      "tf32, 3f803000, -, 3f804000",        // 1 + 3*2^-11: tie -> even 1 + 2^-9
      "fp32, 3f800001, -, 3f800001",
  })
  void convertsKnownValues(String format, String bits, String option, String expected) {
    CliRun r = option.equals("-")
        ? CliRun.run(bits + "\n", "convert", "--to", format)
        : CliRun.run(bits + "\n", "convert", "--to", format, option);
    assertEquals(0, r.exitCode(), r.err());
    assertArrayEquals(new String[] {expected}, r.lines());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // 1.0625 lies between 1.0 (38) and 1.125 (39); -1.0625 between b8 and b9.
      "rne, 38, b8", "rz, 38, b8", "ru, 39, b8", "rd, 38, b9",
  })
  void roundingModes(String mode, String positive, String negative) {
    CliRun r = CliRun.run("3f880000\nbf880000\n", "convert", "--to", "e4m3", "--round", mode);
    assertEquals(0, r.exitCode(), r.err());
    assertArrayEquals(new String[] {positive, negative}, r.lines());
  }

  @Test
  void acceptsPrefixesAndCaseAndKeepsOrder() {
    CliRun r = CliRun.run("0x3F800000\n0X43E00000\n  40000000  \r\n", "convert", "--to", "e4m3");
    assertEquals(0, r.exitCode(), r.err());
    assertArrayEquals(new String[] {"38", "7e", "40"}, r.lines()); // 2.0 = 0.1000.000
  }

  @Test
  void emptyInputGivesEmptyOutput() {
    CliRun r = CliRun.run("", "convert", "--to", "e4m3");
    assertEquals(0, r.exitCode());
    assertEquals("", r.out());
  }

  @Test
  void malformedLineStopsWithItsNumberAndText() {
    CliRun r = CliRun.run("3f800000\n43e00000\nxyz\n3f800000\n", "convert", "--to", "e4m3");
    assertEquals(2, r.exitCode(), "a malformed line is bad input");
    assertArrayEquals(new String[] {"38", "7e"}, r.lines(), "lines before the bad one are written");
    assertTrue(r.err().contains("line 3"), r.err());
    assertTrue(r.err().contains("'xyz'"), r.err());
  }

  @Test
  void blankLineIsAnError() {
    CliRun r = CliRun.run("3f800000\n\n3f800000\n", "convert", "--to", "bf16");
    assertEquals(2, r.exitCode(), "a malformed line is bad input");
    assertArrayEquals(new String[] {"3f80"}, r.lines());
    assertTrue(r.err().contains("line 2") && r.err().contains("blank"), r.err());
  }

  @Test
  void wrongDigitCountIsAnError() {
    CliRun seven = CliRun.run("3f80000\n", "convert", "--to", "e4m3");
    CliRun nine = CliRun.run("3f8000000\n", "convert", "--to", "e4m3");
    CliRun prefixOnly = CliRun.run("0x\n", "convert", "--to", "e4m3");
    for (CliRun r : new CliRun[] {seven, nine, prefixOnly}) {
      assertEquals(2, r.exitCode(), "a malformed line is bad input");
      assertEquals("", r.out());
      assertTrue(r.err().contains("line 1"), r.err());
    }
  }

  @Test
  void nanIntoAFormatWithoutNaNIsAnError() {
    CliRun r = CliRun.run("3f800000\n7fc00000\n", "convert", "--to", "e2m1");
    assertEquals(2, r.exitCode(), "a malformed line is bad input");
    assertArrayEquals(new String[] {"2"}, r.lines());
    assertTrue(r.err().contains("line 2") && r.err().contains("NaN"), r.err());
  }

  @Test
  void badArgumentsAreUsageErrors() {
    CliRun unknown = CliRun.run("", "convert", "--to", "e9m9");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("e9m9") && unknown.err().contains("float8_e4m3fn"), unknown.err());
    CliRun badMode = CliRun.run("", "convert", "--to", "e4m3", "--round", "up");
    assertEquals(2, badMode.exitCode());
    assertTrue(badMode.err().contains("up"), badMode.err());
    CliRun both = CliRun.run("", "convert", "--to", "e4m3", "--round", "rz", "--stochastic-seed", "1");
    assertEquals(2, both.exitCode());
    CliRun missing = CliRun.run("", "convert");
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("--to"), missing.err());
  }

  @Test
  void everyToolsNameOfAFormatConvertsAlike() {
    // 1.0f = 0x3f800000 is E4M3 0x38 (0 0111 000), E5M2 0x3c (0 01111 00): OCP OFP8 layouts.
    for (String name : new String[] {"e4m3", "e4m3fn", "float8_e4m3fn", "R_8F_E4M3",
        "CUDA_R_8F_E4M3"}) {
      CliRun r = CliRun.run("3f800000\n", "convert", "--to", name);
      assertEquals(0, r.exitCode(), name + ": " + r.err());
      assertArrayEquals(new String[] {"38"}, r.lines(), name);
    }
    for (String name : new String[] {"float8_e5m2", "R_8F_E5M2"}) {
      assertArrayEquals(new String[] {"3c"}, CliRun.run("3f800000\n", "convert", "--to", name)
          .lines(), name);
    }
  }

  @Test
  void lookAlikeFormatsAreRefusedNotConvertedAsOurs() {
    CliRun ieee = CliRun.run("3f800000\n", "convert", "--to", "float8_e4m3");
    assertEquals(2, ieee.exitCode());
    assertEquals("", ieee.out());
    assertTrue(ieee.err().contains("float8_e4m3 is ml_dtypes' IEEE-like E4M3 (max 240, has Inf)")
        && ieee.err().contains("float8_e4m3fn"), ieee.err());
    CliRun amd = CliRun.run("3f800000\n", "convert", "--to", "float8_e4m3fnuz");
    assertEquals(2, amd.exitCode());
    assertTrue(amd.err().contains("AMD"), amd.err());
  }

  @Test
  void stochasticRoundingIsReproducibleAndPicksANeighbour() {
    // 1.0625 a thousand times: each result is 38 (1.0) or 39 (1.125); both occur (p = 1/2).
    String input = "3f880000\n".repeat(1000);
    CliRun a = CliRun.run(input, "convert", "--to", "e4m3", "--stochastic-seed", "42");
    CliRun b = CliRun.run(input, "convert", "--to", "e4m3", "--stochastic-seed", "42");
    CliRun c = CliRun.run(input, "convert", "--to", "e4m3", "--stochastic-seed", "43");
    assertEquals(0, a.exitCode(), a.err());
    assertEquals(a.out(), b.out(), "same seed, same output");
    assertNotEquals(a.out(), c.out(), "another seed, other output");
    long ups = 0;
    for (String line : a.lines()) {
      assertTrue(line.equals("38") || line.equals("39"), line);
      if (line.equals("39")) {
        ups++;
      }
    }
    // Binomial(1000, 1/2): sigma = 15.8; 6 sigma = 95.
    assertTrue(Math.abs(ups - 500) < 95, "ups = " + ups);
    assertEquals(1000, a.lines().length);
  }
}

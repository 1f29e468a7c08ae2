package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tcsim formats}, run in-process; the expected numbers are the published ones
 * (docs/hardware-facts.md, Number formats;
 * IEEE 754-2019), written out by hand.
 */
class FormatsCommandTest {

  private static String rowOf(CliRun r, String name) {
    return Arrays.stream(r.lines()).filter(l -> l.startsWith(name + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + name + " in\n" + r.out()));
  }

  private static List<String> cells(String row) {
    return Arrays.asList(row.trim().split("\\s{2,}"));
  }

  @Test
  void tableListsEveryFormatWithItsPublishedRange() {
    CliRun r = CliRun.run("", "formats");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(List.of("e4m3", "float8_e4m3fn", "8", "4", "3", "7", "448", "2^-6", "2^-9",
        "NaN only (7f, ff), no Inf"), cells(rowOf(r, "e4m3")));
    assertEquals(List.of("e5m2", "float8_e5m2", "8", "5", "2", "15", "57344", "2^-14", "2^-16",
        "+-Inf, NaN"), cells(rowOf(r, "e5m2")));
    assertEquals(List.of("e8m0", "float8_e8m0fnu", "8", "8", "0", "127", "2^127", "2^-127", "none",
        "NaN only (ff), no Inf, no zero"), cells(rowOf(r, "e8m0")));
    assertEquals(List.of("e2m1", "float4_e2m1fn", "4", "2", "1", "1", "6", "2^0", "2^-1",
        "none (overflow saturates)"), cells(rowOf(r, "e2m1")));
    assertEquals("65504", cells(rowOf(r, "fp16")).get(6));
    assertEquals("2^-24", cells(rowOf(r, "fp16")).get(8));
    assertEquals("255*2^120", cells(rowOf(r, "bf16")).get(6)); // (2 - 2^-7) * 2^127
    assertEquals("16777215*2^104", cells(rowOf(r, "fp32")).get(6)); // (2 - 2^-23) * 2^127
    for (String name : List.of("ue4m3", "e2m3", "e3m2", "tf32")) {
      rowOf(r, name);
    }
  }

  /**
   * The dtype column holds only names NumPy or ml_dtypes define (ml_dtypes README, jax-ml/ml_dtypes:
   * its list of types; NumPy: float16, float32), and '-' for UE4M3 and TF32, which neither has.
   */
  @Test
  void dtypeColumnListsOnlyRealNames() {
    CliRun r = CliRun.run("", "formats");
    assertEquals("dtype", cells(r.lines()[0]).get(1));
    List<String> real = List.of("float8_e4m3fn", "float8_e5m2", "float8_e8m0fnu", "float6_e2m3fn",
        "float6_e3m2fn", "float4_e2m1fn", "bfloat16", "float16", "float32");
    for (String format : List.of("e4m3", "e5m2", "e8m0", "e2m3", "e3m2", "e2m1", "bf16", "fp16",
        "fp32")) {
      assertTrue(real.contains(cells(rowOf(r, format)).get(1)), rowOf(r, format));
    }
    assertEquals("-", cells(rowOf(r, "ue4m3")).get(1));
    assertEquals("-", cells(rowOf(r, "tf32")).get(1));
  }

  @Test
  void cudaAndPytorchNamesWorkAndLookAlikesAreRefused() {
    CliRun cuda = CliRun.run("", "formats", "CUDA_R_8F_E4M3");
    assertEquals(0, cuda.exitCode(), cuda.err());
    assertTrue(cuda.out().startsWith("format         e4m3 (dtype float8_e4m3fn)"), cuda.out());
    assertTrue(cuda.out().contains("r_8f_e4m3") && cuda.out().contains("e4m3fn"), cuda.out());
    CliRun ieee = CliRun.run("", "formats", "float8_e4m3");
    assertEquals(2, ieee.exitCode());
    assertEquals("tcsim formats: float8_e4m3 is ml_dtypes' IEEE-like E4M3 (max 240, has Inf); "
        + "tensor cores use float8_e4m3fn (OCP E4M3: max 448, no Inf), named e4m3 here",
        ieee.err().lines().findFirst().orElse(""));
    assertEquals("", ieee.out());
    CliRun amd = CliRun.run("", "formats", "float8_e5m2fnuz");
    assertEquals(2, amd.exitCode());
    assertTrue(amd.err().contains("AMD") && amd.err().contains("float8_e5m2"), amd.err());
  }

  @Test
  void detailOfOneFormat() {
    CliRun r = CliRun.run("", "formats", "float8_e4m3fn");
    assertEquals(0, r.exitCode(), r.err());
    String out = r.out();
    assertTrue(out.contains("s eeee mmm"), out);
    assertTrue(out.contains("448 = 7*2^6  (code 7e)"), out);
    assertTrue(out.contains("0.015625 = 2^-6  (code 08)"), out);
    assertTrue(out.contains("0.001953125 = 2^-9  (code 01)"), out);
    assertTrue(out.contains("OFP8"), out);
    CliRun tf32 = CliRun.run("", "formats", "tf32");
    assertTrue(tf32.out().contains("FP32 register"), tf32.out());
  }

  @Test
  void codesOfE2M1AreThePublishedValues() {
    CliRun r = CliRun.run("", "formats", "e2m1", "--codes");
    assertEquals(0, r.exitCode(), r.err());
    List<String> codeLines = Arrays.stream(r.lines()).filter(l -> !l.startsWith("#")).toList();
    assertEquals(16, codeLines.size());
    // OCP MX v1.0, E2M1: 0, .5, 1, 1.5, 2, 3, 4, 6.
    String[] values = {"0", "0.5", "1", "1.5", "2", "3", "4", "6"};
    for (int c = 0; c < 16; c++) {
      List<String> cells = cells(codeLines.get(c));
      assertEquals(Integer.toHexString(c), cells.get(0));
      String expected = (c >= 8 ? "-" : "") + values[c % 8];
      assertEquals(expected, cells.get(3), "value of code " + c);
    }
    assertEquals(List.of("7", "0 11 1", "normal", "6", "3*2^1"), cells(codeLines.get(7)));
    assertEquals(List.of("1", "0 00 1", "subnormal", "0.5", "1*2^-1"), cells(codeLines.get(1)));
    assertEquals(List.of("8", "1 00 0", "zero", "-0"), cells(codeLines.get(8)));
  }

  @Test
  void codesOfE4M3() {
    CliRun r = CliRun.run("", "formats", "e4m3", "--codes");
    List<String> codeLines = Arrays.stream(r.lines()).filter(l -> !l.startsWith("#")).toList();
    assertEquals(256, codeLines.size());
    assertEquals(List.of("7e", "0 1111 110", "normal", "448", "14*2^5"), cells(codeLines.get(0x7e)));
    assertEquals(List.of("7f", "0 1111 111", "nan", "NaN"), cells(codeLines.get(0x7f)));
    assertEquals(List.of("ff", "1 1111 111", "nan", "NaN"), cells(codeLines.get(0xff)));
    assertEquals("0.001953125", cells(codeLines.get(0x01)).get(3));
    assertEquals("-0.015625", cells(codeLines.get(0x88)).get(3));
  }

  @Test
  void codesOfSixteenBitFormatsAreAllListed() {
    CliRun r = CliRun.run("", "formats", "fp16", "--codes");
    List<String> codeLines = Arrays.stream(r.lines()).filter(l -> !l.startsWith("#")).toList();
    assertEquals(65536, codeLines.size());
    assertEquals(List.of("7bff", "0 11110 1111111111", "normal", "65504", "2047*2^5"),
        cells(codeLines.get(0x7bff)));
    assertEquals(List.of("7c00", "0 11111 0000000000", "infinite", "+Inf"), cells(codeLines.get(0x7c00)));
    assertEquals("5.9604644775390625E-8", cells(codeLines.get(1)).get(3)); // 2^-24, exactly
  }

  @Test
  void codesOfWideFormatsAreRefused() {
    for (String name : List.of("tf32", "float32")) {
      CliRun r = CliRun.run("", "formats", name, "--codes");
      assertEquals(2, r.exitCode());
      assertTrue(r.err().contains("up to 16 bits"), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void unknownFormatAndCodesWithoutFormatAreErrors() {
    CliRun unknown = CliRun.run("", "formats", "e4m4");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("unknown format 'e4m4'"), unknown.err());
    CliRun noFormat = CliRun.run("", "formats", "--codes");
    assertEquals(2, noFormat.exitCode());
    assertTrue(noFormat.err().contains("--codes needs a FORMAT"), noFormat.err());
  }
}

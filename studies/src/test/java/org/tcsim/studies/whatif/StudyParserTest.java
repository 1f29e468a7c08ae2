package org.tcsim.studies.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudyParserTest {

  private static StudySpec parse(String text) throws IOException {
    return StudyParser.parse(new StringReader(text), "t.study");
  }

  private static StudyFormatException error(String text) {
    return assertThrows(StudyFormatException.class, () -> parse(text));
  }

  @Test
  void readsSettingsFixedParametersAndAxes() throws IOException {
    StudySpec s = parse("""
        # a comment line
        title = Width   # trailing comment
        kind = accuracy
        output = width
        m = 32

        sweep = accumulator_bits: 10..16 by 3
        series = k: 512, 4096
        promotion_interval = 0
        sms = 66
        """);
    assertEquals(StudySpec.Kind.ACCURACY, s.kind());
    assertEquals("Width", s.title());
    assertEquals(32, s.m());
    assertEquals(128, s.n());
    assertEquals("accumulator_bits", s.sweep().param());
    assertEquals(List.of("10", "13", "16"), s.sweep().values());
    assertEquals(List.of("512", "4096"), s.series().values());
    assertEquals("0", s.fixed().get("promotion_interval"));
    assertEquals("66", s.fixed().get("sms"));
    assertEquals(StudySpec.Reference.DEQUANTIZED, s.reference());
  }

  @Test
  void rangeWithFractionalStepHasExactEnds() throws IOException {
    StudySpec s = parse("kind = timing\noutput = o\ntrace = x\nsweep = hbm_tbps: 2..3 by 0.5\n");
    assertEquals(List.of("2", "2.5", "3"), s.sweep().values());
    assertNull(s.series());
  }

  @Test
  void unknownKeyNamesFileLineKeyAndTheKnownKeys() {
    StudyFormatException e = error("kind = accuracy\noutput = o\nalignmnt_bits = 3\n");
    assertEquals(3, e.line());
    assertEquals("alignmnt_bits", e.key());
    assertTrue(e.getMessage().startsWith("t.study line 3 (alignmnt_bits)"), e.getMessage());
    assertTrue(e.getMessage().contains("alignment_bits"), e.getMessage());
    assertTrue(e.getMessage().contains("hbm_tbps"), e.getMessage());
  }

  @Test
  void badValuesAreRefusedWithTheirLine() {
    assertEquals(2, error("kind = accuracy\nrecipe = mx-round\n").line());
    assertEquals(1, error("normalised_bits = 24\n").line());
    assertEquals(1, error("sweep = k: 512, , 1024\n").line());
    // A list of nothing but commas, or with a trailing comma, once parsed as no values / fewer.
    assertTrue(error("sweep = accumulator_bits:,\n").getMessage().contains("empty value"));
    assertTrue(error("sweep = k: 512,\n").getMessage().contains("empty value"));
    assertEquals(1, error("sweep = k: 9..3\n").line());
    assertEquals(1, error("sweep = element: e4m3, fp16\n").line());
    assertEquals(2, error("kind = accuracy\nkind = timing\n").line());
    assertEquals(1, error("just text\n").line());
    assertEquals(1, error("kind = sometimes\n").line());
  }

  @Test
  void missingRequiredKeysAndContradictionsAreNamed() {
    assertEquals("sweep", error("kind = accuracy\noutput = o\n").key());
    assertEquals("kind", error("output = o\nsweep = k: 1\n").key());
    assertEquals("series",
        error("kind = accuracy\noutput = o\nsweep = k: 1\nseries = k: 2\n").key());
    StudyFormatException both = error("kind = accuracy\noutput = o\nk = 5\nsweep = k: 1, 2\n");
    assertTrue(both.getMessage().contains("both swept and fixed"), both.getMessage());
    assertEquals("sweep",
        error("kind = timing\noutput = o\ntrace = t\nsweep = recipe: tensor\n").key());
    assertEquals("trace", error("kind = timing\noutput = o\nsweep = sms: 1\n").key());
    assertEquals("output", error("kind = accuracy\noutput = ../x\nsweep = k: 1\n").key());
  }

  @Test
  void blockSizeIsARecipeParameter() throws IOException {
    StudySpec s = parse("kind = accuracy\noutput = o\nsweep = block_size: 8, 16, 32, 64, 128, 256\n"
        + "series = recipe: mx-rceil, 1x128, tensor\n");
    assertEquals(List.of("8", "16", "32", "64", "128", "256"), s.sweep().values());
    assertEquals("recipe", StudyParam.BLOCK_SIZE.group());
    StudySpec fixed = parse("kind = accuracy\noutput = o\nrecipe = deepseek\nblock_size = 64\n"
        + "sweep = k: 1024\n");
    assertEquals("64", fixed.fixed().get("block_size"));
  }

  @Test
  void badBlockSizesAreRefusedNamingTheLine() {
    StudyFormatException e = error("kind = accuracy\noutput = o\n"
        + "sweep = block_size: 32, 48\n");
    assertTrue(e.getMessage().startsWith("t.study line 3 (sweep)"), e.getMessage());
    assertTrue(e.getMessage().contains("block_size value 48: block size must be a power of two "
        + "from 2 to 1024, got 48"), e.getMessage());
    e = error("kind = accuracy\noutput = o\nblock_size = 2048\nsweep = k: 64\n");
    assertTrue(e.getMessage().startsWith("t.study line 3 (block_size)"), e.getMessage());
    e = error("kind = accuracy\noutput = o\nblock_size = x\nsweep = k: 64\n");
    assertTrue(e.getMessage().contains("'x' is not a whole number"), e.getMessage());
  }

  @Test
  void blockSizeWithoutABlockedRecipeIsRefused() {
    StudyFormatException e = error("kind = accuracy\noutput = o\nrecipe = nvfp4\n"
        + "sweep = block_size: 16, 32\n");
    assertTrue(e.getMessage().startsWith("t.study line 4 (block_size)"), e.getMessage());
    assertTrue(e.getMessage().contains("recipe is nvfp4"), e.getMessage());
    e = error("kind = accuracy\noutput = o\nblock_size = 64\nsweep = k: 64\n");
    assertTrue(e.getMessage().contains("recipe is tensor (the default)"), e.getMessage());
    e = error("kind = accuracy\noutput = o\nblock_size = 64\nsweep = recipe: tensor, rowwise\n");
    assertTrue(e.getMessage().contains("recipes are tensor, rowwise"), e.getMessage());
  }
}

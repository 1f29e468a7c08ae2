package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhatifCommandTest {
  @TempDir Path dir;

  @Test
  void tinyAccuracyStudyWritesCsvAndChartsAndWiderAccumulatorIsMoreAccurate() throws IOException {
    Path study = dir.resolve("w.study");
    Files.writeString(study, """
        kind = accuracy
        m = 8
        n = 8
        k = 2048
        promotion_interval = 0
        sweep = accumulator_bits: 10, 25
        series = recipe: tensor, 1x128
        output = w
        """);
    CliRun r = CliRun.of("whatif", study.toString(), "--threads", "1");
    assertEquals(0, r.exit(), r.err());
    List<String> csv = Files.readAllLines(dir.resolve("w.csv"));
    assertEquals("accumulator_bits,recipe,normwise_rel_err,mean_rel_err,max_rel_err,"
        + "median_rel_err,compared,non_finite,time_us,tflops,note", csv.get(2));
    assertEquals(7, csv.size());
    // Truncating to 10 bits over 2048 products without promotion must lose more than 25 bits.
    double narrow = Double.parseDouble(csv.get(3).split(",")[2]);
    double wide = Double.parseDouble(csv.get(4).split(",")[2]);
    assertTrue(narrow > 10 * wide, narrow + " vs " + wide);
    // 1x128 scales cannot be applied without promotion: refused, with the reason, no figures.
    assertTrue(csv.get(5).startsWith("10,1x128,,"), csv.get(5));
    assertTrue(csv.get(5).contains("refused"), csv.get(5));
    assertTrue(Files.size(dir.resolve("w.png")) > 1000);
    assertTrue(Files.exists(dir.resolve("w-time.png")));
  }

  @Test
  void timingStudyOnExampleTraceGetsFasterWithMoreSms() throws IOException {
    Path study = dir.resolve("t.study");
    Files.writeString(study, "kind = timing\ntrace = llama3_8b_layer\nsweep = sms: 33, 132\n"
        + "output = t\n");
    CliRun r = CliRun.of("whatif", study.toString());
    assertEquals(0, r.exit(), r.err());
    List<String> csv = Files.readAllLines(dir.resolve("t.csv"));
    double slow = Double.parseDouble(csv.get(3).split(",")[1]);
    double fast = Double.parseDouble(csv.get(4).split(",")[1]);
    assertTrue(slow > 2 * fast, slow + " vs " + fast);
  }

  @Test
  void badStudyFileExitsTwoNamingFileLineAndKey() throws IOException {
    Path study = dir.resolve("bad.study");
    Files.writeString(study, "kind = accuracy\noutput = o\nsweep = k: 64\nrecipes = tensor\n");
    CliRun r = CliRun.of("whatif", study.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("bad.study line 4 (recipes)"), r.err());
    assertEquals(2, CliRun.of("whatif", dir.resolve("missing.study").toString()).exit());
  }

  @Test
  void trainTwoRecipesWritesLossColumnsAndRefusesUnknownRecipe() throws IOException {
    Path csv = dir.resolve("loss.csv");
    CliRun r = CliRun.of("train", "--recipe", "fp32,tensor-current", "--steps", "3",
        "--batch", "32", "--hidden", "16", "--threads", "1", "--out", csv.toString(),
        "--chart", dir.resolve("loss.png").toString());
    assertEquals(0, r.exit(), r.err());
    List<String> lines = Files.readAllLines(csv);
    assertEquals("step,fp32,tensor-current", lines.get(1));
    assertEquals(3, lines.get(4).split(",").length);
    assertTrue(Files.size(dir.resolve("loss.png")) > 1000);
    CliRun bad = CliRun.of("train", "--recipe", "int8", "--steps", "1");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("unknown training recipe"), bad.err());
  }

  /** block_size sweep: refused where a group is smaller than a chunk; 128 equals the default. */
  @Test
  void blockSizeStudyRunsAndItsDefaultMatchesTheRecipe() throws IOException {
    String common = "kind = accuracy\ndatapath = b200\nm = 8\nn = 8\nk = 1024\n"
        + "promotion_interval = 1\ndistribution = outliers\nreference = original\n";
    Path study = dir.resolve("b.study");
    Files.writeString(study, common
        + "sweep = block_size: 16, 32, 128, 256\nseries = recipe: mx-rceil, 1x128\noutput = b\n");
    CliRun r = CliRun.of("whatif", study.toString(), "--threads", "1");
    assertEquals(0, r.exit(), r.err());
    List<String> csv = Files.readAllLines(dir.resolve("b.csv"));
    assertEquals(11, csv.size());
    assertTrue(csv.get(3).startsWith("16,mx-rceil,0."), csv.get(3));
    // 1x128 groups of 16 are smaller than one 32-K promotion chunk: refused, with the reason.
    assertTrue(csv.get(7).startsWith("16,1x128,,"), csv.get(7));
    assertTrue(csv.get(7).contains("promotion chunks of 32 K"), csv.get(7));
    // Groups of 32 and 256 quantise differently, so their errors differ.
    assertTrue(!csv.get(8).split(",")[2].equals(csv.get(10).split(",")[2]), csv.toString());
    Path plain = dir.resolve("p.study");
    Files.writeString(plain, common + "recipe = 1x128\nsweep = element: e4m3\noutput = p\n");
    r = CliRun.of("whatif", plain.toString(), "--threads", "1");
    assertEquals(0, r.exit(), r.err());
    String def = Files.readAllLines(dir.resolve("p.csv")).get(3).split(",")[1];
    assertEquals(def, csv.get(9).split(",")[2], "block_size 128 is 1x128's own");
  }
}

package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeCommandTest {
  @TempDir Path dir;

  /** Runs the CLI, returning exit code, stdout, stderr. */
  private static Object[] run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Object[] {code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void singleShapePrintsTheBreakdown() {
    Object[] r = run("time", "--gpu", "h800", "--m", "4096", "--n", "7168", "--k", "16384");
    assertEquals(0, r[0], (String) r[2]);
    String out = (String) r[1];
    for (String word : List.of("TFLOPS", "bound", "waves", "mma", "hbm", "l2", "cuda_cores", "tile")) {
      assertTrue(out.contains(word), word + " missing in\n" + out);
    }
  }

  @Test
  void explicitTileStagesAndClusterAreUsed() {
    Object[] r = run("time", "--gpu", "h800", "--m", "256", "--n", "7168", "--k", "7168", "--tile", "128x128x128",
        "--stages", "5", "--cluster", "1x1");
    assertEquals(0, r[0], (String) r[2]);
    String out = (String) r[1];
    assertTrue(out.contains("tile 128x128x128, 5 stages, cluster 1x1"), out);
    assertTrue(out.contains("over 112 CTAs"), out); // 256/128 x 7168/128 = 112 tiles on 132 SMs
  }

  /**
   * --library pins the tile the GPU catalogue says the library runs for the recipe (cuBLASLt's
   * block-scaled kernels on sm_90: 128x128 at every shape, its API log on an H200); without one the
   * search runs, and a recipe the library has no single tile for searches too.
   */
  @Test
  void libraryPinsItsOwnTileWhereTheCatalogueHasOne() {
    String[] shape = {"time", "--gpu", "h200", "--m", "64", "--n", "4096", "--k", "7168"};
    Object[] cublas = run(cat(shape, "--recipe", "block", "--library", "cublaslt"));
    assertEquals(0, cublas[0], (String) cublas[2]);
    String out = (String) cublas[1];
    assertTrue(out.contains("tile 128x128: cublaslt on h200 runs it for block at every shape"), out);
    assertTrue(out.contains("kernel tile 128x128x128"), out);
    Object[] search = run(cat(shape, "--recipe", "block"));
    assertEquals(0, search[0], (String) search[2]);
    assertTrue(!((String) search[1]).contains("kernel tile 128x128x128"), (String) search[1]);
    Object[] tensor = run(cat(shape, "--recipe", "tensor", "--library", "cublaslt"));
    assertEquals(0, tensor[0], (String) tensor[2]);
    assertTrue(!((String) tensor[1]).contains("GPU catalogue"), (String) tensor[1]);
    Object[] unknown = run(cat(shape, "--library", "cublas-ng"));
    assertEquals(2, unknown[0]);
    assertTrue(((String) unknown[2]).contains("unknown library 'cublas-ng'"), (String) unknown[2]);
  }

  /** A library column of a measured-GEMM file is resolved the same way, errors naming the line. */
  @Test
  void aLibraryColumnResolvesThroughTheCatalogue() throws Exception {
    Path csv = dir.resolve("lib.csv");
    java.nio.file.Files.writeString(csv, "gpu,recipe,groups,m,n,k,tflops,library\n"
        + "h200,block,1,64,4096,7168,144,cublaslt\n"
        + "h200,block,1,64,4096,7168,144,\n");
    java.util.List<org.tcsim.timing.validate.MeasuredGemm> rows =
        org.tcsim.timing.validate.MeasuredGemmCsv.parse(java.nio.file.Files.readAllLines(csv),
            csv.toString(), TimeValidation.CATALOGUE_TILES);
    assertEquals("128x128", rows.get(0).tile());
    assertEquals("", rows.get(1).tile());
    java.nio.file.Files.writeString(csv, "gpu,recipe,groups,m,n,k,tflops,library\n"
        + "h200,block,1,64,4096,7168,144,nope\n");
    Object[] r = run("time", "--validate", csv.toString());
    assertEquals(2, r[0]);
    assertTrue(((String) r[2]).contains("line 2: field library: unknown library 'nope'"), (String) r[2]);
  }

  private static String[] cat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void shapesFileGivesTflopsConsistentWithTime() throws Exception {
    Path shapes = dir.resolve("shapes.csv");
    Files.writeString(shapes, "# comment\nm,n,k,groups\n4096,7168,16384,1\n64,2112,7168,4\n");
    Path out = dir.resolve("out.csv");
    Object[] r = run("time", "--gpu", "h200", "--shapes", shapes.toString(), "--out", out.toString());
    assertEquals(0, r[0], (String) r[2]);
    List<String> lines = Files.readAllLines(out);
    assertEquals(3, lines.size());
    List<String> header = Arrays.asList(lines.get(0).split(","));
    assertTrue(header.containsAll(List.of("m", "n", "k", "groups", "tflops", "us", "bound")), lines.get(0));
    for (String line : lines.subList(1, 3)) {
      String[] f = line.split(",");
      double m = Double.parseDouble(f[header.indexOf("m")]);
      double n = Double.parseDouble(f[header.indexOf("n")]);
      double k = Double.parseDouble(f[header.indexOf("k")]);
      double g = Double.parseDouble(f[header.indexOf("groups")]);
      double us = Double.parseDouble(f[header.indexOf("us")]);
      double tflops = Double.parseDouble(f[header.indexOf("tflops")]);
      double expected = 2 * m * n * k * g / (us * 1e-6) / 1e12;
      assertEquals(expected, tflops, 0.001 * expected + 0.1, line);
    }
    assertTrue(lines.get(2).startsWith("64,2112,7168,4,"), lines.get(2));
  }

  @Test
  void unknownGpuListsTheKnownOnes() {
    Object[] r = run("time", "--gpu", "mi300x", "--m", "1", "--n", "1", "--k", "1");
    assertEquals(2, r[0]);
    String err = (String) r[2];
    assertTrue(err.contains("mi300x") && err.contains("h800") && err.contains("b200"), err);
  }

  @Test
  void crossValidationNeedsAFileOfMeasurements() {
    for (String option : new String[] {"--loso=x.csv", "--fit"}) {
      Object[] r = run("time", "--gpu", "h800", "--m", "128", "--n", "128", "--k", "128", option);
      assertEquals(2, r[0], option);
      assertTrue(((String) r[2]).contains("need --validate"), (String) r[2]);
    }
  }

  @Test
  void aMaskedLayoutCountsOnlyTheValidRows() {
    Object[] r = run("time", "--gpu", "h800", "--m", "256", "--n", "1024", "--k", "1024", "--masked-m", "256,0,128");
    assertEquals(0, r[0], (String) r[2]);
    String out = (String) r[1];
    assertTrue(out.contains("x 3 group(s)") && out.contains("masked layout: 384 valid rows of 768"), out);
    Object[] bad = run("time", "--gpu", "h800", "--m", "256", "--n", "1024", "--k", "1024", "--masked-m", "300");
    assertEquals(2, bad[0]);
    assertTrue(((String) bad[2]).contains("group 0 has 300 rows"), (String) bad[2]);
  }

  @Test
  void scalingIsTheSameOptionAsRecipeAsTcsimGemmSpellsIt() {
    Object[] viaRecipe = run("time", "--gpu", "b200", "--m", "1024", "--n", "1024", "--k", "1024", "--recipe", "nvfp4");
    Object[] viaScaling = run("time", "--gpu", "b200", "--m", "1024", "--n", "1024", "--k", "1024", "--scaling", "nvfp4");
    assertEquals(0, viaScaling[0], (String) viaScaling[2]);
    assertTrue(((String) viaScaling[1]).contains("recipe nvfp4"), (String) viaScaling[1]);
    assertEquals(viaRecipe[1], viaScaling[1]);
  }

  @Test
  void theGpuLineGivesTheFp4PeakOnlyWhereTheGpuHasFp4Mmas() {
    // B200: 148 SMs x 1.8557 GHz x 32768 FLOP/clk = 9000 TFLOPS dense FP4 (datasheet 9 PFLOPS).
    Object[] b200 = run("time", "--gpu", "b200", "--m", "1024", "--n", "1024", "--k", "1024", "--recipe", "nvfp4");
    assertTrue(((String) b200[1]).contains("peak 4500 FP8 / 9000 FP4 TFLOPS"), (String) b200[1]);
    Object[] h800 = run("time", "--gpu", "h800", "--m", "1024", "--n", "1024", "--k", "1024");
    assertTrue(((String) h800[1]).contains("peak 1979 FP8 TFLOPS,"), (String) h800[1]);
  }

  @Test
  void theA100RefusesFp8RecipesWithTheReason() {
    // sm_80 has no FP8 MMA (PTX ISA: the .e4m3/.e5m2 mma forms need sm_89): its machine says so.
    for (String recipe : new String[] {"tensor", "rowwise", "block", "mxfp8", "nvfp4"}) {
      Object[] r = run("time", "--gpu", "a100", "--m", "128", "--n", "128", "--k", "128", "--recipe", recipe);
      assertEquals(2, r[0], recipe);
      String err = (String) r[2];
      assertTrue(err.contains("refused") && err.contains("a100") && err.contains("FP"), err);
    }
  }

  @Test
  void badSetKeyNamesTheValidKeys() {
    Object[] r = run("time", "--gpu", "h800", "--m", "64", "--n", "64", "--k", "64", "--set", "hbm_bw=6");
    assertEquals(2, r[0]);
    String err = (String) r[2];
    assertTrue(err.contains("hbm_bw") && err.contains("hbm_tbps") && err.contains("sms"), err);
  }

  @Test
  void unreadableFilesSayWhy() throws Exception {
    Path missing = dir.resolve("missing.csv");
    Object[] r = run("time", "--validate", missing.toString());
    assertEquals(2, r[0]);
    assertEquals("tcsim time: cannot read " + missing + ": no such file or folder", ((String) r[2]).strip());

    r = run("time", "--gpu", "h800", "--m", "64", "--n", "64", "--k", "64", "--set-file", missing.toString());
    assertEquals(2, r[0]);
    assertEquals("tcsim time: cannot read --set-file " + missing + ": no such file or folder",
        ((String) r[2]).strip());

    Path latin1 = dir.resolve("latin1.csv");
    Files.write(latin1, new byte[] {'g', 'p', 'u', (byte) 0xE9, '\n'});
    r = run("time", "--validate", latin1.toString());
    assertEquals(2, r[0]);
    assertEquals("tcsim time: cannot read " + latin1 + ": not UTF-8 text", ((String) r[2]).strip());
  }

  @Test
  void setChangesThePrediction() {
    Object[] base = run("time", "--gpu", "h800", "--m", "64", "--n", "7168", "--k", "16384");
    Object[] fast = run("time", "--gpu", "h800", "--m", "64", "--n", "7168", "--k", "16384", "--set", "hbm_tbps=6.7");
    assertEquals(0, fast[0], (String) fast[2]);
    assertTrue(!base[1].equals(fast[1]));
  }

  @Test
  void malformedShapesNameLineAndField() throws Exception {
    Path shapes = dir.resolve("bad.csv");
    Files.writeString(shapes, "m,n,k\n64,2112,7168\n64,2112,seven\n");
    Object[] r = run("time", "--gpu", "h800", "--shapes", shapes.toString(), "--out", dir.resolve("o.csv").toString());
    assertEquals(2, r[0]);
    String err = (String) r[2];
    assertTrue(err.contains("line 3") && err.contains("field k") && err.contains("seven"), err);

    Path noHeader = dir.resolve("nohdr.csv");
    Files.writeString(noHeader, "rows,cols\n1,2\n");
    Object[] r2 = run("time", "--gpu", "h800", "--shapes", noHeader.toString(), "--out", dir.resolve("p.csv").toString());
    assertEquals(2, r2[0]);
    assertTrue(((String) r2[2]).contains("line 1"), (String) r2[2]);
  }

  @Test
  void sweepWritesCsvAndPngChart() throws Exception {
    Path csv = dir.resolve("sweep.csv");
    Path png = dir.resolve("sweep.png");
    Object[] r = run("time", "--gpu", "h800", "--m", "4096", "--n", "4096", "--k", "4096", "--sweep", "sms=66:198:22",
        "--out", csv.toString(), "--chart", png.toString());
    assertEquals(0, r[0], (String) r[2]);
    List<String> lines = Files.readAllLines(csv);
    assertEquals(8, lines.size()); // header + 66, 88, ..., 198
    assertTrue(lines.get(0).startsWith("sms,"), lines.get(0));
    assertTrue(lines.get(1).startsWith("66,") && lines.get(7).startsWith("198,"), lines.toString());
    byte[] magic = Arrays.copyOf(Files.readAllBytes(png), 8);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, magic);
  }

  @Test
  void validateReportsErrorsAndMapeAndRejectsBadRowsWithExitTwo() throws Exception {
    Path good = dir.resolve("m.csv");
    Files.writeString(good, "gpu,recipe,groups,m,n,k,tflops,source,power_limit_w\n"
        + "h100,tensor,1,1,12288,5376,5.16,vllm,\nh100,tensor,1,1,12288,5376,5.16,vllm,500\n");
    Object[] r = run("time", "--validate", good.toString());
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("MAPE") && ((String) r[1]).contains("gpu h100"), (String) r[1]);
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "gpu,recipe,groups,m,n,k,tflops\nh800,mxfp8,1,4096,4096,4096,1000\n");
    r = run("time", "--validate", bad.toString());
    assertEquals(2, r[0]);
    assertTrue(((String) r[2]).contains("line 2") && ((String) r[2]).contains("refused"), (String) r[2]);
  }
}

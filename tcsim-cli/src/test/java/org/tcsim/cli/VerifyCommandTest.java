package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcsim verify}: the project's main job, on embedded and on user files. */
class VerifyCommandTest {

  static final String HEADER = "gpu,a_format,b_format,c_format,d_format,k,a,b,c,d\n";
  // A row measured on an H100 (h100_e4m3.csv, line 9; Khattak & Mikaitis, BSD-2-Clause).
  static final String H100_ROW = "h100,e4m3,e4m3,fp32,fp32,32,37 38 aa 3b b3 2a 38 3e 36 35"
      + " b8 2b 0f 29 38 35 b8 37 03 ba ae a6 3a 3d 92 26 b0 af b3 33 42 2d,31 b2 2d 29 bf 2f bc b9"
      + " 1b b3 b5 40 87 41 21 aa b7 3f b2 31 ad 9d b8 3a 3d 3b 9b 86 bc ac 12 83,00000000,40727c00";

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void embeddedSetsAllMatchAndTheLastLineIsTheTotal() {
    CliRun r = CliRun.of("verify");
    assertEquals(0, r.exit(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.contains("h100_e4m3.csv: 10000/10000 bit-exact"), r.out());
    assertTrue(lines.contains("ada_e4m3.csv: 10000/10000 bit-exact"), r.out());
    assertTrue(lines.contains("a100_fp16.csv: 5000/5000 bit-exact"), r.out());
    assertEquals("total: 97168/97168 bit-exact", lines.get(lines.size() - 1));
  }

  @Test
  void aUserFileThatMatchesPasses() throws IOException {
    Path p = file("one.csv", "# one row\n" + HEADER + H100_ROW + "\n");
    CliRun r = CliRun.of("verify", p.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(List.of(p + ": 1/1 bit-exact", "total: 1/1 bit-exact"), r.out().lines().toList());
  }

  @Test
  void crlfLineEndsAreAccepted() throws IOException {
    Path p = file("crlf.csv", ("# one row\n" + HEADER + H100_ROW + "\n").replace("\n", "\r\n"));
    assertEquals(0, CliRun.of("verify", p.toString()).exit());
  }

  @Test
  void aMismatchFailsAndIsShownWithItsErrors() throws IOException {
    Path p = file("bad.csv", HEADER + H100_ROW.replace(",40727c00", ",40727c01") + "\n");
    CliRun r = CliRun.of("verify", p.toString());
    assertEquals(1, r.exit());
    assertTrue(r.out().contains(p + ": 0/1 bit-exact"), r.out());
    assertTrue(r.out().contains("MISMATCH " + p + ":2"), r.out());
    assertTrue(r.out().contains("hardware 40727c01"), r.out());
    assertTrue(r.out().contains("model    40727c00"), r.out());
    assertTrue(r.out().contains("exact    "), r.out());
  }

  @Test
  void jsonHoldsTheSameResult() throws IOException {
    Path p = file("bad.csv", HEADER + H100_ROW.replace(",40727c00", ",40727c01") + "\n");
    Path json = dir.resolve("r.json");
    CliRun r = CliRun.of("verify", p.toString(), "--json", json.toString());
    assertEquals(1, r.exit());
    com.google.gson.JsonObject doc = com.google.gson.JsonParser.parseString(
        Files.readString(json)).getAsJsonObject();
    assertEquals(1, doc.get("exit_code").getAsInt());
    com.google.gson.JsonObject f = doc.getAsJsonArray("files").get(0).getAsJsonObject();
    assertEquals(p.toString(), f.get("name").getAsString());
    assertEquals(1, f.get("compared").getAsInt());
    assertEquals(0, f.get("bit_exact").getAsInt());
    com.google.gson.JsonObject m = f.getAsJsonArray("mismatches").get(0).getAsJsonObject();
    assertEquals(2, m.get("line").getAsInt());
    assertEquals("0x40727c01", m.get("hardware").getAsString());
    assertEquals("0x40727c00", m.get("model").getAsString());
    assertTrue(m.get("diagnosis").getAsString().startsWith("diagnosis:"), m.toString());
    assertEquals(1, doc.getAsJsonObject("total").get("compared").getAsInt());
    assertEquals(1, doc.getAsJsonObject("by_preset").getAsJsonObject("h100.fp8.fp32")
        .get("compared").getAsInt());
  }

  @Test
  void comparingNothingIsAFailure() throws IOException {
    // C in FP16 beside D in FP32: no preset runs that, so the only row is skipped.
    Path p = file("nopreset.csv", HEADER + H100_ROW.replace("e4m3,fp32,fp32", "e4m3,fp16,fp32")
        .replace(",00000000,", ",0000,") + "\n");
    CliRun r = CliRun.of("verify", p.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("FAILED: no row was compared"), r.err());
    assertTrue(r.out().contains("skipped 1 with no modelled datapath"), r.out());
  }

  @Test
  void anUnknownGpuIsAnInputErrorWithFileAndLine() throws IOException {
    Path p = file("unknown.csv", HEADER + H100_ROW.replace("h100,", "mi300x,") + "\n");
    CliRun r = CliRun.of("verify", p.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(p + ":2 [gpu]: unknown GPU 'mi300x'; known: h100"), r.err());
  }

  @Test
  void malformedInputNamesFileLineAndField() throws IOException {
    Path p = file("hex.csv", HEADER + H100_ROW.replace(" 2d,", " 2g,") + "\n");
    CliRun r = CliRun.of("verify", p.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(p + ":2 [a[31]]: '2g' is not hexadecimal"), r.err());
  }

  @Test
  void wrongCodeCountIsReported() throws IOException {
    Path p = file("k.csv", HEADER + H100_ROW.replace(",32,", ",31,") + "\n");
    CliRun r = CliRun.of("verify", p.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("[a]: expected k=31 codes, found 32"), r.err());
  }

  @Test
  void aMissingFileIsAnError() {
    CliRun r = CliRun.of("verify", dir.resolve("nope.csv").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no such file"), r.err());
  }

  @Test
  void csvOutputHasOneLinePerComparedRow() throws IOException {
    Path p = file("one.csv", HEADER + H100_ROW + "\n" + H100_ROW + "\n");
    Path out = dir.resolve("out/results.csv");
    CliRun r = CliRun.of("verify", p.toString(), "--csv", out.toString());
    assertEquals(0, r.exit(), r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(3, lines.size());
    assertTrue(lines.get(1).contains(",h100.fp8.fp32,40727c00,40727c00,true,"), lines.get(1));
  }
}

package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.traces.golden.EmbeddedGolden;
import org.tcsim.traces.golden.GoldenMmaRow;
import org.tcsim.traces.io.Npy;
import org.tcsim.traces.io.NpyDtype;

/**
 * {@code tcsim check} on {@code .npy} files the tests write, with expected outputs known
 * independently of the simulator: the H100 golden rows (a row is a 1 x 1 x 32 GEMM whose D the
 * hardware measured; its C is 0, and with scales 1 and K = 32 the GEMM is that single MMA,
 * promoted once into a zero FP32 accumulator, which is exact) and small integer GEMMs whose
 * product is exact in FP32 (see {@link ExactGemms}).
 */
class CheckCommandTest {

  @TempDir Path dir;

  /** The first {@code count} FP32-output rows of an embedded H100 file (all have C = 0). */
  static List<GoldenMmaRow> h100Rows(String file, int count) {
    List<GoldenMmaRow> rows = new ArrayList<>();
    for (GoldenMmaRow r : EmbeddedGolden.load(file)) {
      if (r.dFormat() == org.tcsim.core.format.FpFormat.FP32 && r.c() == 0
          && rows.size() < count) {
        rows.add(r);
      }
    }
    assertEquals(count, rows.size(), "golden rows with FP32 output and C = 0 in " + file);
    return rows;
  }

  /** A as 1 x K, B as K x 1 (or 1 x K for nk), D as 1 x 1 FP32 with the hardware's bits. */
  private Path[] rowFiles(GoldenMmaRow r, NpyDtype codes, boolean nk, int dBits)
      throws IOException {
    Path a = dir.resolve("a.npy");
    Path b = dir.resolve("b.npy");
    Path d = dir.resolve("d.npy");
    Npy.write(a, codes, false, new long[] {1, r.k()}, r.a());
    Npy.write(b, codes, false, nk ? new long[] {1, r.k()} : new long[] {r.k(), 1}, r.b());
    Npy.write(d, NpyDtype.F4, false, new long[] {1, 1}, new int[] {dBits});
    return new Path[] {a, b, d};
  }

  @Test
  void h100GoldenRowsAreBitExactInEveryFileLayout() throws IOException {
    int checked = 0;
    for (String file : List.of("h100_e4m3.csv", "h100_e5m2.csv")) {
      for (GoldenMmaRow r : h100Rows(file, 12)) {
        String fmt = r.aFormat().shortName();
        // uint8 codes, K x N
        Path[] p = rowFiles(r, NpyDtype.U1, false, r.d());
        CliRun run = CliRun.of("check", "--gpu", "h100", "--a", p[0].toString(), "--b",
            p[1].toString(), "--a-format", fmt, "--b-format", fmt, "--out-dtype", "fp32",
            "--expect", p[2].toString());
        assertEquals(0, run.exit(), r.source() + ":" + r.line() + "\n" + run.out() + run.err());
        assertTrue(run.out().contains("d.npy: 1/1 bit-exact"), run.out());
        // ml_dtypes arrays (<V1 for e4m3 with the format named, <f1 for e5m2 alone), N x K
        boolean e5m2 = fmt.equals("e5m2");
        p = rowFiles(r, e5m2 ? NpyDtype.F1 : NpyDtype.V1, true, r.d());
        List<String> args = new ArrayList<>(List.of("check", "--gpu", "h100", "--a",
            p[0].toString(), "--b", p[1].toString(), "--b-layout", "nk", "--out-dtype", "fp32",
            "--expect", p[2].toString()));
        if (!e5m2) {
          args.addAll(List.of("--a-format", fmt, "--b-format", fmt));
        }
        run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.out() + run.err());
        checked++;
      }
    }
    assertEquals(24, checked);
  }

  @Test
  void aWrongLowBitIsOneUlpAndExitOne() throws IOException {
    GoldenMmaRow r = h100Rows("h100_e4m3.csv", 1).get(0);
    Path[] p = rowFiles(r, NpyDtype.U1, false, r.d() + 1);
    Path json = dir.resolve("r.json");
    CliRun run = CliRun.of("check", "--gpu", "h100", "--a", p[0].toString(), "--b",
        p[1].toString(), "--out-dtype", "fp32", "--expect", p[2].toString(), "--json",
        json.toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals("d.npy: 0/1 bit-exact", lines.get(2));
    assertEquals("mismatches by ULP distance: 1:1", lines.get(3));
    String hw = Integer.toHexString(r.d());
    String off = Integer.toHexString(r.d() + 1);
    assertTrue(lines.get(5).startsWith("  (row 0, col 0): d.npy 0x" + off + " ("), lines.get(5));
    assertTrue(lines.get(5).contains("tcsim 0x" + hw + " (") && lines.get(5).endsWith(", 1 ulp"),
        lines.get(5));
    JsonObject doc = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(1, doc.get("exit_code").getAsInt());
    assertEquals(false, doc.get("passed").getAsBoolean());
    JsonObject cmp = doc.getAsJsonObject("comparison");
    assertEquals(1, cmp.get("compared").getAsInt());
    assertEquals(0, cmp.get("bit_exact").getAsInt());
    assertEquals(1, cmp.getAsJsonObject("ulp_histogram").get("1").getAsInt());
    assertEquals(1, cmp.get("max_ulps").getAsInt());
    JsonObject m = cmp.getAsJsonArray("first_mismatches").get(0).getAsJsonObject();
    assertEquals("0x" + off, m.get("kernel").getAsString());
    assertEquals("0x" + hw, m.get("tcsim").getAsString());
    assertEquals(Float.intBitsToFloat(r.d()), m.get("tcsim_value").getAsFloat());
  }

  /**
   * A kernel that promotes into FP32 sums 32768 ones exactly (each 128-long partial is 128, every
   * FP32 sum an integer below 2^24); checked as if fast accumulation were on, the diagnosis must
   * name the setting that reproduces the file: fast accumulation off.
   */
  @Test
  void theDiagnosisNamesTheSettingThatReproducesTheKernel() throws IOException {
    int k = 32768;
    int[] ones = new int[k];
    java.util.Arrays.fill(ones, 0x38); // E4M3 1.0 (OCP FP8: exponent 0111, bias 7)
    Npy.write(dir.resolve("a.npy"), NpyDtype.U1, false, new long[] {1, k}, ones);
    Npy.write(dir.resolve("b.npy"), NpyDtype.U1, false, new long[] {k, 1}, ones);
    Npy.writeFloats(dir.resolve("d.npy"), false, new long[] {1, 1}, new float[] {32768f});
    String[] base = {"check", "--gpu", "h100", "--a", dir.resolve("a.npy").toString(), "--b",
        dir.resolve("b.npy").toString(), "--out-dtype", "fp32", "--expect",
        dir.resolve("d.npy").toString()};
    assertEquals(0, CliRun.of(base).exit());
    List<String> args = new ArrayList<>(List.of(base));
    args.add("--fast-accum");
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(1, run.exit(), run.out());
    String diagnosis = run.out().lines().filter(l -> l.startsWith("diagnosis")).findFirst()
        .orElseThrow();
    assertTrue(diagnosis.contains("fast accumulation off (1/1)"), diagnosis);
    assertTrue(diagnosis.contains("the exact product rounded once to nearest even"), diagnosis);
  }

  @Test
  void exactIntegerGemmsMatchForEveryScalingAndOutput() throws IOException {
    for (ExactGemms.Case c : ExactGemms.cases()) {
      Path[] p = c.write(dir);
      CliRun run = CliRun.of(c.args(p));
      assertEquals(0, run.exit(), c.name() + "\n" + run.out() + run.err());
      assertTrue(run.out().contains("d.npy: " + c.m() * c.n() + "/" + c.m() * c.n()
          + " bit-exact"), c.name() + "\n" + run.out());
    }
  }

  @Test
  void aCorruptedExactGemmFailsForEveryScaling() throws IOException {
    for (ExactGemms.Case c : ExactGemms.cases()) {
      Path[] p = c.corrupted().write(dir);
      CliRun run = CliRun.of(c.args(p));
      assertEquals(1, run.exit(), c.name() + "\n" + run.out() + run.err());
      long total = (long) c.m() * c.n();
      assertTrue(run.out().contains("d.npy: " + (total - 1) + "/" + total + " bit-exact"),
          c.name() + "\n" + run.out());
    }
  }
}

package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.traces.golden.gemm.GemmProvenance;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.golden.gemm.GoldenGemmFolder;
import picocli.CommandLine;

class ReplayCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static final String HEADER =
      "name,gpu,m,n,k,groups,a_format,b_format,a_layout,b_layout,scaling,out_format,fast_accum,seed,source\n";

  /** All-ones E4M3 with K = 32 and scales 1: D is exactly 32 everywhere (FP32 0x42000000). */
  private static Path golden(Path dir, int flipRow, int flipCol) throws Exception {
    int m = 8;
    int n = 8;
    int k = 32;
    byte[] ones = new byte[m * k];
    Arrays.fill(ones, (byte) 0x38);
    int[] d = new int[m * n];
    Arrays.fill(d, 0x42000000);
    if (flipRow >= 0) {
      d[flipRow * n + flipCol] ^= 1;
    }
    GoldenGemmCase c = new GoldenGemmCase("layer0_q_proj", "all ones", m, n, k, FpFormat.E4M3,
        FpFormat.E4M3, FpFormat.FP32, FpFormat.FP32, ScaleMode.SCALAR_32F, new float[] {1f},
        new float[] {1f}, 1f, 1f, 0f, false, ones, ones.clone(), null, d, "ok",
        new GoldenGemmCase.Generators("ones", "ones", "-", "-", "-"), GemmProvenance.none());
    Path g = dir.resolve(flipRow >= 0 ? "tampered" : "golden");
    GoldenGemmFolder.write(g, List.of("test"), List.of(c));
    return g;
  }

  private static Path trace(Path dir) throws Exception {
    Path t = dir.resolve("t.csv");
    Files.writeString(t, "# test trace\n" + HEADER
        + "layer0.q_proj,h100,8,8,32,1,e4m3,e4m3,row,col,SCALAR_32F,fp32,false,1,x\n"
        + "other,h100,64,32,256,1,e4m3,e4m3,row,col,VEC128_32F/BLK128x128_32F,bf16,false,2,x\n");
    return t;
  }

  @Test
  void simulationWithoutGoldenSucceedsAndPrintsTableAndTotals(@TempDir Path dir) throws Exception {
    Run r = run("replay", trace(dir).toString(), "--quiet");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("#    gemm"), r.out());
    assertTrue(r.out().contains("layer0.q_proj"), r.out());
    assertTrue(r.out().contains("simulated"), r.out());
    assertTrue(r.out().contains("total: 2 GEMM(s), 2 simulated, 0 skipped, 0 failed"), r.out());
    assertTrue(r.err().isEmpty(), "no progress bar when not on a terminal: " + r.err());
  }

  @Test
  void exitStatusFollowsTheGoldenComparison(@TempDir Path dir) throws Exception {
    Path t = trace(dir);
    Run ok = run("replay", t.toString(), "--golden", golden(dir, -1, -1).toString());
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    assertTrue(ok.out().contains("100.0000% (64/64)"), ok.out());
    assertTrue(ok.out().contains("golden: 1/1 GEMM(s) bit-exact, 64/64 elements"), ok.out());

    Run bad = run("replay", t.toString(), "--golden", golden(dir, 5, 6).toString());
    assertEquals(1, bad.exit(), bad.out());
    assertTrue(bad.out().contains("mismatched"), bad.out());
    assertTrue(bad.out().contains("MISMATCH (row 5, col 6): simulated 0x42000000 (32.0), gpu "
        + "0x42000001 (32.000003814697266), 1 ulp"), bad.out());

    // Golden data asked for, but no GEMM of this trace has a case: nothing compared, failure.
    Path other = dir.resolve("o.csv");
    Files.writeString(other, HEADER + "v_proj,h100,8,8,32,1,e4m3,e4m3,row,col,SCALAR_32F,fp32,"
        + "false,1,x\n");
    Run none = run("replay", other.toString(), "--golden", golden(dir, -1, -1).toString());
    assertEquals(1, none.exit(), none.out());
    assertTrue(none.out().contains("no GEMM of the trace could be compared"), none.out());
  }

  @Test
  void jsonHoldsEachGemmAndTheTotals(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("r.json");
    Run bad = run("replay", trace(dir).toString(), "--golden", golden(dir, 5, 6).toString(),
        "--json", json.toString());
    assertEquals(1, bad.exit(), bad.out());
    com.google.gson.JsonObject doc = com.google.gson.JsonParser.parseString(
        Files.readString(json)).getAsJsonObject();
    assertTrue(doc.get("title").getAsString().startsWith("tcsim replay: "), doc.toString());
    assertEquals(1, doc.getAsJsonObject("totals").get("exit_status").getAsInt());
    com.google.gson.JsonObject g = doc.getAsJsonArray("gemms").get(0).getAsJsonObject();
    assertEquals("layer0.q_proj", g.get("name").getAsString());
    assertEquals("mismatched", g.get("status").getAsString());
    com.google.gson.JsonObject golden = g.getAsJsonObject("golden");
    assertEquals(64, golden.get("compared").getAsInt());
    assertEquals(63, golden.get("bit_exact").getAsInt());
    assertEquals(1, golden.getAsJsonObject("mismatch_ulps").get("1").getAsInt());
    com.google.gson.JsonObject m = golden.getAsJsonArray("first_mismatches").get(0)
        .getAsJsonObject();
    assertEquals(5, m.get("row").getAsInt());
    assertEquals(0x42000000L, m.get("simulated").getAsLong());
    assertEquals(0x42000001L, m.get("gpu").getAsLong());
    assertEquals(2, doc.getAsJsonObject("totals").get("gemms").getAsInt());
    assertEquals(1, doc.getAsJsonObject("totals").get("golden_gemms").getAsInt());
  }

  @Test
  void reportIsWritten(@TempDir Path dir) throws Exception {
    Path rep = dir.resolve("rep");
    Run r = run("replay", trace(dir).toString(), "--report", rep.toString(), "--gpu", "h200");
    assertEquals(0, r.exit(), r.err());
    String html = Files.readString(rep.resolve("index.html"));
    assertTrue(html.contains("Roofline, h200"), "roofline of the --gpu machine");
  }

  /** A cuBLASLt log (CUBLASLT_LOG_LEVEL=2) replays directly, with no 'trace import' first. */
  @Test
  void replaysACublasLtLogAndACutlassCsvDirectly(@TempDir Path dir) throws Exception {
    // op(A) = A (64 x 128 stored), op(B) = B^T (32 x 128 stored, transb=OP_T): 64x32x128.
    Path log = dir.resolve("run.log");
    Files.writeString(log, "training step 1\n[2025-11-03 19:02:38][cublasLt][557785][Trace]"
        + "[cublasLtMatmul] A=0X7 Adesc=[type=R_8F_E4M3 rows=64 cols=128 ld=64] B=0X7 "
        + "Bdesc=[type=R_8F_E4M3 rows=32 cols=128 ld=32] C=0X0 Cdesc=[type=R_16BF rows=64 cols=32 "
        + "ld=64] D=0X7 Ddesc=[type=R_16BF rows=64 cols=32 ld=64] computeDesc=[computeType="
        + "COMPUTE_32F scaleType=R_32F transb=OP_T aScalePointer=0x7 bScalePointer=0x7] beta=0\n");
    Run r = run("replay", log.toString(), "--quiet");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("read " + log + " as a cuBLASLt log: 1 GEMM(s) imported"),
        r.out());
    assertTrue(r.out().contains("gpu h100 (the log does not say; --gpu to choose)"), r.out());
    assertTrue(r.out().contains("64x32x128") && r.out().contains("simulated"), r.out());
    assertTrue(r.out().contains("total: 1 GEMM(s), 1 simulated"), r.out());
    Run b200 = run("replay", log.toString(), "--gpu", "b200");
    assertEquals(0, b200.exit(), b200.err());
    assertTrue(b200.out().contains("; gpu b200\n"), b200.out());

    Path csv = dir.resolve("prof.csv");
    Files.writeString(csv, "Problem,Provider,OperationKind,Operation,Disposition,Status,m,n,k,"
        + "A,B,C,D,alpha,beta\n1,CUTLASS,gemm,op,passed,success,16,32,64,fe4m3:row,"
        + "fe4m3:column,bf16:column,bf16:column,1,0\n");
    Run c = run("replay", csv.toString());
    assertEquals(0, c.exit(), c.err());
    assertTrue(c.out().contains("as a CUTLASS profiler CSV: 1 GEMM(s) imported")
        && c.out().contains("16x32x64"), c.out());
  }

  /**
   * FP8 operands are codes (|u1); float32 data where codes were expected is quantised, and the
   * replay says so; beside a scale file (which only codes have) it is refused.
   */
  @Test
  void float32DataWhereCodesAreExpectedIsQuantisedAndSaidOrRefused(@TempDir Path dir)
      throws Exception {
    float[] ones = new float[8 * 32];
    Arrays.fill(ones, 1f);
    org.tcsim.traces.io.Npy.writeFloats(dir.resolve("a.npy"), false, new long[] {8, 32}, ones);
    org.tcsim.traces.io.Npy.writeFloats(dir.resolve("b.npy"), false, new long[] {32, 8}, ones);
    org.tcsim.traces.io.Npy.writeFloats(dir.resolve("s.npy"), false, new long[] {1},
        new float[] {1f});
    Path t = dir.resolve("t.csv");
    Files.writeString(t, "name,gpu,m,n,k,a_format,a_data,b_data\nx,h100,8,8,32,e4m3,a.npy,b.npy\n");
    Run r = run("replay", t.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("simulated: A: float32 values quantised to e4m3 (RNE, "
        + "satfinite, scale 1); FP8 codes are read from |u1 files; B: float32 values quantised"),
        r.out());
    Path scaled = dir.resolve("s.csv");
    Files.writeString(scaled, "name,gpu,m,n,k,scaling,a_data,b_data,a_scale_data,b_scale_data\n"
        + "x,h100,8,8,32,SCALAR_32F,a.npy,b.npy,s.npy,s.npy\n");
    Run refused = run("replay", scaled.toString());
    assertEquals(2, refused.exit(), refused.out());
    assertTrue(refused.err().startsWith("tcsim replay: " + dir.resolve("a.npy") + " [descr]: A holds "
        + "float32 values (<f4), not e4m3 codes (|u1), yet a scale file is given"), refused.err());
  }

  @Test
  void badInputExitsTwoWithTheReason(@TempDir Path dir) throws Exception {
    Run missing = run("replay", dir.resolve("nope.csv").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no trace file"), missing.err());
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, HEADER + "x,h100,8,8,zz,1,e4m3,e4m3,row,col,none,fp32,false,1,x\n");
    Run parse = run("replay", bad.toString());
    assertEquals(2, parse.exit());
    assertTrue(parse.err().contains("bad.csv:2"), parse.err());
    Run notGolden = run("replay", bad.toString(), "--golden", dir.toString());
    assertEquals(2, notGolden.exit());
    assertTrue(notGolden.err().contains("not a golden GEMM folder"), notGolden.err());
  }
}

package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcsim trace import} and {@code tcsim trace show}. */
class TraceCommandTest {

  /** The example cuBLASLt log line of docs/hardware-facts.md, Trace formats. */
  private static final String LOG_LINE = "[2025-11-03 19:02:38][cublasLt][557785][Trace][cublasLtMatmul]"
      + " A=0X7... Adesc=[type=R_8F_E4M3 rows=64 cols=1088 ld=64] B=0X7... Bdesc=[type=R_8F_E4M3"
      + " rows=128 cols=1088 ld=128] C=0X0 Cdesc=[type=R_16BF rows=64 cols=128 ld=64] D=0X7..."
      + " Ddesc=[type=R_16BF rows=64 cols=128 ld=64] computeDesc=[computeType=COMPUTE_32F"
      + " scaleType=R_32F transb=OP_T aScalePointer=0x7... bScalePointer=0x7..."
      + " aScaleMode=VEC32_UE8M0 bScaleMode=VEC32_UE8M0] algo=[algoId=66 tile=MATMUL_TILE_128x128"
      + " stages=MATMUL_STAGES_128xAUTO customOption=3 clusterShape=CLUSTER_SHAPE_1x1x1]"
      + " workSpace=0X0 workSpaceSizeInBytes=0 beta=0 outOfPlace=1 stream=0X0";

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void importsACublasLtLogAndShowsIt() throws IOException {
    Path log = file("log.txt", "[2025-11-03 19:02:38][cublasLt][557785][Api][cublasLtCreate] x=1\n"
        + LOG_LINE + "\n");
    Path out = dir.resolve("trace.csv");
    CliRun r = CliRun.of("trace", "import", "--from", "cublaslt", log.toString(), "--out",
        out.toString(), "--gpu", "b200");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("1 GEMM(s) imported; skipped 1 (cublasLtCreate)"), r.out());
    CliRun show = CliRun.of("trace", "show", out.toString());
    assertEquals(0, show.exit(), show.err());
    List<String> lines = show.out().lines().toList();
    assertTrue(lines.get(1).startsWith("cublaslt-2 "), lines.get(1));
    assertTrue(lines.get(1).contains("64x128x1088"), lines.get(1));
    assertTrue(lines.get(1).contains("VEC32_UE8M0"), lines.get(1));
    // 2 * 64 * 128 * 1088 = 17825792
    assertEquals("total: 1 GEMM(s), 17825792 FLOPs (0.000 TFLOP)", lines.get(2));
  }

  @Test
  void importsACutlassCsv() throws IOException {
    Path csv = file("prof.csv", "Problem,Provider,OperationKind,Operation,Disposition,Status,m,n,k,"
        + "A,B,C,D,alpha,beta\n1,CUTLASS,gemm,op,passed,success,128,256,512,fe4m3:row,"
        + "fe4m3:column,bf16:column,bf16:column,1,0\n2,CUTLASS,gemm,op,not_run,not_supported,"
        + "1,1,1,fe4m3:row,fe4m3:column,bf16:column,bf16:column,1,0\n");
    Path out = dir.resolve("t.csv");
    CliRun r = CliRun.of("trace", "import", "--from", "cutlass", csv.toString(), "--out",
        out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("skipped 1 (Status not_supported)"), r.out());
    CliRun show = CliRun.of("trace", "show", out.toString());
    assertTrue(show.out().contains("total: 1 GEMM(s), 33554432 FLOPs"), show.out());
  }

  @Test
  void showsABundledExampleWithItsTotal() {
    CliRun r = CliRun.of("trace", "show", "llama3_8b_layer");
    assertEquals(0, r.exit(), r.err());
    // q, k, v, o, gate, up, down for 4096 tokens plus the LM head, from the config's numbers:
    // 2*4096*4096*(4096+1024+1024+4096+3*14336) + 2*4096*128256*4096 = 6090263625728
    assertTrue(r.out().contains("total: 8 GEMM(s), 6090263625728 FLOPs (6.090 TFLOP)"), r.out());
  }

  @Test
  void malformedInputNamesFileLineAndFieldAndWritesNothing() throws IOException {
    Path log = file("bad.txt", LOG_LINE + "\n" + LOG_LINE.replace("rows=128", "rows=x") + "\n");
    Path out = dir.resolve("never.csv");
    CliRun r = CliRun.of("trace", "import", "--from", "cublaslt", log.toString(), "--out",
        out.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("bad.txt:2 [Bdesc.rows]"), r.err());
    assertFalse(Files.exists(out));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count()); // no temporary file left behind either
    }
  }

  @Test
  void badTraceAndMissingFilesAreErrors() throws IOException {
    Path t = file("t.csv", "name,gpu,m,n,k\nx,h100,1,1,-4\n");
    CliRun r = CliRun.of("trace", "show", t.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("t.csv:2 [k]"), r.err());
    CliRun missing = CliRun.of("trace", "show", dir.resolve("nope.csv").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no trace file"), missing.err());
    CliRun missingLog = CliRun.of("trace", "import", "--from", "cublaslt",
        dir.resolve("nope.txt").toString(), "--out", dir.resolve("o.csv").toString());
    assertEquals(2, missingLog.exit());
    assertTrue(missingLog.err().equals("tcsim trace import: " + dir.resolve("nope.txt")
        + ": no such file or folder\n"), missingLog.err());
    CliRun empty = CliRun.of("trace", "import", "--from", "cublaslt",
        file("e.txt", "nothing here\n").toString(), "--out", dir.resolve("o.csv").toString());
    assertEquals(2, empty.exit());
    assertTrue(empty.err().contains("no FP8 GEMM found"), empty.err());
    CliRun gpu = CliRun.of("trace", "import", "--from", "cublaslt",
        file("l.txt", LOG_LINE).toString(), "--out", dir.resolve("o.csv").toString(), "--gpu",
        "v100");
    assertEquals(2, gpu.exit());
    assertTrue(gpu.err().contains("unknown GPU 'v100'; known: h100"), gpu.err());
    CliRun from = CliRun.of("trace", "import", "--from", "nvbench", "x", "--out", "y");
    assertEquals(2, from.exit());
  }

  @Test
  void fromTakesAnyCase() throws IOException {
    Path log = file("log.txt", LOG_LINE + "\n");
    for (String from : List.of("CUBLASLT", "cuBLASLt")) {
      CliRun r = CliRun.of("trace", "import", "--from", from, log.toString(), "--out",
          dir.resolve(from + ".csv").toString());
      assertEquals(0, r.exit(), from + ": " + r.err());
    }
  }

  @Test
  void showReadsLogsAndProfilerCsvsDirectly() throws IOException {
    Path log = file("run.log", "some program output\n" + LOG_LINE + "\n");
    CliRun r = CliRun.of("trace", "show", log.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("read " + log + " as a cuBLASLt log: 1 GEMM(s) imported"),
        r.out());
    assertTrue(r.out().contains("total: 1 GEMM(s), 17825792 FLOPs"), r.out());
    Path csv = file("prof.csv", "Problem,Provider,OperationKind,Operation,Disposition,Status,m,n,"
        + "k,A,B,C,D,alpha,beta\n1,CUTLASS,gemm,op,passed,success,128,256,512,fe4m3:row,"
        + "fe4m3:column,bf16:column,bf16:column,1,0\n");
    CliRun c = CliRun.of("trace", "show", csv.toString());
    assertEquals(0, c.exit(), c.err());
    assertTrue(c.out().contains("as a CUTLASS profiler CSV") && c.out().contains(
        "total: 1 GEMM(s), 33554432 FLOPs"), c.out());
  }
}

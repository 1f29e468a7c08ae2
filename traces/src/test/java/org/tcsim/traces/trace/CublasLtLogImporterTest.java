package org.tcsim.traces.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.core.InputFormatException;

class CublasLtLogImporterTest {

  /** The example line of docs/hardware-facts.md, Trace formats, verbatim. */
  static final String EXAMPLE_LINE = "[2025-11-03 19:02:38][cublasLt][557785][Trace][cublasLtMatmul]"
      + " A=0X7... Adesc=[type=R_8F_E4M3 rows=64 cols=1088 ld=64] B=0X7... Bdesc=[type=R_8F_E4M3"
      + " rows=128 cols=1088 ld=128] C=0X0 Cdesc=[type=R_16BF rows=64 cols=128 ld=64] D=0X7..."
      + " Ddesc=[type=R_16BF rows=64 cols=128 ld=64] computeDesc=[computeType=COMPUTE_32F"
      + " scaleType=R_32F transb=OP_T aScalePointer=0x7... bScalePointer=0x7..."
      + " aScaleMode=VEC32_UE8M0 bScaleMode=VEC32_UE8M0] algo=[algoId=66 tile=MATMUL_TILE_128x128"
      + " stages=MATMUL_STAGES_128xAUTO customOption=3 clusterShape=CLUSTER_SHAPE_1x1x1]"
      + " workSpace=0X0 workSpaceSizeInBytes=0 beta=0 outOfPlace=1 stream=0X0";

  private static final String PREFIX = "[2025-11-03 19:02:39][cublasLt][557785][Trace][cublasLtMatmul] ";

  private record Result(List<GemmSpec> specs, ImportSummary summary) {}

  private static Result run(String log) throws IOException {
    List<GemmSpec> specs = new ArrayList<>();
    ImportSummary s = CublasLtLogImporter.importLog(new StringReader(log), "log.txt", "b200",
        specs::add);
    return new Result(specs, s);
  }

  private static InputFormatException error(String log) {
    return assertThrows(InputFormatException.class, () -> run(log));
  }

  @Test
  void factsExampleLine() throws IOException {
    Result r = run(EXAMPLE_LINE + "\n");
    assertEquals(1, r.specs().size());
    GemmSpec s = r.specs().get(0);
    // Column-major, D = op(A) op(B): A is stored 64 x 1088 untransposed, so op(A) is
    // m x k = 64 x 1088; B is stored 128 x 1088 and transposed, so op(B) is k x n = 1088 x 128.
    assertEquals(64, s.m());
    assertEquals(128, s.n());
    assertEquals(1088, s.k());
    assertEquals(1, s.groups());
    // A column-major m x k; B^T of a column-major n x k matrix is the k x n matrix row-major.
    assertEquals(Layout.COL, s.aLayout());
    assertEquals(Layout.ROW, s.bLayout());
    assertEquals(FpFormat.E4M3, s.aFormat());
    assertEquals(FpFormat.E4M3, s.bFormat());
    assertEquals(FpFormat.BF16, s.outFormat());
    assertEquals(Scaling.both(ScaleMode.VEC32_UE8M0), s.scaling());
    assertFalse(s.fastAccum());
    assertEquals(org.tcsim.gpu.Library.CUBLASLT, s.library());
    assertEquals(1.0, s.alpha());
    assertEquals(0.0, s.beta());
    assertEquals("b200", s.gpu());
    assertTrue(s.source().contains("log.txt:1"), s.source());
    assertEquals(1, r.summary().importedCount());
    assertEquals(0, r.summary().skippedCount());
  }

  @Test
  void hopperTnCallWithPerTensorScalesAndFastAccum() throws IOException {
    // The "TN" layout of FP8 cuBLASLt on Hopper: A stored k x m and transposed, B stored k x n.
    String line = PREFIX + "A=0x1 Adesc=[type=R_8F_E4M3 rows=4096 cols=128 ld=4096] B=0x2"
        + " Bdesc=[type=R_8F_E5M2 rows=4096 cols=8192 ld=4096] C=0x3 Cdesc=[type=R_32F rows=128"
        + " cols=8192 ld=128] D=0x3 Ddesc=[type=R_32F rows=128 cols=8192 ld=128]"
        + " computeDesc=[computeType=COMPUTE_32F scaleType=R_32F transa=OP_T"
        + " aScalePointer=0x4 bScalePointer=0x5 fastAccumulationMode=1] alpha=0.25 beta=?";
    Result r = run(line + "\n");
    GemmSpec s = r.specs().get(0);
    assertEquals(128, s.m());
    assertEquals(8192, s.n());
    assertEquals(4096, s.k());
    assertEquals(Layout.ROW, s.aLayout());
    assertEquals(Layout.COL, s.bLayout());
    assertEquals(FpFormat.E5M2, s.bFormat());
    assertEquals(FpFormat.FP32, s.outFormat());
    assertEquals(Scaling.both(ScaleMode.SCALAR_32F), s.scaling());
    assertTrue(s.fastAccum());
    assertEquals(0.25, s.alpha());
    assertEquals(0.0, s.beta());
    assertEquals(Map.of("beta=0 where the log printed beta=?", 1L), r.summary().assumptions());
  }

  @Test
  void noScalePointersMeansNoScalingAndBatchCountIsGroups() throws IOException {
    String line = PREFIX + "Adesc=[type=CUDA_R_8F_E4M3 rows=16 cols=32 ld=16 batchCount=8"
        + " stridedBatchOffset=512] Bdesc=[type=R_8F_E4M3 rows=32 cols=48 ld=32 batchCount=8]"
        + " Cdesc=[type=R_16F rows=16 cols=48 ld=16] computeDesc=[computeType=COMPUTE_32F"
        + " FAST_ACCUM=0] beta=1";
    GemmSpec s = run(line).specs().get(0);
    assertEquals(16, s.m());
    assertEquals(48, s.n());
    assertEquals(32, s.k());
    assertEquals(8, s.groups());
    assertTrue(s.scaling().isNone());
    assertFalse(s.fastAccum());
    assertEquals(FpFormat.FP16, s.outFormat()); // no Ddesc: C's type
    assertEquals(1.0, s.beta());
  }

  @Test
  void deepSeekBlockScalesAndRowOrder() throws IOException {
    String line = PREFIX + "Adesc=[type=R_8F_E4M3 rows=64 cols=7168 ld=7168 order=ROW]"
        + " Bdesc=[type=R_8F_E4M3 rows=7168 cols=2112 ld=7168]"
        + " Ddesc=[type=R_16BF rows=64 cols=2112 ld=64] computeDesc=[computeType=COMPUTE_32F"
        + " aScaleMode=CUBLASLT_MATMUL_MATRIX_SCALE_VEC128_32F bScaleMode=BLK128x128_32F]";
    GemmSpec s = run(line).specs().get(0);
    assertEquals(64, s.m());
    assertEquals(2112, s.n());
    assertEquals(7168, s.k());
    assertEquals(Layout.ROW, s.aLayout()); // stored row-major, not transposed
    assertEquals(new Scaling(ScaleMode.VEC128_32F, ScaleMode.BLK128x128_32F), s.scaling());
  }

  @Test
  void otherFunctionsAndNonLogLinesAreSkippedAndCounted() throws IOException {
    String log = "[2025-11-03 19:02:38][cublasLt][557785][Api][cublasLtMatmulDescCreate] matmulDesc=0x1"
        + " computeType=COMPUTE_32F scaleType=R_32F\n"
        + "[2025-11-03 19:02:38][cublasLt][557785][Api][cublasLtMatrixLayoutCreate] type=R_16BF\n"
        + "[2025-11-03 19:02:38][cublasLt][557785][Api][cublasLtMatrixLayoutCreate] type=R_8F_E4M3\n"
        + "\n"
        + "some program output\n"
        + EXAMPLE_LINE + "\n"
        + PREFIX + "Adesc=[type=R_16BF rows=8 cols=8] Bdesc=[type=R_16BF rows=8 cols=8]"
        + " Ddesc=[type=R_16BF rows=8 cols=8]\n";
    Result r = run(log);
    assertEquals(1, r.specs().size());
    assertEquals(Map.of("cublasLtMatmulDescCreate", 1L, "cublasLtMatrixLayoutCreate", 2L,
        "not a cuBLASLt log line", 1L, "cublasLtMatmul with non-FP8 A or B", 1L),
        r.summary().skippedByReason());
    assertTrue(r.specs().get(0).source().endsWith(":6"), r.specs().get(0).source());
  }

  @Test
  void malformedMatmulLinesAreErrorsWithLineAndField() {
    String a = "Adesc=[type=R_8F_E4M3 rows=64 cols=1088 ld=64] ";
    String b = "Bdesc=[type=R_8F_E4M3 rows=1088 cols=128 ld=1088] ";
    String d = "Ddesc=[type=R_16BF rows=64 cols=128 ld=64] ";
    record Case(String body, String field) {}
    List<Case> cases = List.of(
        new Case(a + d, "Bdesc"),
        new Case(a.replace("rows=64", "rows=x") + b + d, "Adesc.rows"),
        new Case(a.replace("cols=1088", "cols=1000") + b + d, "Bdesc"),
        new Case(a + b + d.replace("cols=128", "cols=127"), "Ddesc"),
        new Case(a + b, "Ddesc"),
        new Case(a.replace("R_8F_E4M3", "FLOAT8") + b + d, "Adesc.type"),
        new Case(a + b + d.replace("R_16BF", "R_64F"), "Ddesc.type"),
        new Case(a + b + d + "computeDesc=[transa=OP_C]", "computeDesc.transa"),
        new Case(a + b + d + "computeDesc=[aScaleMode=VEC7_32F]", "computeDesc.aScaleMode"),
        new Case(a + b + d + "beta=zero", "beta"),
        new Case(a.replace("]", "") + b + d, "Adesc"),
        new Case(a + b + d + "computeDesc=[aScaleMode=VEC32_UE8M0 bScaleMode=SCALAR_32F]", null));
    for (Case c : cases) {
      InputFormatException e = error(EXAMPLE_LINE + "\n" + PREFIX + c.body() + "\n");
      assertEquals(2, e.line(), c.body());
      assertEquals(c.field(), e.field(), c.body() + ": " + e.getMessage());
    }
  }
}

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

class CutlassProfilerImporterTest {

  /**
   * The column order of docs/hardware-facts.md, Trace formats (CUTLASS 3.x profiler, GEMM
   * operations).
   */
  static final String HEADER = "Problem,Provider,OperationKind,Operation,Disposition,Status,"
      + "gemm_kind,m,n,k,A,B,C,D,alpha,beta,split_k_mode,split_k_slices,batch_count,op_class,"
      + "accum,cta_m,cta_n,cta_k,cluster_m,cluster_n,cluster_k,stages,warps_m,warps_n,warps_k,"
      + "inst_m,inst_n,inst_k,min_cc,max_cc,Bytes,Flops,Flops/Byte,Runtime,GB/s,GFLOPs";

  static String row(String op, String status, String mnk, String a, String b, String c,
      String d, String batch) {
    return "1,CUTLASS,gemm," + op + ",passed," + status + ",universal," + mnk + "," + a + "," + b
        + "," + c + "," + d + ",1,0,serial,1," + batch + ",tensorop,f32,128,128,128,1,1,1,4,4,1,1,"
        + "64,128,32,90,90,100,200,2,0.1,1000,2000";
  }

  private record Result(List<GemmSpec> specs, ImportSummary summary) {}

  private static Result run(String csv) throws IOException {
    List<GemmSpec> specs = new ArrayList<>();
    ImportSummary s = CutlassProfilerImporter.importCsv(new StringReader(csv), "prof.csv", "h100",
        specs::add);
    return new Result(specs, s);
  }

  @Test
  void importsSuccessfulFp8RowsAndCountsTheRest() throws IOException {
    String csv = HEADER + "\n"
        + row("cutlass3x_sm90_tensorop_gemm_e4m3_e4m3_f32_bf16_bf16_128x128x128_1x1x1_0_tnt_align16"
            + "_warpspecialized_cooperative_fp8_fastaccum_epi_tma", "success", "4096,14336,4096",
            "fe4m3:row", "fe4m3:column", "bf16:column", "bf16:column", "1") + "\n"
        + row("op2", "not_supported", "1,2,3", "fe4m3:row", "fe4m3:column", "f32:column",
            "f32:column", "1") + "\n"
        + row("op3", "success", "1,2,3", "f16:row", "f16:column", "f32:column", "f32:column", "1")
        + "\n"
        + row("op4", "success", "64,128,256", "e5m2:t", "f8e4m3:n", "f32:column", "f32:column",
            "4") + "\n";
    Result r = run(csv);
    assertEquals(2, r.specs().size());
    GemmSpec s = r.specs().get(0);
    assertEquals(4096, s.m());
    assertEquals(14336, s.n());
    assertEquals(4096, s.k());
    assertEquals(Layout.ROW, s.aLayout());
    assertEquals(Layout.COL, s.bLayout());
    assertEquals(FpFormat.BF16, s.outFormat());
    assertTrue(s.fastAccum());
    // A CUTLASS profiler row is a CUTLASS kernel: replayed with CUTLASS's semantics.
    assertEquals(org.tcsim.gpu.Library.CUTLASS, s.library());
    assertTrue(s.scaling().isNone());
    assertEquals("cutlass-2", s.name());
    GemmSpec t = r.specs().get(1);
    assertEquals(FpFormat.E5M2, t.aFormat());
    assertEquals(FpFormat.E4M3, t.bFormat());
    assertEquals(Layout.ROW, t.aLayout());
    assertEquals(Layout.COL, t.bLayout());
    assertEquals(FpFormat.FP32, t.outFormat());
    assertEquals(4, t.groups());
    assertFalse(t.fastAccum());
    assertEquals(Map.of("Status not_supported", 1L, "non-FP8 A or B", 1L),
        r.summary().skippedByReason());
  }

  @Test
  void toleratesOtherColumnSetsAndOrders() throws IOException {
    String csv = "Operation,k,B,m,A,n,C,beta,alpha\n"
        + "cutlass3x_sm100_bstensorop_gemm_ue8m0xe4m3_ue8m0xe4m3,256,fe4m3:column,128,fe4m3:row,"
        + "64,f32:column,0.5,2\n";
    GemmSpec s = run(csv).specs().get(0);
    assertEquals(128, s.m());
    assertEquals(64, s.n());
    assertEquals(256, s.k());
    assertEquals(FpFormat.FP32, s.outFormat());
    assertEquals(Scaling.both(ScaleMode.VEC32_UE8M0), s.scaling());
    assertEquals(2.0, s.alpha());
    assertEquals(0.5, s.beta());
  }

  @Test
  void errorsNameLineAndColumn() {
    String good = row("op", "success", "1,2,3", "fe4m3:row", "fe4m3:column", "f32:column",
        "f32:column", "1");
    record Case(String row, String field) {}
    List<Case> cases = List.of(
        new Case(row("op", "success", "0,2,3", "fe4m3:row", "fe4m3:column", "f32:column",
            "f32:column", "1"), "m"),
        new Case(row("op", "success", "1,2,3", "fe4m3", "fe4m3:column", "f32:column",
            "f32:column", "1"), "A"),
        new Case(row("op", "success", "1,2,3", "fe4m3:nhwc", "fe4m3:column", "f32:column",
            "f32:column", "1"), "A"),
        new Case(row("op", "success", "1,2,3", "fe4m3:row", "fe4m3:column", "f32:column",
            "s32:column", "1"), "D"),
        new Case(row("op", "success", "1,2,3", "fe4m3:row", "fe4m3:column", "f32:column",
            "f32:column", "x"), "batch_count"));
    for (Case c : cases) {
      InputFormatException e = assertThrows(InputFormatException.class,
          () -> run(HEADER + "\n" + good + "\n" + c.row() + "\n"));
      assertEquals(3, e.line(), c.row());
      assertEquals(c.field(), e.field(), e.getMessage());
    }
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> run("m,n,k,A\n1,2,3,fe4m3:row\n"));
    assertEquals("B", e.field());
  }
}

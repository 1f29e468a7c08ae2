package org.tcsim.traces.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.core.InputFormatException;

/**
 * Counts beyond what a spec holds are refused, never wrapped or clamped into another GEMM
 * (regressions: a batch count of 2^32 + 1 was read as 1 group by the CUTLASS importer and clamped
 * to 2^31 - 1 by the cuBLASLt importer), and shapes of 10^6 x 10^6 x 10^6 are read as the numbers
 * they are without allocating anything.
 */
class ImportLimitsTest {

  @Test
  void aCutlassBatchCountBeyondAnIntIsRefusedNotWrapped() {
    String csv = CutlassProfilerImporterTest.HEADER + "\n" + CutlassProfilerImporterTest.row(
        "op", "success", "64,128,256", "fe4m3:row", "fe4m3:column", "f32:column", "f32:column",
        "4294967297") + "\n";
    InputFormatException e = assertThrows(InputFormatException.class, () ->
        CutlassProfilerImporter.importCsv(new StringReader(csv), "prof.csv", "h100", s -> { }));
    assertEquals("batch_count", e.field());
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("4294967297"), e.getMessage());
  }

  @Test
  void aCublasLtBatchCountBeyondAnIntIsRefusedNotClamped() {
    String log = "[t][cublasLt][1][Trace][cublasLtMatmul] Adesc=[type=R_8F_E4M3 rows=64 cols=32"
        + " batchCount=2147483648] Bdesc=[type=R_8F_E4M3 rows=32 cols=16] Ddesc=[type=R_32F"
        + " rows=64 cols=16]\n";
    InputFormatException e = assertThrows(InputFormatException.class, () ->
        CublasLtLogImporter.importLog(new StringReader(log), "log.txt", "h100", s -> { }));
    assertEquals("Adesc.batchCount", e.field());
    assertEquals(1, e.line());
  }

  @Test
  void aMillionCubedShapeIsReadWithoutAllocating() throws Exception {
    List<GemmSpec> specs = new ArrayList<>();
    try (TraceReader r = TraceReader.of(new StringReader(
        "name,gpu,m,n,k\nhuge,h100,1000000,1000000,1000000\n"), "t.csv")) {
      r.forEachRemaining(specs::add);
    }
    assertEquals(2_000_000_000_000_000_000L, specs.get(0).flops());
  }

  @Test
  void aShapeWhoseFlopCountOverflowsIsRefusedNamingTheLine() {
    InputFormatException e = assertThrows(InputFormatException.class, () -> {
      try (TraceReader r = TraceReader.of(new StringReader(
          "name,gpu,m,n,k,groups\nhuge,h100,1000000,1000000,1000000,10\n"), "t.csv")) {
        r.forEachRemaining(s -> { });
      }
    });
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
  }
}

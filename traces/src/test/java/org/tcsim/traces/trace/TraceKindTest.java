package org.tcsim.traces.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Telling a native trace, a cuBLASLt log and a CUTLASS profiler CSV apart by their first lines. */
class TraceKindTest {

  private static TraceKind kind(String text) throws IOException {
    return TraceKind.detect(new StringReader(text));
  }

  @Test
  void aCublasLtLogIsFoundEvenAfterOtherOutput() throws IOException {
    assertEquals(TraceKind.CUBLASLT_LOG, kind(CublasLtLogImporterTest.EXAMPLE_LINE + "\n"));
    assertEquals(TraceKind.CUBLASLT_LOG, kind("program started\nloading weights\n"
        + "[2025-11-03 19:02:38][cublasLt][557785][Api][cublasLtCreate] x=1\n"));
  }

  @Test
  void aCutlassProfilerCsvHasColumnsAAndB() throws IOException {
    assertEquals(TraceKind.CUTLASS_PROFILER, kind(CutlassProfilerImporterTest.HEADER + "\n"));
    assertEquals(TraceKind.CUTLASS_PROFILER, kind("# profiler run\n\uFEFFm,n,k,A,B\n"));
  }

  @Test
  void anythingElseIsANativeTraceWhoseReaderNamesTheProblem() throws IOException {
    assertEquals(TraceKind.NATIVE, kind("# comment\nname,gpu,m,n,k,a_format,b_format\n"));
    assertEquals(TraceKind.NATIVE, kind(""));
    assertEquals(TraceKind.NATIVE, kind("not a trace at all\n"));
  }
}

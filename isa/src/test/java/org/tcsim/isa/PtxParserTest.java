package org.tcsim.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Surface syntax: guards, operands, semicolons, and what bad text is told. */
class PtxParserTest {

  private static String reason(String text) {
    return assertThrows(IllegalInstructionException.class, () -> PtxParser.parse(text), text)
        .getMessage();
  }

  @Test
  void acceptsWhatAppearsInPtxFiles() {
    String m = "wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2";
    assertEquals(m, PtxParser.parse("  " + m + ";  ").ptx());
    assertEquals(m, PtxParser.parse("@!%p1 " + m + " {%f1,%f2}, %rd5, %rd6, p, 1, 1;").ptx());
    assertEquals(m, PtxParser.parse(m + "\t{%f1,%f2},\n %rd5, %rd6, p, 1, 1;").ptx());
  }

  @Test
  void badTextIsToldWhy() {
    assertEquals("empty instruction", reason("  "));
    assertTrue(reason("add.f32").startsWith("'add.f32' is not an MMA instruction tcsim knows"));
    assertTrue(reason("wgmma..mma_async").startsWith("empty qualifier"));
    assertTrue(reason("wgmma.fence.sync.aligned").contains("not a multiply-accumulate"));
    assertTrue(reason("wmma.mma.sync.aligned.row.col.m16n16k16.f32.f32").contains("wmma"));
    assertEquals("'wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3' ends where the B type"
        + " (.btype) was expected", reason("wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3"));
    assertTrue(reason("wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e4m3.f32")
        .startsWith("unexpected qualifier .f32"));
    assertTrue(reason("wgmma.mma_async.sync.aligned.f32.e4m3.e4m3.m64n128k32")
        .startsWith("expected a shape such as .m64n128k32, found .f32"));
    assertTrue(reason("wgmma.mma_async.sync.aligned.m64n128k32.f32.fp8.e4m3")
        .startsWith("expected the A type (.atype), found .fp8; known types:"));
    assertEquals("single-bit (.b1) MMA is not modelled",
        reason("wgmma.mma_async.sync.aligned.m64n128k256.s32.b1.b1"));
    assertTrue(reason("wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e4m3 {d}, {a")
        .startsWith("unbalanced"));
    assertTrue(reason("wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e4m3 {d}")
        .startsWith("expected operands"));
  }

  @Test
  void recordsRejectIllegalValuesToo() {
    IllegalInstructionException e = assertThrows(IllegalInstructionException.class,
        () -> WgmmaInstruction.of(100, OperandType.F32, OperandType.E4M3, OperandType.E4M3));
    assertEquals("N=100 is not legal for wgmma: N must be a multiple of 8 from 8 to 256",
        e.getMessage());
    assertEquals(new MmaShape(64, 96, 32),
        WgmmaInstruction.of(96, OperandType.F16, OperandType.E5M2, OperandType.E4M3).shape());
  }
}

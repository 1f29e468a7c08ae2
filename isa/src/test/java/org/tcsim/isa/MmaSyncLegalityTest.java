package org.tcsim.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** mma.sync forms from PTX ISA 8.7, §9.7.14.5.14 (m16n8k* shapes and type combinations). */
class MmaSyncLegalityTest {

  private static String reason(String text) {
    return assertThrows(IllegalInstructionException.class, () -> PtxParser.parse(text), text)
        .getMessage();
  }

  @Test
  void fp8OnAdaIsM16n8k32() {
    MmaInstruction i = PtxParser.parse("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e5m2.f32");
    assertEquals(new MmaShape(16, 8, 32), i.shape());
    assertEquals(OperandType.E4M3, i.a());
    assertEquals(OperandType.E5M2, i.b());
    assertEquals(OperandType.F32, i.accumulator());
    assertEquals(Architecture.SM_89, i.architecture());
    assertEquals(IssueGranularity.WARP, i.issueGranularity());
    assertEquals(OperandSource.REGISTERS, i.aSource());
  }

  @Test
  void legalAndIllegalForms() {
    String[] legal = {
      "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32",
      "mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16",
      "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f16",
      "mma.sync.aligned.m16n8k8.row.col.f16.f16.f16.f32",
      "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32",
      "mma.sync.aligned.m16n8k8.row.col.f32.bf16.bf16.f32",
      "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32",
      "mma.sync.aligned.m16n8k4.row.col.f32.tf32.tf32.f32",
      "mma.sync.aligned.m16n8k32.row.col.f16.e4m3.e4m3.f16",
      "mma.sync.aligned.m16n8k16.row.col.f32.e5m2.e4m3.f32",
      "mma.sync.aligned.m16n8k32.row.col.s32.s8.u8.s32",
      "mma.sync.aligned.m16n8k32.row.col.satfinite.s32.u8.u8.s32",
    };
    for (String s : legal) {
      assertEquals(s, PtxParser.parse(s).ptx());
    }
    assertEquals("k16 with .tf32 operands: TF32 mma.sync has K=4 or K=8",
        reason("mma.sync.aligned.m16n8k16.row.col.f32.tf32.tf32.f32"));
    assertEquals("k8 with .e4m3 operands: FP8 mma.sync has K=16 or K=32",
        reason("mma.sync.aligned.m16n8k8.row.col.f32.e4m3.e4m3.f32"));
    assertEquals(".f16 D with .f16 C is not legal for BF16 mma.sync: it takes D and C f32",
        reason("mma.sync.aligned.m16n8k16.row.col.f16.bf16.bf16.f16"));
    assertEquals(".f32 D with .f16 C is not legal for FP8 mma.sync: it takes D and C both f32 or"
        + " both f16", reason("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f16"));
    assertEquals("mma.sync .m16n8k32 supports only the .row.col layout, found .col.row",
        reason("mma.sync.aligned.m16n8k32.col.row.f32.e4m3.e4m3.f32"));
    assertEquals("e4m3 A with f16 B is not a legal mma.sync type combination",
        reason("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.f16.f32"));
    assertTrue(reason("mma.sync.aligned.m16n8k64.row.col.f32.e2m1.e2m1.f32")
        .contains("sm_120a"));
    assertTrue(reason("mma.sync.aligned.kind::mxf4nvf4.block_scale.scale_vec::4X.m16n8k64.row.col"
        + ".f32.e2m1.e2m1.f32.ue4m3").contains("not modelled"));
    assertTrue(reason("mma.sync.aligned.m8n8k4.row.col.f32.f16.f16.f32")
        .startsWith("m8n8 is not an mma.sync shape"));
    assertEquals(".satfinite is only legal for integer mma.sync (.s32 accumulator), not with .e4m3",
        reason("mma.sync.aligned.m16n8k32.row.col.satfinite.f32.e4m3.e4m3.f32"));
  }

  @Test
  void targetIsChosenByTheCaller() {
    String s = "mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32";
    for (Architecture arch : Architecture.values()) {
      if (arch == Architecture.SM_80) {
        continue; // no FP8 on Ampere: refused, below
      }
      MmaInstruction i = PtxParser.parse(s, arch);
      assertEquals(arch, i.architecture());
      assertEquals(arch, i.datapathKey().arch());
    }
    MmaSyncInstruction ada = (MmaSyncInstruction) PtxParser.parse(s);
    assertEquals(Architecture.SM_100A, ada.on(Architecture.SM_100A).architecture());
    assertThrows(IllegalInstructionException.class, () -> PtxParser.parse(s, Architecture.SM_80));
    String half = "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32";
    assertEquals(Architecture.SM_80, PtxParser.parse(half, Architecture.SM_80).architecture());
  }
}

package org.tcsim.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parse-then-print returns the text for a large set of legal spellings built here by string
 * concatenation, and {@link MmaInstruction#assembly()} parses back to an equal instruction.
 */
class RoundTripTest {

  static List<String> legalSpellings() {
    List<String> out = new ArrayList<>();
    String[][] wgmmaFloat = {
      {"16", "f16", "f16", "f16"}, {"16", "f32", "f16", "f16"}, {"16", "f32", "bf16", "bf16"},
      {"8", "f32", "tf32", "tf32"}, {"32", "f32", "e4m3", "e4m3"}, {"32", "f32", "e4m3", "e5m2"},
      {"32", "f16", "e5m2", "e4m3"}, {"32", "f16", "e5m2", "e5m2"},
    };
    for (String[] c : wgmmaFloat) {
      for (int n = 8; n <= 256; n += 8) {
        out.add("wgmma.mma_async.sync.aligned.m64n" + n + "k" + c[0] + "." + c[1] + "." + c[2] + "."
            + c[3]);
      }
    }
    for (int n : new int[] {8, 16, 24, 32, 48, 128, 256}) {
      out.add("wgmma.mma_async.sync.aligned.m64n" + n + "k32.s32.s8.u8");
      out.add("wgmma.mma_async.sync.aligned.m64n" + n + "k32.satfinite.s32.u8.s8");
    }
    String[] f8f6f4 = {"e4m3", "e5m2", "e2m3", "e3m2", "e2m1"};
    for (String a : f8f6f4) {
      for (String b : f8f6f4) {
        for (String d : new String[] {"f32", "f16"}) {
          out.add("tcgen05.mma.cta_group::1.kind::f8f6f4.m128n256k32." + d + "." + a + "." + b);
          out.add("tcgen05.mma.cta_group::2.kind::f8f6f4.m256n128k32." + d + "." + a + "." + b);
        }
        out.add("tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.scale_vec::1X.m128n64k32.f32."
            + a + "." + b + ".ue8m0");
      }
    }
    out.add("tcgen05.mma.cta_group::1.kind::f16.m64n8k16.f16.f16.f16");
    out.add("tcgen05.mma.cta_group::2.kind::f16.m128n256k16.f32.bf16.bf16");
    out.add("tcgen05.mma.cta_group::1.kind::tf32.m128n200k8.f32.tf32.tf32");
    out.add("tcgen05.mma.cta_group::1.kind::i8.m64n24k32.s32.s8.s8");
    out.add("tcgen05.mma.cta_group::2.kind::i8.m256n96k32.s32.u8.s8");
    out.add("tcgen05.mma.cta_group::1.kind::mxf4.block_scale.scale_vec::2X.m128n256k64.f32.e2m1.e2m1"
        + ".ue8m0");
    out.add("tcgen05.mma.cta_group::2.kind::mxf4nvf4.block_scale.scale_vec::4X.m256n256k64.f32.e2m1"
        + ".e2m1.ue4m3");
    out.add("tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale.scale_vec::4X.m128n8k64.f32.e2m1"
        + ".e2m1.ue8m0");
    out.add("tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale.scale_vec::2X.m128n16k64.f32.e2m1"
        + ".e2m1.ue8m0");
    String[] mmaSync = {
      "m16n8k32.row.col.f32.e4m3.e4m3.f32", "m16n8k32.row.col.f32.e4m3.e5m2.f32",
      "m16n8k32.row.col.f32.e5m2.e4m3.f32", "m16n8k32.row.col.f32.e5m2.e5m2.f32",
      "m16n8k32.row.col.f16.e4m3.e4m3.f16", "m16n8k16.row.col.f32.e4m3.e4m3.f32",
      "m16n8k16.row.col.f32.f16.f16.f32", "m16n8k16.row.col.f16.f16.f16.f16",
      "m16n8k16.row.col.f16.f16.f16.f32", "m16n8k16.row.col.f32.bf16.bf16.f32",
      "m16n8k8.row.col.f32.tf32.tf32.f32", "m16n8k4.row.col.f32.tf32.tf32.f32",
      "m16n8k16.row.col.s32.s8.s8.s32", "m16n8k32.row.col.satfinite.s32.u8.s8.s32",
    };
    for (String s : mmaSync) {
      out.add("mma.sync.aligned." + s);
    }
    return out;
  }

  @Test
  void printingAParsedSpellingGivesItBack() {
    List<String> all = legalSpellings();
    assertEquals(8 * 32 + 14 + 25 * 5 + 9 + 14, all.size());
    for (String s : all) {
      MmaInstruction i = PtxParser.parse(s);
      assertEquals(s, i.ptx());
      assertEquals(i, PtxParser.parse(i.ptx()));
    }
  }

  @Test
  void assemblyParsesBackToTheSameInstruction() {
    List<MmaInstruction> instrs = new ArrayList<>();
    for (String s : legalSpellings()) {
      instrs.add(PtxParser.parse(s));
    }
    instrs.add(new WgmmaInstruction(new MmaShape(64, 64, 32), OperandType.F32, OperandType.E4M3,
        OperandType.E4M3, OperandSource.REGISTERS, false));
    instrs.add(new WgmmaInstruction(new MmaShape(64, 64, 16), OperandType.F32, OperandType.BF16,
        OperandType.BF16, OperandSource.REGISTERS, false));
    instrs.add(new Tcgen05Instruction(1, Tcgen05Kind.F16, new MmaShape(128, 64, 16),
        OperandType.F32, OperandType.F16, OperandType.F16, OperandSource.TENSOR_MEMORY,
        java.util.Optional.empty()));
    for (MmaInstruction i : instrs) {
      assertEquals(i, PtxParser.parse(i.assembly()), i.assembly());
    }
  }

  @Test
  void aliasesPrintCanonically() {
    // .block32 is the PTX 8.8 alias of .scale_vec::1X for mxf8f6f4 (Table 57); the canonical
    // spelling is the sm_100a one.
    assertEquals("tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.scale_vec::1X.m128n64k32.f32"
        + ".e4m3.e4m3.ue8m0", PtxParser.parse(
            "tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.block32.m128n64k32.f32.e4m3.e4m3")
        .ptx());
    assertEquals("tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale.scale_vec::4X.m128n64k64.f32"
        + ".e2m1.e2m1.ue4m3", PtxParser.parse(
            "tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale.block16.m128n64k64.f32.e2m1.e2m1"
                + ".ue4m3").ptx());
    assertEquals("tcgen05.mma.cta_group::1.kind::mxf4.block_scale.scale_vec::2X.m128n64k64.f32.e2m1"
        + ".e2m1.ue8m0", PtxParser.parse(
            "tcgen05.mma.cta_group::1.kind::mxf4.block_scale.m128n64k64.f32.e2m1.e2m1").ptx());
  }
}

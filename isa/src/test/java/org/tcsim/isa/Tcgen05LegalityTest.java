package org.tcsim.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;

/**
 * tcgen05.mma legality against PTX ISA 8.7, §9.7.16.2.1 Table 39 (shapes per kind and CTA group)
 * and §9.7.16.10.7.1 Tables 56-57 (block scaling); the N and M sets are written out literally.
 */
class Tcgen05LegalityTest {

  /** "N = {8, 16, 24, ... 256} steps of 8". */
  private static final Set<Integer> STEP8 = Set.of(8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96,
      104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200, 208, 216, 224, 232, 240, 248,
      256);
  /** "N = {16, 32, ... 256} steps of 16". */
  private static final Set<Integer> STEP16 = Set.of(16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176,
      192, 208, 224, 240, 256);
  /** i8, cta_group 1: "N = {8, 16, 24, 32, 48, ... 256} steps of 16 after N > 32". */
  private static final Set<Integer> I8_CTA1 = Set.of(8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144,
      160, 176, 192, 208, 224, 240, 256);
  /** i8, cta_group 2: "N = {32, 64, ... 256} steps of 32". */
  private static final Set<Integer> I8_CTA2 = Set.of(32, 64, 96, 128, 160, 192, 224, 256);

  /** One row of Table 39 (dense, no .ws): kind qualifiers, types, K, legal M and N per CTA group. */
  private record Row(String qualifiers, String types, int k, Set<Integer> m1, Set<Integer> n1,
      Set<Integer> m2, Set<Integer> n2) {}

  private static final Row[] TABLE_39 = {
    new Row("kind::f16", "f32.bf16.bf16", 16, Set.of(64, 128), STEP8, Set.of(128, 256), STEP16),
    new Row("kind::f16", "f16.f16.f16", 16, Set.of(64, 128), STEP8, Set.of(128, 256), STEP16),
    new Row("kind::tf32", "f32.tf32.tf32", 8, Set.of(64, 128), STEP8, Set.of(128, 256), STEP16),
    new Row("kind::f8f6f4", "f32.e4m3.e2m1", 32, Set.of(64, 128), STEP8, Set.of(128, 256), STEP16),
    new Row("kind::f8f6f4", "f16.e3m2.e5m2", 32, Set.of(64, 128), STEP8, Set.of(128, 256), STEP16),
    new Row("kind::i8", "s32.s8.u8", 32, Set.of(64, 128), I8_CTA1, Set.of(128, 256), I8_CTA2),
    new Row("kind::mxf8f6f4.block_scale.scale_vec::1X", "f32.e5m2.e2m3.ue8m0", 32, Set.of(128),
        STEP8, Set.of(128, 256), STEP16),
    new Row("kind::mxf4.block_scale.scale_vec::2X", "f32.e2m1.e2m1.ue8m0", 64, Set.of(128), STEP8,
        Set.of(128, 256), STEP16),
    new Row("kind::mxf4nvf4.block_scale.scale_vec::4X", "f32.e2m1.e2m1.ue4m3", 64, Set.of(128),
        STEP8, Set.of(128, 256), STEP16),
  };

  private static String spell(int cta, String qualifiers, int m, int n, int k, String types) {
    return "tcgen05.mma.cta_group::" + cta + "." + qualifiers + ".m" + m + "n" + n + "k" + k + "."
        + types;
  }

  @Test
  void shapesFollowTable39() {
    int legalCount = 0;
    for (Row r : TABLE_39) {
      for (int cta = 1; cta <= 2; cta++) {
        Set<Integer> ms = cta == 1 ? r.m1 : r.m2;
        Set<Integer> ns = cta == 1 ? r.n1 : r.n2;
        for (int m : new int[] {32, 64, 128, 256}) {
          for (int n = 1; n <= 264; n++) {
            String text = spell(cta, r.qualifiers, m, n, r.k, r.types);
            if (ms.contains(m) && ns.contains(n)) {
              Tcgen05Instruction i = (Tcgen05Instruction) PtxParser.parse(text);
              assertEquals(new MmaShape(m, n, r.k), i.shape());
              assertEquals(cta, i.ctaGroup());
              legalCount++;
            } else {
              String msg = assertThrows(IllegalInstructionException.class,
                  () -> PtxParser.parse(text), text).getMessage();
              String expectedStart = ms.contains(m) ? "N=" + n + " is not legal" : "M=" + m
                  + " is not legal";
              assertTrue(msg.startsWith(expectedStart), text + " -> " + msg);
            }
          }
        }
      }
    }
    // 9 rows; per row cta1 |M1|*|N1| + cta2 |M2|*|N2|, summed by hand from the sets above.
    int expected = 2 * 32 + 2 * 16   // f16 bf16
        + 2 * 32 + 2 * 16            // f16 f16
        + 2 * 32 + 2 * 16            // tf32
        + 2 * (2 * 32 + 2 * 16)      // two f8f6f4 rows
        + 2 * 18 + 2 * 8             // i8
        + 3 * (1 * 32 + 2 * 16);     // three block-scaled rows
    assertEquals(expected, legalCount);
  }

  private static String reason(String text) {
    return assertThrows(IllegalInstructionException.class, () -> PtxParser.parse(text), text)
        .getMessage();
  }

  @Test
  void kIsFixedByTheKind() {
    assertEquals("k16 with .kind::f8f6f4: tcgen05 f8f6f4 has K=32",
        reason("tcgen05.mma.cta_group::1.kind::f8f6f4.m128n128k16.f32.e4m3.e4m3"));
    assertEquals("k16 with .kind::tf32: tcgen05 tf32 has K=8",
        reason("tcgen05.mma.cta_group::1.kind::tf32.m128n128k16.f32.tf32.tf32"));
    assertEquals("k32 with .kind::mxf4: tcgen05 mxf4 has K=64",
        reason("tcgen05.mma.cta_group::1.kind::mxf4.block_scale.m128n128k32.f32.e2m1.e2m1"));
    assertTrue(reason("tcgen05.mma.cta_group::2.kind::mxf4.block_scale.m256n128k96.f32.e2m1.e2m1")
        .contains("not modelled"));
  }

  @Test
  void operandTypesFollowTheKind() {
    assertEquals(".e4m3 is not an operand type of .kind::f16 (it takes f16, bf16)",
        reason("tcgen05.mma.cta_group::1.kind::f16.m128n128k16.f32.e4m3.e4m3"));
    assertEquals(".e4m3 is not an operand type of .kind::mxf4 (it takes e2m1)",
        reason("tcgen05.mma.cta_group::1.kind::mxf4.block_scale.m128n128k64.f32.e4m3.e2m1"));
    assertTrue(reason("tcgen05.mma.cta_group::1.kind::f16.m128n128k16.f16.bf16.bf16")
        .startsWith(".f16 accumulator is not legal"));
    assertTrue(reason("tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.m128n128k32.f16.e4m3.e4m3")
        .startsWith(".f16 accumulator is not legal"));
    assertTrue(reason("tcgen05.mma.cta_group::1.kind::i8.m128n128k32.f32.s8.s8")
        .startsWith(".f32 accumulator is not legal"));
    // All 25 f8f6f4 A/B pairs are legal (Table 39 lists the five types for A and for B).
    String[] f8f6f4 = {"e4m3", "e5m2", "e2m3", "e3m2", "e2m1"};
    for (String a : f8f6f4) {
      for (String b : f8f6f4) {
        MmaInstruction i = PtxParser.parse(
            "tcgen05.mma.cta_group::1.kind::f8f6f4.m128n256k32.f32." + a + "." + b);
        assertEquals(a, i.a().ptxName());
        assertEquals(b, i.b().ptxName());
      }
    }
  }

  /** Table 57: kind, scale vector spelling, scale type -> legal block size, or 0 for illegal. */
  @Test
  void blockScalingFollowsTable57() {
    Object[][] cases = {
      {"mxf8f6f4", "k32", "e4m3.e4m3", ".scale_vec::1X", ".ue8m0", 32},
      {"mxf8f6f4", "k32", "e4m3.e4m3", ".block32", ".ue8m0", 32},
      {"mxf8f6f4", "k32", "e4m3.e4m3", "", "", 32},
      {"mxf8f6f4", "k32", "e4m3.e4m3", ".scale_vec::2X", ".ue8m0", 0},
      {"mxf8f6f4", "k32", "e4m3.e4m3", ".block16", ".ue8m0", 0},
      {"mxf8f6f4", "k32", "e4m3.e4m3", ".scale_vec::1X", ".ue4m3", 0},
      {"mxf4", "k64", "e2m1.e2m1", ".scale_vec::2X", ".ue8m0", 32},
      {"mxf4", "k64", "e2m1.e2m1", ".block32", "", 32},
      {"mxf4", "k64", "e2m1.e2m1", "", "", 32},
      {"mxf4", "k64", "e2m1.e2m1", ".scale_vec::4X", ".ue8m0", 0},
      {"mxf4", "k64", "e2m1.e2m1", ".scale_vec::1X", ".ue8m0", 0},
      {"mxf4", "k64", "e2m1.e2m1", ".scale_vec::2X", ".ue4m3", 0},
      {"mxf4nvf4", "k64", "e2m1.e2m1", ".scale_vec::2X", ".ue8m0", 32},
      {"mxf4nvf4", "k64", "e2m1.e2m1", ".block32", "", 32},
      {"mxf4nvf4", "k64", "e2m1.e2m1", ".scale_vec::4X", ".ue8m0", 16},
      {"mxf4nvf4", "k64", "e2m1.e2m1", ".scale_vec::4X", ".ue4m3", 16},
      {"mxf4nvf4", "k64", "e2m1.e2m1", ".block16", ".ue4m3", 16},
      {"mxf4nvf4", "k64", "e2m1.e2m1", ".scale_vec::2X", ".ue4m3", 0},
      {"mxf4nvf4", "k64", "e2m1.e2m1", ".scale_vec::4X", "", 0},
      {"mxf4nvf4", "k64", "e2m1.e2m1", "", ".ue8m0", 0},
    };
    for (Object[] c : cases) {
      String text = "tcgen05.mma.cta_group::1.kind::" + c[0] + ".block_scale" + c[3] + ".m128n128"
          + c[1] + ".f32." + c[2] + c[4];
      int block = (Integer) c[5];
      if (block == 0) {
        assertThrows(IllegalInstructionException.class, () -> PtxParser.parse(text), text);
      } else {
        BlockScale s = PtxParser.parse(text).blockScale().orElseThrow();
        assertEquals(block, s.blockSize(), text);
        FpFormat expectedScale = ".ue4m3".equals(c[4]) ? FpFormat.UE4M3 : FpFormat.E8M0;
        assertEquals(expectedScale, s.scaleFormat(), text);
      }
    }
  }

  @Test
  void blockScaleQualifierMustMatchTheKind() {
    assertEquals(".kind::mxf8f6f4 requires .block_scale",
        reason("tcgen05.mma.cta_group::1.kind::mxf8f6f4.m128n128k32.f32.e4m3.e4m3"));
    assertTrue(reason("tcgen05.mma.cta_group::1.kind::f8f6f4.block_scale.m128n128k32.f32.e4m3.e4m3")
        .startsWith(".block_scale is only legal with"));
    assertEquals(Optional.empty(),
        PtxParser.parse("tcgen05.mma.cta_group::1.kind::f8f6f4.m128n128k32.f32.e4m3.e4m3")
            .blockScale());
  }

  @Test
  void otherQualifiersAndOperands() {
    assertTrue(reason("tcgen05.mma.cta_group::1.kind::f8f6f4").contains("instruction descriptor"));
    assertEquals("cta_group::4 is not legal: tcgen05.mma takes cta_group::1 or cta_group::2",
        reason("tcgen05.mma.cta_group::4.kind::f8f6f4.m128n128k32.f32.e4m3.e4m3"));
    assertTrue(reason("tcgen05.mma.cta_group::1.kind::f4.m128n128k32.f32.e4m3.e4m3")
        .startsWith("unknown .kind::f4; known: .kind::f16"));
    assertEquals("weight-stationary tcgen05.mma.ws is not modelled",
        reason("tcgen05.mma.ws.cta_group::1.kind::f16.m128n128k16.f32.f16.f16"));
    String m = "tcgen05.mma.cta_group::1.kind::f16.m128n128k16.f32.f16.f16";
    assertEquals(OperandSource.TENSOR_MEMORY,
        PtxParser.parse(m + " [%r1], [%r2], %rd3, %r4, p;").aSource());
    assertEquals(OperandSource.SHARED_MEMORY,
        PtxParser.parse(m + " [%r1], %rd2, %rd3, %r4, {%r5, %r6, %r7, %r8}, p;").aSource());
    assertTrue(reason(m + " [%r1], {%r2}, %rd3, %r4, p;").contains("not registers"));
    // Collector usage does not change the arithmetic; it is accepted and dropped.
    assertEquals(m, PtxParser.parse(
        "tcgen05.mma.cta_group::1.kind::f16.collector::a::fill.m128n128k16.f32.f16.f16").ptx());
    assertEquals("tcgen05.mma runs only on sm_100a (Blackwell), not on sm_90a (Hopper)",
        reason2(m, Architecture.SM_90A));
  }

  private static String reason2(String text, Architecture arch) {
    return assertThrows(IllegalInstructionException.class, () -> PtxParser.parse(text, arch))
        .getMessage();
  }
}

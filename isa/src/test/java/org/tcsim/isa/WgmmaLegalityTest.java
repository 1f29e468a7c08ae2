package org.tcsim.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * wgmma legality against the shape lists of PTX ISA 8.7, §9.7.15.5.2 (written out here from the
 * .shape sets of the syntax block, not computed by the code under test).
 */
class WgmmaLegalityTest {

  /** {.m64n8kK, .m64n16kK, ..., .m64n256kK}: the floating-point .shape list (32 entries). */
  private static final Set<Integer> FLOAT_N = Set.of(8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96,
      104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200, 208, 216, 224, 232, 240, 248,
      256);
  /** The integer .shape list (18 entries). */
  private static final Set<Integer> INT_N = Set.of(8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144,
      160, 176, 192, 208, 224, 240, 256);

  /** dtype, atype, btype, K of each legal floating-point type combination (§9.7.15.5.2). */
  private static final List<String[]> FLOAT_COMBOS = List.of(
      new String[] {"f16", "f16", "f16", "16"},
      new String[] {"f32", "f16", "f16", "16"},
      new String[] {"f32", "bf16", "bf16", "16"},
      new String[] {"f32", "tf32", "tf32", "8"},
      new String[] {"f16", "e4m3", "e4m3", "32"},
      new String[] {"f16", "e4m3", "e5m2", "32"},
      new String[] {"f16", "e5m2", "e4m3", "32"},
      new String[] {"f16", "e5m2", "e5m2", "32"},
      new String[] {"f32", "e4m3", "e4m3", "32"},
      new String[] {"f32", "e4m3", "e5m2", "32"},
      new String[] {"f32", "e5m2", "e4m3", "32"},
      new String[] {"f32", "e5m2", "e5m2", "32"});

  private static final List<String[]> INT_COMBOS = List.of(
      new String[] {"s8", "s8"}, new String[] {"s8", "u8"},
      new String[] {"u8", "s8"}, new String[] {"u8", "u8"});

  private static String spell(int n, String k, String d, String a, String b) {
    return "wgmma.mma_async.sync.aligned.m64n" + n + "k" + k + "." + d + "." + a + "." + b;
  }

  @Test
  void everyFloatingPointNIsLegalAndNoOther() {
    for (String[] c : FLOAT_COMBOS) {
      Set<Integer> legal = new TreeSet<>();
      for (int n = 1; n <= 264; n++) {
        String text = spell(n, c[3], c[0], c[1], c[2]);
        if (FLOAT_N.contains(n)) {
          MmaInstruction i = PtxParser.parse(text);
          assertEquals(n, i.shape().n(), text);
          legal.add(n);
        } else {
          IllegalInstructionException e =
              assertThrows(IllegalInstructionException.class, () -> PtxParser.parse(text), text);
          assertEquals("N=" + n + " is not legal for wgmma: N must be a multiple of 8 from 8 to 256",
              e.getMessage());
        }
      }
      assertEquals(32, legal.size());
    }
  }

  @Test
  void everyIntegerNIsLegalAndNoOther() {
    for (String[] c : INT_COMBOS) {
      for (int n = 1; n <= 264; n++) {
        String text = spell(n, "32", "s32", c[0], c[1]);
        if (INT_N.contains(n)) {
          assertEquals(n, PtxParser.parse(text).shape().n());
        } else {
          IllegalInstructionException e =
              assertThrows(IllegalInstructionException.class, () -> PtxParser.parse(text), text);
          assertTrue(e.getMessage().startsWith("N=" + n + " is not legal for integer wgmma"),
              e.getMessage());
        }
      }
    }
  }

  private static String reason(String text) {
    return assertThrows(IllegalInstructionException.class, () -> PtxParser.parse(text), text)
        .getMessage();
  }

  @Test
  void reasonsNameTheBrokenRule() {
    assertEquals("N=100 is not legal for wgmma: N must be a multiple of 8 from 8 to 256",
        reason("wgmma.mma_async.sync.aligned.m64n100k32.f32.e4m3.e4m3"));
    assertEquals("e4m3 A with f16 B is not a legal wgmma type combination",
        reason("wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.f16"));
    assertEquals("k16 with .e4m3 operands: FP8 wgmma has K=32",
        reason("wgmma.mma_async.sync.aligned.m64n128k16.f32.e4m3.e5m2"));
    assertEquals("k16 with .tf32 operands: TF32 wgmma has K=8",
        reason("wgmma.mma_async.sync.aligned.m64n128k16.f32.tf32.tf32"));
    assertEquals("M=128 is not legal for wgmma: M is always 64",
        reason("wgmma.mma_async.sync.aligned.m128n128k16.f32.f16.f16"));
    assertEquals(".f16 accumulator is not legal for .bf16 wgmma: BF16 wgmma accumulates in f32 only",
        reason("wgmma.mma_async.sync.aligned.m64n128k16.f16.bf16.bf16"));
    assertEquals(".s32 accumulator is not legal for .e4m3 wgmma: FP8 wgmma accumulates in f16 or f32",
        reason("wgmma.mma_async.sync.aligned.m64n128k32.s32.e4m3.e4m3"));
    assertEquals("f16 A with bf16 B is not a legal wgmma type combination",
        reason("wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.bf16"));
    assertEquals(".e2m1 is not a wgmma operand type (wgmma takes f16, bf16, tf32, e4m3, e5m2, s8, u8)",
        reason("wgmma.mma_async.sync.aligned.m64n64k32.f32.e2m1.e2m1"));
    assertEquals(".satfinite is only legal for integer wgmma (.s32 accumulator), not with .e4m3",
        reason("wgmma.mma_async.sync.aligned.m64n64k32.satfinite.f32.e4m3.e4m3"));
    assertTrue(reason("wgmma.mma_async.sync.aligned.m64n64k32.f32.e4m3.e4m3 {d}, [a], bdesc, 1")
        .contains("tensor memory is Blackwell-only"));
    assertTrue(reason("wgmma.mma_async.aligned.m64n64k32.f32.e4m3.e4m3")
        .startsWith("wgmma.mma_async must be followed by .sync.aligned"));
    assertEquals("sparse wgmma.mma_async.sp is not modelled",
        reason("wgmma.mma_async.sp.sync.aligned.m64n64k64.f32.e4m3.e4m3"));
  }

  @Test
  void wgmmaExistsOnlyOnHopper() {
    String text = "wgmma.mma_async.sync.aligned.m64n256k32.f32.e4m3.e4m3";
    assertEquals(Architecture.SM_90A, PtxParser.parse(text, Architecture.SM_90A).architecture());
    IllegalInstructionException e = assertThrows(IllegalInstructionException.class,
        () -> PtxParser.parse(text, Architecture.SM_100A));
    assertEquals("wgmma.mma_async runs only on sm_90a (Hopper), not on sm_100a (Blackwell)",
        e.getMessage());
  }

  @Test
  void aSourceComesFromTheOperands() {
    String m = "wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e4m3";
    assertEquals(OperandSource.SHARED_MEMORY, PtxParser.parse(m).aSource());
    assertEquals(OperandSource.SHARED_MEMORY,
        PtxParser.parse(m + " {%f0, %f1}, %rd1, %rd2, p, 1, 1;").aSource());
    assertEquals(OperandSource.REGISTERS,
        PtxParser.parse("@p " + m + " {%f0, %f1}, {%r0, %r1, %r2, %r3}, %rd2, p, 1, 1;")
            .aSource());
  }
}

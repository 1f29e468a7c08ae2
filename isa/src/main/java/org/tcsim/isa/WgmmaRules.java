package org.tcsim.isa;

/**
 * Legality of {@code wgmma.mma_async} (dense), from PTX ISA 8.7, §9.7.15.5.2
 * "wgmma.mma_async" and §9.7.15.2 "Matrix Shape":
 *
 * <table>
 *   <caption>wgmma type classes</caption>
 *   <tr><th>A, B</th><th>K</th><th>D</th><th>N</th></tr>
 *   <tr><td>f16, f16</td><td>16</td><td>f16, f32</td><td>8..256 step 8</td></tr>
 *   <tr><td>bf16, bf16</td><td>16</td><td>f32</td><td>8..256 step 8</td></tr>
 *   <tr><td>tf32, tf32</td><td>8</td><td>f32</td><td>8..256 step 8</td></tr>
 *   <tr><td>e4m3/e5m2 in any combination</td><td>32</td><td>f16, f32</td><td>8..256 step 8</td></tr>
 *   <tr><td>s8/u8 in any combination</td><td>32</td><td>s32</td><td>8, 16, 24, 32..256 step 16</td></tr>
 * </table>
 *
 * <p>M is always 64. A comes from shared memory (descriptor) or registers; never tensor memory,
 * which Hopper does not have. The single-bit ({@code .b1}, k256) and sparse ({@code .sp}) forms are
 * not modelled.
 */
final class WgmmaRules {
  private WgmmaRules() {}

  /** The type class of a legal A/B pair. */
  enum TypeClass {
    FP16("FP16", 16), BF16("BF16", 16), TF32("TF32", 8), FP8("FP8", 32), INT8("8-bit integer", 32);

    final String label;
    final int k;

    TypeClass(String label, int k) {
      this.label = label;
      this.k = k;
    }
  }

  static void check(MmaShape shape, OperandType d, OperandType a, OperandType b,
      OperandSource aSource, boolean satfinite) {
    TypeClass tc = typeClass(a, b);
    if (shape.k() != tc.k) {
      throw new IllegalInstructionException("k" + shape.k() + " with ." + a.ptxName()
          + " operands: " + tc.label + " wgmma has K=" + tc.k);
    }
    if (shape.m() != 64) {
      throw new IllegalInstructionException(
          "M=" + shape.m() + " is not legal for wgmma: M is always 64");
    }
    checkN(shape.n(), tc);
    checkAccumulator(d, a, tc);
    if (satfinite && tc != TypeClass.INT8) {
      throw new IllegalInstructionException(
          ".satfinite is only legal for integer wgmma (.s32 accumulator), not with ." + a.ptxName());
    }
    if (aSource == OperandSource.TENSOR_MEMORY) {
      throw new IllegalInstructionException(
          "wgmma reads A from registers or a shared-memory descriptor; tensor memory is Blackwell-only");
    }
  }

  static TypeClass typeClass(OperandType a, OperandType b) {
    for (OperandType t : new OperandType[] {a, b}) {
      if (!isWgmmaType(t)) {
        throw new IllegalInstructionException("." + t.ptxName()
            + " is not a wgmma operand type (wgmma takes f16, bf16, tf32, e4m3, e5m2, s8, u8)");
      }
    }
    if (a.isFp8() && b.isFp8()) {
      return TypeClass.FP8;
    }
    if (a.isInteger() && b.isInteger()) {
      return TypeClass.INT8;
    }
    if (a == b) {
      return switch (a) {
        case F16 -> TypeClass.FP16;
        case BF16 -> TypeClass.BF16;
        case TF32 -> TypeClass.TF32;
        default -> throw new AssertionError(a);
      };
    }
    throw new IllegalInstructionException(a.ptxName() + " A with " + b.ptxName()
        + " B is not a legal wgmma type combination");
  }

  private static boolean isWgmmaType(OperandType t) {
    return switch (t) {
      case F16, BF16, TF32, E4M3, E5M2, S8, U8 -> true;
      case F32, E2M3, E3M2, E2M1, S32 -> false;
    };
  }

  private static void checkN(int n, TypeClass tc) {
    if (tc == TypeClass.INT8) {
      if (!integerN(n)) {
        throw new IllegalInstructionException("N=" + n + " is not legal for integer wgmma:"
            + " N must be 8, 16, 24, or a multiple of 16 from 32 to 256");
      }
    } else if (n < 8 || n > 256 || n % 8 != 0) {
      throw new IllegalInstructionException(
          "N=" + n + " is not legal for wgmma: N must be a multiple of 8 from 8 to 256");
    }
  }

  /** Integer wgmma N: 8, 16, 24, then steps of 16 (PTX ISA 8.7, §9.7.15.5.2, integer .shape list). */
  static boolean integerN(int n) {
    return n == 8 || n == 16 || n == 24 || (n >= 32 && n <= 256 && n % 16 == 0);
  }

  private static void checkAccumulator(OperandType d, OperandType a, TypeClass tc) {
    boolean ok = switch (tc) {
      case FP16, FP8 -> d == OperandType.F16 || d == OperandType.F32;
      case BF16, TF32 -> d == OperandType.F32;
      case INT8 -> d == OperandType.S32;
    };
    if (!ok) {
      String legal = switch (tc) {
        case FP16, FP8 -> "f16 or f32";
        case BF16, TF32 -> "f32 only";
        case INT8 -> "s32 only";
      };
      throw new IllegalInstructionException("." + d.ptxName() + " accumulator is not legal for ."
          + a.ptxName() + " wgmma: " + tc.label + " wgmma accumulates in " + legal);
    }
  }
}

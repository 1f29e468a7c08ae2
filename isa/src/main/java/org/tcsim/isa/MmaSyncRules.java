package org.tcsim.isa;

/**
 * Legality of the {@code mma.sync.aligned.m16n8kK.row.col} forms tcsim models, from PTX ISA 8.7,
 * §9.7.14.5.14 "mma" and §9.7.14.5.1 "Matrix Fragments" shape list:
 *
 * <table>
 *   <caption>mma.sync forms</caption>
 *   <tr><th>A, B</th><th>K</th><th>D, C</th><th>since</th></tr>
 *   <tr><td>f16, f16</td><td>8, 16</td><td>f16 or f32 each</td><td>sm_75/sm_80</td></tr>
 *   <tr><td>bf16, bf16</td><td>8, 16</td><td>f32</td><td>sm_80</td></tr>
 *   <tr><td>tf32, tf32</td><td>4, 8</td><td>f32</td><td>sm_80</td></tr>
 *   <tr><td>e4m3/e5m2 in any combination</td><td>32 (PTX 8.4); 16 (PTX 8.7)</td>
 *       <td>f32 with f32, or f16 with f16 (PTX 8.7)</td><td>sm_89</td></tr>
 *   <tr><td>s8/u8 in any combination</td><td>16, 32</td><td>s32</td><td>sm_80</td></tr>
 * </table>
 *
 * <p>Every architecture tcsim models from sm_89 on has all of them; sm_80 (A100) has all but the
 * FP8 forms. Otherwise the target only decides which tensor core runs the instruction. Other shapes (m8n8k4, m16n8k256 .b1, ...), sparse
 * {@code mma.sp} and the sm_120a block-scaled {@code .kind::} forms are not modelled.
 */
final class MmaSyncRules {
  private MmaSyncRules() {}

  static void check(MmaShape shape, OperandType d, OperandType a, OperandType b, OperandType c,
      boolean satfinite, Architecture target) {
    WgmmaRules.TypeClass tc = typeClass(a, b);
    if (tc == WgmmaRules.TypeClass.FP8 && target == Architecture.SM_80) {
      throw new IllegalInstructionException("FP8 (." + a.ptxName() + ") mma.sync needs sm_89 or "
          + "later (PTX ISA 8.7, §9.7.14.5.14); " + target.ptxTarget() + " has no FP8 tensor cores");
    }
    if (shape.m() != 16 || shape.n() != 8) {
      throw new IllegalInstructionException("m" + shape.m() + "n" + shape.n()
          + " is not an mma.sync shape tcsim models: M=16 and N=8 (m16n8kK)");
    }
    int[] ks = switch (tc) {
      case FP16, BF16 -> new int[] {8, 16};
      case TF32 -> new int[] {4, 8};
      case FP8 -> new int[] {16, 32};
      case INT8 -> new int[] {16, 32};
    };
    if (shape.k() != ks[0] && shape.k() != ks[1]) {
      throw new IllegalInstructionException("k" + shape.k() + " with ." + a.ptxName()
          + " operands: " + tc.label + " mma.sync has K=" + ks[0] + " or K=" + ks[1]);
    }
    boolean ok = switch (tc) {
      case FP16 -> isHalfOrSingle(d) && isHalfOrSingle(c);
      case BF16, TF32 -> d == OperandType.F32 && c == OperandType.F32;
      case FP8 -> isHalfOrSingle(d) && c == d;
      case INT8 -> d == OperandType.S32 && c == OperandType.S32;
    };
    if (!ok) {
      String legal = switch (tc) {
        case FP16 -> "D and C each f16 or f32";
        case BF16, TF32 -> "D and C f32";
        case FP8 -> "D and C both f32 or both f16";
        case INT8 -> "D and C s32";
      };
      throw new IllegalInstructionException("." + d.ptxName() + " D with ." + c.ptxName()
          + " C is not legal for " + tc.label + " mma.sync: it takes " + legal);
    }
    if (satfinite && tc != WgmmaRules.TypeClass.INT8) {
      throw new IllegalInstructionException(
          ".satfinite is only legal for integer mma.sync (.s32 accumulator), not with ."
              + a.ptxName());
    }
  }

  private static boolean isHalfOrSingle(OperandType t) {
    return t == OperandType.F16 || t == OperandType.F32;
  }

  private static WgmmaRules.TypeClass typeClass(OperandType a, OperandType b) {
    for (OperandType t : new OperandType[] {a, b}) {
      if (t == OperandType.E2M3 || t == OperandType.E3M2 || t == OperandType.E2M1) {
        throw new IllegalInstructionException("mma.sync with ." + t.ptxName()
            + " operands needs .kind::f8f6f4 (sm_120a), which tcsim does not model");
      }
      if (t == OperandType.F32 || t == OperandType.S32) {
        throw new IllegalInstructionException(
            "." + t.ptxName() + " is not an mma.sync operand type for A or B");
      }
    }
    try {
      return WgmmaRules.typeClass(a, b);
    } catch (IllegalInstructionException e) {
      throw new IllegalInstructionException(a.ptxName() + " A with " + b.ptxName()
          + " B is not a legal mma.sync type combination");
    }
  }
}

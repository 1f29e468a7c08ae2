package org.tcsim.isa;

import java.util.Optional;
import org.tcsim.core.format.FpFormat;

/**
 * Legality of dense, non-{@code .ws} {@code tcgen05.mma}, from PTX ISA 8.7:
 * §9.7.16.2.1 Table 39 "Various combinations of .kind and shapes" (M, N, K and types per kind and
 * CTA group), §9.7.16.10.7.1 Tables 56 and 57 (scale vector sizes and scale types), and
 * §9.7.16.10.9.1 "tcgen05.mma" (qualifiers).
 *
 * <ul>
 *   <li>cta_group::1: M = 64 or 128 (block-scaled kinds: 128 only); N = 8..256 step 8, except i8:
 *       8, 16, 24, 32, then step 16 to 256.
 *   <li>cta_group::2: M = 128 or 256; N = 16..256 step 16, except i8: 32..256 step 32.
 *   <li>K: f16 16, tf32 8, f8f6f4 32, i8 32, mxf8f6f4 32, mxf4 and mxf4nvf4 64. The K=96 shape of
 *       mxf4/mxf4nvf4 with M=256 is not modelled.
 *   <li>Scaling: mxf8f6f4 scale_vec::1X with ue8m0 (block 32); mxf4 scale_vec::2X with ue8m0
 *       (block 32); mxf4nvf4 scale_vec::2X with ue8m0 (block 32) or scale_vec::4X with ue8m0 or
 *       ue4m3 (block 16).
 * </ul>
 */
final class Tcgen05Rules {
  private Tcgen05Rules() {}

  static void check(int ctaGroup, Tcgen05Kind kind, MmaShape shape, OperandType d, OperandType a,
      OperandType b, OperandSource aSource, Optional<BlockScale> blockScale) {
    String where = "tcgen05.mma.cta_group::" + ctaGroup + "." + kind.ptx();
    if (ctaGroup != 1 && ctaGroup != 2) {
      throw new IllegalInstructionException("cta_group::" + ctaGroup
          + " is not legal: tcgen05.mma takes cta_group::1 or cta_group::2");
    }
    checkTypes(kind, d, a, b, where);
    if (shape.k() != kind.denseK()) {
      if (shape.k() == 96 && (kind == Tcgen05Kind.MXF4 || kind == Tcgen05Kind.MXF4NVF4)) {
        throw new IllegalInstructionException("K=96 (M=256 cta_group::2 ." + kind.ptx()
            + ", PTX ISA Table 39 'K1') is not modelled by tcsim; use K=64");
      }
      throw new IllegalInstructionException("k" + shape.k() + " with ." + kind.ptx()
          + ": tcgen05 " + kind.shortName() + " has K=" + kind.denseK());
    }
    checkM(ctaGroup, kind, shape.m(), where);
    checkN(ctaGroup, kind, shape.n(), where);
    checkBlockScale(kind, shape.k(), blockScale, where);
    if (aSource == OperandSource.REGISTERS) {
      throw new IllegalInstructionException(
          "tcgen05.mma reads A from a shared-memory descriptor or tensor memory, not registers");
    }
  }

  private static void checkTypes(Tcgen05Kind kind, OperandType d, OperandType a, OperandType b,
      String where) {
    for (OperandType t : new OperandType[] {a, b}) {
      if (!operandAllowed(kind, t)) {
        throw new IllegalInstructionException("." + t.ptxName() + " is not an operand type of ."
            + kind.ptx() + " (it takes " + operandList(kind) + ")");
      }
    }
    // Table 39 lists f16 and bf16 as the types of the pair, with no mixed row; tcsim requires
    // A and B to match for kind::f16 (I), as wgmma does.
    if (kind == Tcgen05Kind.F16 && a != b) {
      throw new IllegalInstructionException(a.ptxName() + " A with " + b.ptxName()
          + " B is not legal for ." + kind.ptx() + ": A and B must be the same type");
    }
    boolean ok = switch (kind) {
      case F16 -> d == OperandType.F32 || (d == OperandType.F16 && a == OperandType.F16);
      case TF32, MXF8F6F4, MXF4, MXF4NVF4 -> d == OperandType.F32;
      case F8F6F4 -> d == OperandType.F32 || d == OperandType.F16;
      case I8 -> d == OperandType.S32;
    };
    if (!ok) {
      String legal = switch (kind) {
        case F16 -> a == OperandType.F16 ? "f16 or f32" : "f32 only (f16 only with f16 operands)";
        case TF32, MXF8F6F4, MXF4, MXF4NVF4 -> "f32 only";
        case F8F6F4 -> "f16 or f32";
        case I8 -> "s32 only";
      };
      throw new IllegalInstructionException("." + d.ptxName() + " accumulator is not legal for "
          + where + " with ." + a.ptxName() + ": it accumulates in " + legal);
    }
  }

  private static boolean operandAllowed(Tcgen05Kind kind, OperandType t) {
    return switch (kind) {
      case F16 -> t == OperandType.F16 || t == OperandType.BF16;
      case TF32 -> t == OperandType.TF32;
      case F8F6F4, MXF8F6F4 -> t.isF8F6F4();
      case I8 -> t == OperandType.S8 || t == OperandType.U8;
      case MXF4, MXF4NVF4 -> t == OperandType.E2M1;
    };
  }

  private static String operandList(Tcgen05Kind kind) {
    return switch (kind) {
      case F16 -> "f16, bf16";
      case TF32 -> "tf32";
      case F8F6F4, MXF8F6F4 -> "e4m3, e5m2, e2m3, e3m2, e2m1";
      case I8 -> "s8, u8";
      case MXF4, MXF4NVF4 -> "e2m1";
    };
  }

  private static void checkM(int ctaGroup, Tcgen05Kind kind, int m, String where) {
    boolean ok;
    String legal;
    if (ctaGroup == 1) {
      ok = m == 128 || (m == 64 && !kind.blockScaled());
      legal = kind.blockScaled() ? "M must be 128" : "M must be 64 or 128";
    } else {
      ok = m == 128 || m == 256;
      legal = "M must be 128 or 256 (the CTA pair's rows)";
    }
    if (!ok) {
      throw new IllegalInstructionException("M=" + m + " is not legal for " + where + ": " + legal);
    }
  }

  private static void checkN(int ctaGroup, Tcgen05Kind kind, int n, String where) {
    boolean i8 = kind == Tcgen05Kind.I8;
    boolean ok;
    String legal;
    if (ctaGroup == 1) {
      ok = i8 ? WgmmaRules.integerN(n) : n >= 8 && n <= 256 && n % 8 == 0;
      legal = i8 ? "N must be 8, 16, 24, or a multiple of 16 from 32 to 256"
          : "N must be a multiple of 8 from 8 to 256";
    } else {
      int step = i8 ? 32 : 16;
      ok = n >= step && n <= 256 && n % step == 0;
      legal = "N must be a multiple of " + step + " from " + step + " to 256";
    }
    if (!ok) {
      throw new IllegalInstructionException("N=" + n + " is not legal for " + where + ": " + legal);
    }
  }

  private static void checkBlockScale(Tcgen05Kind kind, int k, Optional<BlockScale> blockScale,
      String where) {
    if (!kind.blockScaled()) {
      if (blockScale.isPresent()) {
        throw new IllegalInstructionException(".block_scale is only legal with .kind::mxf8f6f4,"
            + " .kind::mxf4 and .kind::mxf4nvf4, not ." + kind.ptx());
      }
      return;
    }
    BlockScale s = blockScale.orElseThrow(() -> new IllegalInstructionException(
        "." + kind.ptx() + " requires .block_scale"));
    checkScaleVec(kind, s.scaleVec());
    if (s.scaleFormat() == FpFormat.UE4M3 && s.scaleVec() != ScaleVec.X4) {
      throw new IllegalInstructionException(".ue4m3 scales need .kind::mxf4nvf4 with"
          + " .scale_vec::4X (.block16); " + where + " with ." + s.scaleVec().ptx()
          + " takes .ue8m0");
    }
    int expectedBlock = k / s.scaleVec().scalesPerRow();
    if (s.blockSize() != expectedBlock) {
      throw new IllegalInstructionException("block size " + s.blockSize() + " does not match ."
          + s.scaleVec().ptx() + " at K=" + k + " (K / " + s.scaleVec().scalesPerRow() + " = "
          + expectedBlock + ")");
    }
  }

  /** Table 57: which {@code .scale_vec::NX} each block-scaled kind takes. */
  static void checkScaleVec(Tcgen05Kind kind, ScaleVec vec) {
    boolean vecOk = switch (kind) {
      case MXF8F6F4 -> vec == ScaleVec.X1;
      case MXF4 -> vec == ScaleVec.X2;
      case MXF4NVF4 -> vec == ScaleVec.X2 || vec == ScaleVec.X4;
      default -> throw new AssertionError(kind);
    };
    if (!vecOk) {
      String legal = switch (kind) {
        case MXF8F6F4 -> ".scale_vec::1X (.block32)";
        case MXF4 -> ".scale_vec::2X (.block32)";
        default -> ".scale_vec::2X (.block32) or .scale_vec::4X (.block16)";
      };
      throw new IllegalInstructionException("." + vec.ptx() + " is not legal with ."
          + kind.ptx() + ": it takes " + legal);
    }
  }
}

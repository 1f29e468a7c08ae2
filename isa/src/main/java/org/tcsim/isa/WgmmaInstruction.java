package org.tcsim.isa;

import java.util.Objects;

/**
 * A dense Hopper {@code wgmma.mma_async.sync.aligned.m64nNkK.dtype.atype.btype} (PTX ISA 8.7,
 * §9.7.15.5.2). Issued by a warpgroup; runs only on sm_90a.
 *
 * @param shape M x N x K (M = 64)
 * @param accumulator D's type (the PTX {@code .dtype})
 * @param a A's element type
 * @param b B's element type
 * @param aSource shared memory (descriptor) or registers
 * @param satfinite the integer-only {@code .satfinite} qualifier
 */
public record WgmmaInstruction(
    MmaShape shape,
    OperandType accumulator,
    OperandType a,
    OperandType b,
    OperandSource aSource,
    boolean satfinite) implements MmaInstruction {

  public WgmmaInstruction {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(accumulator, "accumulator");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(aSource, "aSource");
    WgmmaRules.check(shape, accumulator, a, b, aSource, satfinite);
  }

  /** A floating-point wgmma with A in shared memory. */
  public static WgmmaInstruction of(int n, OperandType accumulator, OperandType a, OperandType b) {
    int k = WgmmaRules.typeClass(a, b).k;
    return new WgmmaInstruction(new MmaShape(64, n, k), accumulator, a, b,
        OperandSource.SHARED_MEMORY, false);
  }

  @Override
  public InstructionFamily family() {
    return InstructionFamily.WGMMA;
  }

  /** sm_90a only: wgmma is not carried forward to Blackwell (PTX ISA 8.7, §9.7.15.5.2, Target ISA Notes). */
  @Override
  public Architecture architecture() {
    return Architecture.SM_90A;
  }

  @Override
  public String ptx() {
    return "wgmma.mma_async.sync.aligned." + shape.ptx() + (satfinite ? ".satfinite" : "")
        + "." + accumulator.ptxName() + "." + a.ptxName() + "." + b.ptxName();
  }

  @Override
  public String assembly() {
    boolean floating = !a.isInteger();
    boolean transposable = a == OperandType.F16 || a == OperandType.BF16;
    StringBuilder sb = new StringBuilder(ptx()).append(" {d}, ");
    if (aSource == OperandSource.REGISTERS) {
      sb.append("{a}, b-desc, scale-d");
      if (floating) {
        sb.append(", imm-scale-a, imm-scale-b");
      }
      if (transposable) {
        sb.append(", imm-trans-b");
      }
    } else {
      sb.append("a-desc, b-desc, scale-d");
      if (floating) {
        sb.append(", imm-scale-a, imm-scale-b");
      }
      if (transposable) {
        sb.append(", imm-trans-a, imm-trans-b");
      }
    }
    return sb.append(';').toString();
  }
}

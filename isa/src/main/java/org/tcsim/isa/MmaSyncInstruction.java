package org.tcsim.isa;

import java.util.Objects;

/**
 * A warp-level {@code mma.sync.aligned.m16n8kK.row.col.dtype.atype.btype.ctype} (PTX ISA 8.7,
 * §9.7.14.5.14). The PTX text does not say which GPU runs it, and the numerics differ between GPUs
 * (docs/hardware-facts.md, Datapaths: FP8 mma.sync on Ada, H100 and B200), so the instruction
 * carries its target.
 *
 * @param shape M x N x K (m16n8kK)
 * @param accumulator D's type
 * @param a A's element type
 * @param b B's element type
 * @param c C's type (may differ from D only for f16 operands)
 * @param satfinite the integer-only {@code .satfinite} qualifier
 * @param target the architecture that executes it
 */
public record MmaSyncInstruction(
    MmaShape shape,
    OperandType accumulator,
    OperandType a,
    OperandType b,
    OperandType c,
    boolean satfinite,
    Architecture target) implements MmaInstruction {

  public MmaSyncInstruction {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(accumulator, "accumulator");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(c, "c");
    Objects.requireNonNull(target, "target");
    MmaSyncRules.check(shape, accumulator, a, b, c, satfinite, target);
  }

  @Override
  public InstructionFamily family() {
    return InstructionFamily.MMA_SYNC;
  }

  @Override
  public OperandSource aSource() {
    return OperandSource.REGISTERS;
  }

  @Override
  public Architecture architecture() {
    return target;
  }

  /** The same instruction run on another architecture. */
  public MmaSyncInstruction on(Architecture other) {
    return new MmaSyncInstruction(shape, accumulator, a, b, c, satfinite, other);
  }

  @Override
  public String ptx() {
    return "mma.sync.aligned." + shape.ptx() + ".row.col" + (satfinite ? ".satfinite" : "")
        + "." + accumulator.ptxName() + "." + a.ptxName() + "." + b.ptxName() + "." + c.ptxName();
  }

  @Override
  public String assembly() {
    return ptx() + " {d}, {a}, {b}, {c};";
  }
}

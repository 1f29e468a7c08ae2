package org.tcsim.isa;

import java.util.Objects;
import java.util.Optional;

/**
 * What decides which tensor-core datapath executes an MMA: the architecture, the instruction family
 * (mma.sync and tcgen05 on the same B200 need not share numerics, docs/hardware-facts.md, FP8 into
 * FP16), the operand and
 * accumulator types, and the block scaling. The tensorcore modules map a key to concrete datapath
 * parameters (a preset); this module only builds the key.
 *
 * <p>The shape is deliberately absent: within one family and type combination the shape changes how
 * many block-FMA steps run, not how each one rounds.
 */
public record DatapathKey(
    Architecture arch,
    InstructionFamily family,
    OperandType a,
    OperandType b,
    OperandType accumulator,
    Optional<BlockScale> blockScale) {

  public DatapathKey {
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(accumulator, "accumulator");
    Objects.requireNonNull(blockScale, "blockScale");
  }

  public boolean blockScaled() {
    return blockScale.isPresent();
  }

  /** One line for people: {@code sm_90a wgmma e4m3 x e5m2 -> f32}. */
  public String describe() {
    StringBuilder sb = new StringBuilder()
        .append(arch.ptxTarget()).append(' ')
        .append(family.ptxOpcode()).append(' ')
        .append(a.ptxName()).append(" x ").append(b.ptxName())
        .append(" -> ").append(accumulator.ptxName());
    blockScale.ifPresent(s -> sb.append(", block-scaled ").append(s));
    return sb.toString();
  }
}

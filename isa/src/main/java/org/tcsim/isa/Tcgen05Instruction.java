package org.tcsim.isa;

import java.util.Objects;
import java.util.Optional;

/**
 * A dense Blackwell {@code tcgen05.mma} (PTX ISA 8.7, §9.7.16.10.9.1), issued by a single thread.
 *
 * <p>In real PTX the shape and the exact element types are not in the mnemonic: they sit in the
 * 32-bit instruction descriptor {@code idesc} (§9.7.16.4.2). So that one string names one complete
 * MMA, tcsim writes those descriptor fields after the PTX qualifiers in wgmma order, shape then
 * D, A, B types, then the scale type for block-scaled kinds:
 * {@code tcgen05.mma.cta_group::1.kind::f8f6f4.m128n256k32.f32.e4m3.e2m1}, or
 * {@code tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.scale_vec::1X.m128n256k32.f32.e4m3.e4m3.ue8m0}.
 *
 * <p>With {@code cta_group::2} the shape is the CTA pair's (each CTA holds M/2 rows of D), and
 * {@link #flops()} counts the whole pair.
 *
 * @param ctaGroup 1 or 2
 * @param kind the {@code .kind} qualifier
 * @param shape M x N x K of the whole instruction
 * @param accumulator D's type (idesc)
 * @param a A's element type (idesc)
 * @param b B's element type (idesc)
 * @param aSource shared memory (descriptor) or tensor memory
 * @param blockScale the block scaling of mx kinds, empty otherwise
 */
public record Tcgen05Instruction(
    int ctaGroup,
    Tcgen05Kind kind,
    MmaShape shape,
    OperandType accumulator,
    OperandType a,
    OperandType b,
    OperandSource aSource,
    Optional<BlockScale> blockScale) implements MmaInstruction {

  public Tcgen05Instruction {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(accumulator, "accumulator");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(aSource, "aSource");
    Objects.requireNonNull(blockScale, "blockScale");
    Tcgen05Rules.check(ctaGroup, kind, shape, accumulator, a, b, aSource, blockScale);
  }

  @Override
  public InstructionFamily family() {
    return InstructionFamily.TCGEN05;
  }

  /** sm_100a (PTX ISA 8.7, §9.7.16.10.9.1, Target ISA Notes). */
  @Override
  public Architecture architecture() {
    return Architecture.SM_100A;
  }

  /** FLOPs done by each CTA of the group: {@link #flops()} / ctaGroup. */
  public long flopsPerCta() {
    return flops() / ctaGroup;
  }

  @Override
  public String ptx() {
    StringBuilder sb = new StringBuilder("tcgen05.mma.cta_group::").append(ctaGroup)
        .append('.').append(kind.ptx());
    blockScale.ifPresent(s -> sb.append(".block_scale.").append(s.scaleVec().ptx()));
    sb.append('.').append(shape.ptx()).append('.').append(accumulator.ptxName())
        .append('.').append(a.ptxName()).append('.').append(b.ptxName());
    blockScale.ifPresent(s -> sb.append('.').append(s.scalePtxName()));
    return sb.toString();
  }

  @Override
  public String assembly() {
    StringBuilder sb = new StringBuilder(ptx()).append(" [d-tmem], ")
        .append(aSource == OperandSource.TENSOR_MEMORY ? "[a-tmem]" : "a-desc")
        .append(", b-desc, idesc, ");
    if (blockScale.isPresent()) {
      sb.append("[scale-A-tmem], [scale-B-tmem], ");
    }
    return sb.append("enable-input-d;").toString();
  }
}

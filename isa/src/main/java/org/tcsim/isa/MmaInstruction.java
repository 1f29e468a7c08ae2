package org.tcsim.isa;

import java.util.Optional;

/**
 * One legal tensor-core MMA instruction, as a value: {@code D = A * B + C} with A of M x K, B of
 * K x N and C, D of M x N. Every instance is legal; the constructors of the implementing records
 * reject illegal combinations with an {@link IllegalInstructionException} that says why.
 *
 * <p>FLOP convention: {@link #flops()} is 2*M*N*K for the whole instruction as written. For
 * {@code tcgen05.mma.cta_group::2} the shape already spans the CTA pair (M=256 means 128 rows in each
 * CTA, PTX ISA 8.7, §9.7.16.2.1), so no extra factor of two is applied; see
 * {@link Tcgen05Instruction#flopsPerCta()}.
 */
public sealed interface MmaInstruction
    permits WgmmaInstruction, Tcgen05Instruction, MmaSyncInstruction {

  InstructionFamily family();

  MmaShape shape();

  /** Element type of A. */
  OperandType a();

  /** Element type of B. */
  OperandType b();

  /** Type of the accumulator / result D. */
  OperandType accumulator();

  /** Where A is read from. */
  OperandSource aSource();

  /** CTAs that cooperate on the instruction: 1, or 2 for {@code tcgen05 .cta_group::2}. */
  default int ctaGroup() {
    return 1;
  }

  /** The block scaling, present only for block-scaled kinds. */
  default Optional<BlockScale> blockScale() {
    return Optional.empty();
  }

  /** The architecture whose tensor core executes the instruction. */
  Architecture architecture();

  default IssueGranularity issueGranularity() {
    return family().issueGranularity();
  }

  /** 2*M*N*K for the whole instruction (see the class comment for cta_group::2). */
  default long flops() {
    return shape().flops();
  }

  /** The canonical PTX mnemonic, e.g. {@code wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2}. */
  String ptx();

  /**
   * The mnemonic followed by a symbolic operand list that fixes what the mnemonic leaves open (where A
   * lives); {@link PtxParser#parse} reads it back to an equal instruction.
   */
  String assembly();

  /** The key the tensorcore modules map to a datapath preset. */
  default DatapathKey datapathKey() {
    return new DatapathKey(architecture(), family(), a(), b(), accumulator(), blockScale());
  }
}

package org.tcsim.isa;

/** The three tensor-core instruction families tcsim models, with who issues each. */
public enum InstructionFamily {
  /** Hopper {@code wgmma.mma_async}: issued by a warpgroup of four warps (PTX ISA 8.7, §9.7.15). */
  WGMMA("wgmma.mma_async", IssueGranularity.WARPGROUP),
  /** Blackwell {@code tcgen05.mma}: issued by one thread (PTX ISA 8.7, §9.7.16.10.9, "single thread semantics"). */
  TCGEN05("tcgen05.mma", IssueGranularity.SINGLE_THREAD),
  /** Warp-level {@code mma.sync} (PTX ISA 8.7, §9.7.14.5.14). */
  MMA_SYNC("mma.sync", IssueGranularity.WARP);

  private final String ptxOpcode;
  private final IssueGranularity issueGranularity;

  InstructionFamily(String ptxOpcode, IssueGranularity issueGranularity) {
    this.ptxOpcode = ptxOpcode;
    this.issueGranularity = issueGranularity;
  }

  public String ptxOpcode() {
    return ptxOpcode;
  }

  /** The family whose PTX opcode is {@code opcode} ({@code wgmma.mma_async}, ...), if any. */
  public static java.util.Optional<InstructionFamily> byPtxOpcode(String opcode) {
    return java.util.Arrays.stream(values()).filter(f -> f.ptxOpcode.equals(opcode)).findFirst();
  }

  public IssueGranularity issueGranularity() {
    return issueGranularity;
  }
}

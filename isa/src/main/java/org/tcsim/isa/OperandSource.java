package org.tcsim.isa;

/** Where an MMA reads its A operand from. B always comes from shared memory for wgmma and tcgen05. */
public enum OperandSource {
  /** A shared-memory matrix named by a 64-bit matrix descriptor ({@code a-desc}). */
  SHARED_MEMORY("shared memory (descriptor)"),
  /** Registers of the issuing threads ({@code {a0, a1, ...}}): wgmma "RS" form, and always for mma.sync. */
  REGISTERS("registers"),
  /** Blackwell tensor memory ({@code [a-tmem]}), tcgen05 only. */
  TENSOR_MEMORY("tensor memory");

  private final String label;

  OperandSource(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}

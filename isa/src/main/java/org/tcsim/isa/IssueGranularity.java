package org.tcsim.isa;

/** How many threads take part in issuing one MMA instruction. */
public enum IssueGranularity {
  /** All 32 threads of a warp, each holding fragments of A, B, C and D ({@code mma.sync}). */
  WARP("warp", 32),
  /** Four contiguous warps, 128 threads ({@code wgmma.mma_async}, PTX ISA 8.7, §9.7.15.1). */
  WARPGROUP("warpgroup", 128),
  /** One thread starts the whole MMA ({@code tcgen05.mma}, PTX ISA 8.7, §9.7.16.10.9). */
  SINGLE_THREAD("single thread", 1);

  private final String label;
  private final int threads;

  IssueGranularity(String label, int threads) {
    this.label = label;
    this.threads = threads;
  }

  public String label() {
    return label;
  }

  /** Threads that execute the instruction together. */
  public int threads() {
    return threads;
  }
}

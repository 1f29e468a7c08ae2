package org.tcsim.core.datapath;

/**
 * Which products go into which step when K is longer than one step.
 */
public enum StepOrder {
  /** Steps take consecutive runs of k: 0..s-1, then s..2s-1, and so on. */
  SEQUENTIAL,
  /**
   * Within each run of 2s products (s = productsPerStep), the first step takes the k with
   * k mod 4 in {0, 1} and the second those with k mod 4 in {2, 3}. This is how FP8 {@code mma.sync}
   * m16n8k32 with an FP16 accumulator runs on H100 and B200: each register of four FP8 values
   * (k = 4t..4t+3) becomes a low (4t, 4t+1) and a high (4t+2, 4t+3) pair of FP16 values, and two
   * FP16 HMMA k16 steps take the low pairs, then the high ones. Inferred by tcsim from the golden
   * data (it reproduces all 15000 H100 and B200 FP8-to-FP16 samples; see README, "Open questions,
   * answered"); not checked against SASS.
   */
  PAIRS_BY_K_MOD_4;

  /**
   * The order in which the k indices 0..k-1 of one dot product are fed to its steps (the
   * datapath takes them in this order, {@code productsPerStep} at a time, when k exceeds one step).
   */
  public int[] order(int k, int productsPerStep) {
    int[] order = new int[k];
    switch (this) {
      case SEQUENTIAL -> {
        for (int i = 0; i < k; i++) {
          order[i] = i;
        }
      }
      case PAIRS_BY_K_MOD_4 -> {
        int chunk = 2 * productsPerStep;
        int next = 0;
        for (int start = 0; start < k; start += chunk) {
          int end = Math.min(k, start + chunk);
          for (int half = 0; half < 2; half++) {
            for (int i = start; i < end; i++) {
              if (((i - start) % 4 < 2) == (half == 0)) {
                order[next++] = i;
              }
            }
          }
        }
      }
    }
    return order;
  }
}

package org.tcsim.core.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class StepOrderTest {

  @Test
  void sequentialIsTheIdentity() {
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, StepOrder.SEQUENTIAL.order(5, 2));
  }

  @Test
  void pairsByKMod4TakeTheLowPairsThenTheHighPairsOfEachDoubleStep() {
    // k = 0..31, steps of 16: first 0,1,4,5,...,28,29; then 2,3,6,7,...,30,31.
    int[] expected = {0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29,
        2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31};
    assertArrayEquals(expected, StepOrder.PAIRS_BY_K_MOD_4.order(32, 16));
    // A longer K repeats the pattern per 32-element chunk.
    int[] twoChunks = StepOrder.PAIRS_BY_K_MOD_4.order(64, 16);
    for (int i = 0; i < 32; i++) {
      assertArrayEquals(new int[] {expected[i] + 32}, new int[] {twoChunks[32 + i]});
    }
  }
}

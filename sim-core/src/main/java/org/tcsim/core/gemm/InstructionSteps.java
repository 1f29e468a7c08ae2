package org.tcsim.core.gemm;

import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.StepOrder;

/**
 * Which k of a loaded K block each BFMA step takes, when the block is a run of MMA instructions
 * of K {@code instructionK} from its start (the last one possibly shorter), each instruction's k
 * in the datapath's order ({@link StepOrder}), {@code productsPerStep} at a time, as
 * {@link BlockFmaDatapath#dot} takes them. Offsets are relative to the block's start. Mutable, one
 * per thread: {@link #plan} recomputes it for each loaded block.
 */
final class InstructionSteps {

  private final int productsPerStep;
  private final StepOrder stepOrder;
  /** The block's length and instruction K of the current plan (-1: none yet). */
  private int length = -1;
  private int instructionK;
  /** Per step g: its k are ks[begin[g] .. begin[g + 1]). */
  int[] begin = new int[1];
  int[] ks = new int[0];
  /** Per k offset: its step. */
  int[] stepOf = new int[0];
  int steps;

  InstructionSteps(int productsPerStep, StepOrder stepOrder) {
    this.productsPerStep = productsPerStep;
    this.stepOrder = stepOrder;
  }

  /** Plans a block of {@code length} k cut into instructions of {@code instructionK}. */
  void plan(int length, int instructionK) {
    if (length == this.length && instructionK == this.instructionK) {
      return;
    }
    this.length = length;
    this.instructionK = instructionK;
    if (ks.length < length) {
      ks = new int[length];
      stepOf = new int[length];
      begin = new int[length + 1];
    }
    steps = 0;
    int next = 0;
    for (int s0 = 0; s0 < length; s0 += instructionK) {
      int n = Math.min(length - s0, instructionK);
      int[] order = order(n);
      for (int from = 0; from < n; from += productsPerStep) {
        begin[steps] = next;
        for (int t = from; t < Math.min(n, from + productsPerStep); t++) {
          ks[next++] = s0 + order[t];
          stepOf[s0 + order[t]] = steps;
        }
        steps++;
      }
      if (instructionK > length - s0) {
        break;
      }
    }
    begin[steps] = next;
  }

  /** The order of an instruction's k, as {@link BlockFmaDatapath#dot} takes them. */
  int[] order(int k) {
    return k > productsPerStep ? stepOrder.order(k, productsPerStep)
        : StepOrder.SEQUENTIAL.order(k, productsPerStep);
  }

  /**
   * Whether the plan has an instruction from offset {@code from} to {@code to}; its steps are then
   * g = stepOf[from], ... while g &lt; steps and begin[g] &lt; to (an instruction's k fill
   * ks[from .. to), its steps in order).
   */
  boolean hasInstruction(int from, int to) {
    return from >= 0 && from < length && from % instructionK == 0
        && to == from + Math.min(length - from, instructionK);
  }
}

package org.tcsim.replay;

import org.tcsim.core.gemm.AccuracySummary;
import org.tcsim.timing.TimingResult;
import org.tcsim.traces.trace.GemmSpec;

/**
 * What the replay of one trace GEMM found: a per-GEMM summary only (never D itself).
 *
 * @param index position in the trace, from 0
 * @param spec the GEMM
 * @param status what happened
 * @param message why it was skipped or failed, or what was done to its inputs (FP32 data
 *     quantised to FP8); empty otherwise
 * @param preset the datapath preset that ran it, or empty
 * @param kernel the engine kernel, or empty
 * @param rowsComputed rows of D computed per product (M unless a row limit was set)
 * @param accuracy error against the exact product (sampled), or null when not simulated
 * @param amaxD max |D| before scaleD over what was computed
 * @param golden the bit-for-bit comparison with the GPU's output, or null
 * @param timing the timing model's prediction, or null ({@code timingNote} says why)
 * @param timingNote why there is no timing, or empty
 * @param seconds wall time of the simulation
 */
public record ReplayResult(int index, GemmSpec spec, Status status, String message, String preset,
    String kernel, long rowsComputed, AccuracySummary accuracy, float amaxD,
    GoldenComparison golden, TimingResult timing, String timingNote, double seconds) {

  /** The outcome of one GEMM. */
  public enum Status {
    /** Simulated; no golden output to compare with. */
    SIMULATED,
    /** Simulated and compared with a golden output: every element bit-exact. */
    MATCHED,
    /** Simulated and compared with a golden output: some element differs. */
    MISMATCHED,
    /** Not simulated: the model cannot run it (a reason is given); timing may still be there. */
    SKIPPED,
    /** A golden case was named but cannot be compared with this GEMM (a reason is given). */
    FAILED;

    /** True for outcomes that make a replay fail. */
    public boolean failing() {
      return switch (this) {
        case MISMATCHED, FAILED -> true;
        case SIMULATED, MATCHED, SKIPPED -> false;
      };
    }
  }

  /** Predicted TFLOPS, or NaN without timing. */
  public double tflops() {
    return timing == null ? Double.NaN : timing.tflops();
  }

  /** Predicted microseconds, or NaN without timing. */
  public double microseconds() {
    return timing == null ? Double.NaN : timing.microseconds();
  }
}

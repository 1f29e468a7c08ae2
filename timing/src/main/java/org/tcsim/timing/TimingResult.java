package org.tcsim.timing;

import java.util.Map;

/**
 * The prediction for one GEMM and its breakdown.
 *
 * @param machine        name of the machine description used
 * @param problem        the GEMM
 * @param config         the kernel launch it was timed with
 * @param microseconds   predicted kernel time
 * @param tiles          CTA tiles over all groups
 * @param ctas           persistent CTAs launched (at most one per SM)
 * @param waves          ceil(tiles / ctas)
 * @param lastWaveTiles  tiles in the last wave (ctas when it is full)
 * @param hbmBytes       bytes read from and written to HBM
 * @param l2Bytes        bytes moved between L2 and the SMs
 * @param utilisation    busy share of each unit over the kernel time
 * @param idealMicroseconds time each unit alone would need at its rate: MMA (padded tiles), HBM, L2
 * @param bound          what limits the time
 * @param events         events the discrete-event engine fired (a cost figure, for benchmarks)
 * @param clockGhz       the sustained SM clock the kernel was timed at (power limit applied)
 * @param watts          modelled board power at that clock
 */
public record TimingResult(String machine, GemmProblem problem, KernelConfig config, double microseconds,
    long tiles, int ctas, long waves, long lastWaveTiles, double hbmBytes, double l2Bytes,
    Map<Unit, Double> utilisation, Map<Unit, Double> idealMicroseconds, Bound bound, long events,
    double clockGhz, double watts) {

  public TimingResult {
    utilisation = Map.copyOf(utilisation);
    idealMicroseconds = Map.copyOf(idealMicroseconds);
  }

  /** Useful FLOPs over the predicted time, in TFLOPS. */
  public double tflops() {
    return problem.flops() / (microseconds * 1e-6) / 1e12;
  }

  /** Achieved HBM bandwidth, GB/s. */
  public double hbmGBps() {
    return hbmBytes / (microseconds * 1e-6) / 1e9;
  }

  /** The least bytes the GEMM must move over the time, GB/s (how DeepGEMM reports bandwidth). */
  public double minimumBytesGBps() {
    return problem.minimumBytes() / (microseconds * 1e-6) / 1e9;
  }

  /** Share of CTA-slots doing work over all waves: tiles / (waves x ctas). */
  public double waveEfficiency() {
    return (double) tiles / ((double) waves * ctas);
  }
}

package org.tcsim.timing;

import java.util.EnumMap;
import java.util.Map;

/**
 * Split-K: when a GEMM has fewer output tiles than SMs (a decode-sized M, a narrow N), a tuned
 * library cuts each tile's K range into slices computed by different CTAs and adds their FP32
 * partial tiles (CUTLASS's split-K and stream-K fix-up through a global-memory workspace; cuBLASLt's
 * split-K algorithms, {@code CUBLASLT_ALGO_CONFIG_SPLITK_NUM}).
 *
 * <p>Timed as two phases: the slices, simulated by {@link GemmTimingModel} as {@code splitK} times
 * as many independent products of depth K / splitK with FP32 outputs (the partial tiles, stored
 * through L2 to HBM as any output); then the fix-up, in which every partial tile is read back
 * through L2 by the CTAs that computed it and the sum is converted and stored once: at the chip's
 * L2 rate or at each SM's share of it, whichever is slower, plus one L2 round trip for the flag
 * that says a tile's partials are all written. The fix-up's reads hit L2 (the workspace is
 * written just before); its final store goes to HBM.
 */
final class SplitK {

  /** Bytes of one FP32 partial sum. */
  static final int PARTIAL_BYTES = 4;

  private SplitK() {}

  /** The depth of one slice: whole K blocks, {@code splitK} slices covering K. */
  static long sliceK(GemmProblem problem, KernelConfig config) {
    long kBlocks = TileHeuristic.ceilDiv(problem.k(), config.blockK());
    return Math.min(problem.k(), TileHeuristic.ceilDiv(kBlocks, config.splitK()) * config.blockK());
  }

  /** The slices as one grouped GEMM with FP32 outputs. */
  static GemmProblem slices(GemmProblem problem, KernelConfig config) {
    java.util.List<Long> rows = new java.util.ArrayList<>();
    if (problem.isMasked()) {
      for (int s = 0; s < config.splitK(); s++) {
        rows.addAll(problem.maskedRows());
      }
    }
    return new GemmProblem(problem.m(), problem.n(), sliceK(problem, config),
        Math.multiplyExact(problem.groups(), config.splitK()), PARTIAL_BYTES, problem.recipe(), rows);
  }

  static TimingResult predict(MachineSpec spec, GemmProblem problem, KernelConfig config) {
    TimingResult part = GemmTimingModel.predict(spec, slices(problem, config), config.withSplitK(1));
    double fixUpUs = fixUpMicroseconds(spec, problem, config, part.clockGhz());
    double us = part.microseconds() + fixUpUs;
    double partialBytes = partialBytes(problem, config);
    double finalBytes = finalBytes(problem);
    double share = part.microseconds() / us;
    Map<Unit, Double> util = new EnumMap<>(Unit.class);
    part.utilisation().forEach((u, v) -> util.put(u, v * share));
    Map<Unit, Double> ideal = new EnumMap<>(part.idealMicroseconds());
    return new TimingResult(part.machine(), problem, config, us, part.tiles(), part.ctas(), part.waves(),
        part.lastWaveTiles(), part.hbmBytes() + finalBytes, part.l2Bytes() + partialBytes + finalBytes, util, ideal,
        part.bound(), part.events(), part.clockGhz(), part.watts());
  }

  /** The fix-up phase at clock {@code ghz}, in microseconds. */
  static double fixUpMicroseconds(MachineSpec spec, GemmProblem problem, KernelConfig config, double ghz) {
    int sms = spec.getInt(MachineParam.SMS);
    double cyclesPerUs = ghz * 1e3;
    // L2 runs in the graphics clock domain: its bytes per cycle are fixed (GemmTimingModel).
    double l2BytesPerCycle = spec.get(MachineParam.L2_TBPS) * 1e12 / (spec.get(MachineParam.CLOCK_GHZ) * 1e9);
    double hbmBytesPerUs = spec.get(MachineParam.HBM_TBPS) * spec.get(MachineParam.HBM_EFFICIENCY) * 1e6;
    double partialBytes = partialBytes(problem, config);
    double finalBytes = finalBytes(problem);
    double chipCycles = partialBytes / l2BytesPerCycle;
    // One tile's partials, read by the splitK CTAs that computed it, each at its share of L2.
    double tileRows = Math.min(config.blockM(), problem.m());
    double tileCols = Math.min(config.blockN(), problem.n());
    double perTileCycles = tileRows * tileCols * PARTIAL_BYTES / (l2BytesPerCycle / sms);
    double readCycles = Math.max(chipCycles, perTileCycles);
    double flagCycles = spec.get(MachineParam.L2_LATENCY) + spec.get(MachineParam.SYNC_CYCLES);
    return (readCycles + flagCycles) / cyclesPerUs + finalBytes / hbmBytesPerUs;
  }

  /** The FP32 partial tiles every slice writes and the fix-up reads back, in bytes. */
  private static double partialBytes(GemmProblem problem, KernelConfig config) {
    return config.splitK() * problem.totalRows() * problem.n() * PARTIAL_BYTES;
  }

  /** The finished D the fix-up writes, in bytes. */
  private static double finalBytes(GemmProblem problem) {
    return problem.totalRows() * problem.n() * problem.outBytes();
  }
}

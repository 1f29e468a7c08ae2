package org.tcsim.timing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel a tuned library would run for a shape: libraries such as DeepGEMM and cuBLASLt time
 * (or have timed offline) several tile configurations and launch the fastest. Simulating every
 * candidate would cost dozens of simulations, so the candidates are ranked by a cheap roofline
 * estimate ({@link #estimateMicroseconds}) and the best {@link #SIMULATED} of them, plus the wave
 * rule's pick ({@link TileHeuristic#choose}) and, when the output tiles leave SMs idle, the best
 * split-K variant ({@link #splits}), are simulated; the fastest is the prediction.
 */
public final class TileSearch {

  /** Candidates from the estimate's ranking that are simulated. */
  public static final int SIMULATED = 2;

  private TileSearch() {}

  /** The fastest of the simulated candidates for {@code problem} on {@code spec}. */
  public static TimingResult best(MachineSpec spec, GemmProblem problem) {
    problem.recipe().requireSupported(spec);
    List<KernelConfig> all = TileHeuristic.candidates(spec, problem);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no tile fits the shared memory and registers of " + spec.name());
    }
    Set<KernelConfig> tried = new LinkedHashSet<>();
    tried.add(TileHeuristic.choose(spec, problem));
    // Each candidate's estimate once (a sort compares every candidate several times).
    Map<KernelConfig, Double> estimates = new HashMap<>();
    Comparator<KernelConfig> byEstimate = Comparator.comparingDouble(
        c -> estimates.computeIfAbsent(c, k -> estimateMicroseconds(spec, problem, k)));
    List<KernelConfig> ranked = new ArrayList<>(all);
    ranked.sort(byEstimate);
    for (int i = 0; i < ranked.size() && tried.size() < SIMULATED + 1; i++) {
      tried.add(ranked.get(i));
    }
    // The estimate sees bandwidth, not latency, which is what split-K saves: the best split is
    // always simulated beside the unsplit candidates.
    splits(spec, problem, all).stream().min(byEstimate).ifPresent(tried::add);
    TimingResult best = null;
    for (KernelConfig c : tried) {
      TimingResult r = GemmTimingModel.predict(spec, problem, c);
      if (best == null || r.microseconds() < best.microseconds()) {
        best = r;
      }
    }
    return best;
  }

  /** Largest K split a tuned library tries. */
  public static final int MAX_SPLIT_K = 16;

  /**
   * The split-K variants of {@code candidates}: for a tile whose output tiles leave SMs idle, K cut
   * into 2, 4, 8 or 16 slices while the slices still fit one wave and each keeps at least two K
   * blocks (so that its pipeline fills).
   */
  public static List<KernelConfig> splits(MachineSpec spec, GemmProblem problem, List<KernelConfig> candidates) {
    int sms = spec.getInt(MachineParam.SMS);
    List<KernelConfig> out = new ArrayList<>();
    for (KernelConfig c : candidates) {
      long tiles = TileHeuristic.tiles(problem, c.blockM(), c.blockN());
      long kBlocks = TileHeuristic.ceilDiv(problem.k(), c.blockK());
      for (int s = 2; s <= MAX_SPLIT_K; s *= 2) {
        if (tiles * s > sms || kBlocks < 2L * s) {
          break;
        }
        out.add(c.withSplitK(s));
      }
    }
    return out;
  }

  /**
   * A roofline estimate of {@code config}'s time at the highest clock: the longest of the tensor
   * cores' time over the waves of tiles (plus, with one accumulator buffer, each tile's output
   * store at its SM's share of L2 bandwidth), the operand traffic through L2 and the compulsory
   * HBM traffic.
   */
  public static double estimateMicroseconds(MachineSpec spec, GemmProblem problem, KernelConfig config) {
    if (config.splitK() > 1) {
      return estimateMicroseconds(spec, SplitK.slices(problem, config), config.withSplitK(1))
          + SplitK.fixUpMicroseconds(spec, problem, config, spec.clockCeilingGhz());
    }
    double ghz = spec.clockCeilingGhz();
    int sms = spec.getInt(MachineParam.SMS);
    double rate = GemmTimingModel.mmaFlopsPerClock(spec, problem.recipe());
    long tiles = TileHeuristic.tiles(problem, config.blockM(), config.blockN());
    long waves = TileHeuristic.ceilDiv(tiles, sms);
    double l2BytesPerCycle = spec.get(MachineParam.L2_TBPS) * 1e3 / ghz;
    double tileCycles = 2.0 * config.blockM() * config.blockN() * problem.k() / rate;
    if (spec.getInt(MachineParam.ACCUM_BUFFERS) == 1) {
      tileCycles += (double) config.blockM() * config.blockN() * problem.outBytes() / (l2BytesPerCycle / sms);
    }
    double mmaUs = waves * tileCycles / (ghz * 1e3);
    double aShare = config.clusterN() == 2 ? 0.5 : 1.0;
    double bShare = config.clusterM() == 2 ? 0.5 : 1.0;
    double l2Us = tiles * (double) problem.k() * problem.recipe().elementBytes()
        * (config.blockM() * aShare + config.blockN() * bShare) / (spec.get(MachineParam.L2_TBPS) * 1e6);
    double hbmUs = problem.minimumBytes()
        / (spec.get(MachineParam.HBM_TBPS) * spec.get(MachineParam.HBM_EFFICIENCY) * 1e6);
    return Math.max(mmaUs, Math.max(l2Us, hbmUs));
  }
}

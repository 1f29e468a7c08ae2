package org.tcsim.timing;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Discrete-event model of a warp-specialised persistent FP8/FP4 GEMM (the structure of DeepGEMM's
 * sm90_fp8_gemm_1d2d.cuh and of CUTLASS's Hopper and Blackwell kernels), driven only by a
 * {@link MachineSpec} and a {@link KernelConfig}, at the SM clock the power limit allows
 * ({@link SustainedClock}).
 *
 * <p>Per SM, one CTA walks its tiles (tile {@code s}, {@code s + ctas}, ...; the last wave may be
 * partial). Its entities:
 * <ul>
 *   <li>a TMA producer that, for every K block, waits for an empty stage of the shared-memory ring
 *       and loads the A and B blocks (and A's scales). Each load is served, first come first
 *       served, by the chip-wide L2 (every byte) and HBM (blocks not found in L2); a block is found
 *       in L2 if fewer than {@code l2_mb} of HBM traffic happened since it was last fetched, an LRU
 *       stack-distance approximation, so tile rasterisation decides reuse. With a cluster of two,
 *       each CTA loads half of the shared operand and multicasts it;</li>
 *   <li>one or two math warpgroups that wait for a full stage, issue the block's MMAs to the SM's
 *       tensor cores (shared: the two warpgroups' MMAs queue), wait for them
 *       ({@code wgmma.wait_group 0}: occupancy plus {@code mma_tail_cycles}), release the stage and,
 *       when the recipe needs it, promote the partial sums into FP32 on the CUDA cores (so with two
 *       warpgroups one promotes while the other's MMAs run); without promotion they keep issuing
 *       and the stage is released when its MMAs complete;</li>
 *   <li>an epilogue per tile: convert on the CUDA cores, store the output through L2 to HBM. With
 *       one accumulator buffer (registers, Hopper) the warpgroup waits for the store; with a TMEM
 *       double buffer (Blackwell) the next tile's MMAs overlap it.</li>
 * </ul>
 * Each entity has at most one pending event, so the event objects are allocated once.
 *
 * <p>Left out: clock changes within a kernel (one sustained clock per kernel); L2 partitions, DRAM page
 * and bank effects (HBM and L2 are single FIFO servers at fixed rates); the cross-CTA handshake of
 * a multicast cluster; register-bank and issue-slot conflicts between warps; instruction-cache
 * misses; TMA descriptor and scale-factor layout costs beyond
 * their bytes; and the time of launching the kernel beyond one fixed {@code launch_us}.
 */
public final class GemmTimingModel {

  /** Tiles per rasterisation band: the scheduler walks bands of 16 tiles along one dimension so
   * that tiles running at the same time share operands in L2 (DeepGEMM's scheduler groups 16). */
  public static final int RASTER_BAND = 16;

  private final MachineSpec spec;
  private final GemmProblem problem;
  private final KernelConfig config;

  // Derived figures, in cycles and bytes.
  private final int sms;
  private final int ctas;
  private final int stages;
  private final int wgs;
  private final int kBlocks;
  private final long tilesN;
  private final long[] groupTileStart; // first tile of each group, and the tile count at [groups]
  private final long[] groupRowTileStart; // first row tile (M block) of each group over all groups
  // Where the tile last located lies (set by locate; the model runs on one thread).
  private int locGroup;
  private long locM;
  private long locN;
  private final long tiles;
  private final double cyclesPerUs;
  private final double mmaCyclesPerBlock;
  private final double promoteWork;
  private final double epilogueWork;
  private final double mmaTail;
  private final double sync;
  private final double l2Latency;
  private final double hbmLatency;
  private final double tmaLatency;
  private final double l2CapacityBytes;
  private final boolean promotes;
  private final boolean overlapEpilogue;
  private final double tilePrologue;
  private final double aShare;
  private final double bShare;
  private final boolean rasterAlongM;

  // Shared memory system.
  private final FifoServer l2;
  private final FifoServer hbm;
  private double hbmTraffic;
  private final double[] aStamp;
  private final double[] aReady;
  private final double[] bStamp;
  private final double[] bReady;

  // Per SM state.
  private final FifoServer[] tensorCores;
  private final FifoServer[] cudaCores;
  private final long[] iterations;
  private final long[] producerIter;
  private final boolean[] producerWaiting;
  private final long[] loadedIter; // [sm * stages + stage]
  private final double[] fullAt;
  private final long[] releasedIter;
  private final int[] releaseCount;
  private final double[] emptyAt;
  private final long[] consumerIter; // [sm * wgs + wg]
  private final boolean[] consumerWaiting;
  private final double[] wgReady;
  private final double[] accumDoneAt;
  private final int[] epilogueArrivals; // per SM: math warpgroups at the end-of-tile barrier
  private final double[] epilogueJoin; // per SM: the latest of their arrivals
  private final double[] storeReadDone; // per SM: when the last TMA store has read its shared memory

  /** CUDA-core cycles, over all SMs, spent promoting and in epilogues: which of the two bounds. */
  private double promoteCycles;
  private double epilogueCycles;

  private final EventQueue queue = new EventQueue();
  private final EventQueue.Event[] producerEvents;
  private final EventQueue.Event[] consumerEvents;
  private double lastStoreDone;

  /**
   * Most block steps (one K block of one tile: a TMA load, its MMAs and a release, a handful of
   * events) one prediction may simulate. The model runs a few million steps a second on one core,
   * so this is minutes; a 2^40-cubed GEMM would be ~10^22 steps, years of silent running. Refused
   * up front, naming the size, rather than started.
   */
  public static final long MAX_BLOCK_STEPS = 1_000_000_000L;

  /**
   * The block steps {@code problem} launched as {@code config} simulates: groups x tiles x K
   * blocks, saturating at {@link Long#MAX_VALUE} instead of wrapping. Cheap: nothing is allocated.
   */
  public static long blockSteps(GemmProblem problem, KernelConfig config) {
    long[] factors = {TileHeuristic.tilesM(problem, config.blockM()),
        TileHeuristic.ceilDiv(problem.n(), config.blockN()),
        TileHeuristic.ceilDiv(problem.k(), config.blockK())};
    long steps = 1;
    for (long f : factors) {
      if (f <= 0) {
        return 0;
      }
      if (steps > Long.MAX_VALUE / f) {
        return Long.MAX_VALUE;
      }
      steps *= f;
    }
    return steps;
  }

  /**
   * Returns {@link #blockSteps}, or throws naming the size and {@link #MAX_BLOCK_STEPS} when the
   * problem is over it; {@link #predict} checks this before allocating anything.
   */
  public static long requireSimulable(GemmProblem problem, KernelConfig config) {
    long steps = blockSteps(problem, config);
    if (steps > MAX_BLOCK_STEPS) {
      throw new IllegalArgumentException("problem too large to simulate: " + problem.m() + "x"
          + problem.n() + "x" + problem.k() + " x " + problem.groups() + " group(s) with tile "
          + config.tileText() + " is " + (steps == Long.MAX_VALUE ? "more than 2^63" : steps)
          + " block steps, over the limit of " + MAX_BLOCK_STEPS + " (minutes of simulation)");
    }
    return steps;
  }

  private final double clockGhz;
  private final double scaleCycles;
  private final double elementBytes;

  private GemmTimingModel(MachineSpec spec, GemmProblem problem, KernelConfig config, double clockGhz) {
    requireSimulable(problem, config);
    this.clockGhz = clockGhz;
    this.spec = spec;
    this.problem = problem;
    this.config = config;
    sms = spec.getInt(MachineParam.SMS);
    int cluster = config.clusterSize();
    tilesN = TileHeuristic.ceilDiv(problem.n(), config.blockN());
    groupTileStart = new long[problem.groups() + 1];
    groupRowTileStart = new long[problem.groups() + 1];
    for (int g = 0; g < problem.groups(); g++) {
      long rowTiles = TileHeuristic.ceilDiv(problem.rows(g), config.blockM());
      groupRowTileStart[g + 1] = groupRowTileStart[g] + rowTiles;
      groupTileStart[g + 1] = groupTileStart[g] + rowTiles * tilesN;
    }
    tiles = groupTileStart[problem.groups()];
    ctas = (int) Math.min((long) (sms / cluster) * cluster, TileHeuristic.ceilDiv(tiles, cluster) * cluster);
    if (ctas < 1) {
      throw new IllegalArgumentException("a cluster of " + cluster + " does not fit on " + sms + " SMs");
    }
    stages = config.stages();
    wgs = config.mathWarpgroups();
    long kb = TileHeuristic.ceilDiv(problem.k(), config.blockK());
    if (kb > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("k too large: " + problem.k());
    }
    kBlocks = (int) kb;
    cyclesPerUs = clockGhz * 1e3;
    ScalingRecipe recipe = problem.recipe();
    elementBytes = recipe.elementBytes();
    double mmaRate = mmaFlopsPerClock(spec, recipe) * spec.get(MachineParam.MMA_EFFICIENCY);
    mmaCyclesPerBlock = 2.0 * config.rowsPerWarpgroup() * config.blockN() * config.blockK() / mmaRate;
    boolean hw = spec.get(MachineParam.HW_BLOCK_SCALING) == 1;
    promotes = recipe.promotes(hw);
    // Scales applied inside the MMA are first staged next to the accumulators (tcgen05.cp into
    // tensor memory), in the tensor pipe's order, once per K block.
    scaleCycles = hw && recipe.scaleBytesPerRow(config.blockK()) > 0
        ? spec.get(MachineParam.SCALE_COPY_CYCLES) : 0;
    double lanes = spec.get(MachineParam.CUDA_FP32_LANES);
    promoteWork = (double) config.rowsPerWarpgroup() * config.blockN() * spec.get(MachineParam.PROMOTE_OPS) / lanes;
    epilogueWork = (double) config.rowsPerWarpgroup() * config.blockN()
        * (spec.get(MachineParam.EPILOGUE_OPS) + recipe.epilogueScaleOps()) / lanes;
    mmaTail = spec.get(MachineParam.MMA_TAIL_CYCLES);
    sync = spec.get(MachineParam.SYNC_CYCLES);
    l2Latency = spec.get(MachineParam.L2_LATENCY);
    hbmLatency = spec.get(MachineParam.HBM_LATENCY);
    tmaLatency = spec.get(MachineParam.TMA_LATENCY);
    l2CapacityBytes = spec.get(MachineParam.L2_MB) * 1024 * 1024;
    overlapEpilogue = spec.getInt(MachineParam.ACCUM_BUFFERS) > 1;
    // A barrier, and with 128x128 FP32 block scales the B scales of the tile read from global
    // memory by the math warps (DeepGEMM sm90_fp8_gemm_1d2d.cuh: __ldg of scales_b per tile).
    tilePrologue = sync + (recipe == ScalingRecipe.BLOCKWISE && !hw ? l2Latency : 0);
    // A cluster along N shares A; along M it shares B; a cta_group 2 MMA reads half of B from each SM.
    aShare = config.clusterN() == 2 ? 0.5 : 1.0;
    bShare = config.clusterM() == 2 ? 0.5 : 1.0;
    rasterAlongM = config.clusterM() == 2;

    double bytesPerCycle = 1e12 / (clockGhz * 1e9);
    // The L2 slices and crossbar run in the graphics clock domain, so their bytes per cycle are
    // fixed: l2_tbps is quoted at the boost clock and falls with the clock. HBM is clocked apart.
    l2 = new FifoServer(spec.get(MachineParam.L2_TBPS) * 1e12 / (spec.get(MachineParam.CLOCK_GHZ) * 1e9));
    hbm = new FifoServer(spec.get(MachineParam.HBM_TBPS) * spec.get(MachineParam.HBM_EFFICIENCY) * bytesPerCycle);
    int aBlocks = checkedSize(1, groupRowTileStart[problem.groups()], kBlocks);
    int bBlocks = checkedSize(problem.groups(), tilesN, kBlocks);
    // Four double tables (stamp and ready time of every A and B block): refuse before allocating
    // when they would take more than half of the heap this JVM may still get.
    long tableBytes = 16L * ((long) aBlocks + bBlocks);
    Runtime rt = Runtime.getRuntime();
    long heap = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (tableBytes > heap / 2) {
      throw new IllegalArgumentException("problem too large to simulate: its " + aBlocks + " + "
          + bBlocks + " block tables need " + tableBytes / (1 << 20) + " MiB, more than half of the "
          + heap / (1 << 20) + " MiB of heap available (run with a larger -Xmx, or time a smaller"
          + " problem)");
    }
    aStamp = filled(aBlocks, Double.NaN);
    aReady = new double[aBlocks];
    bStamp = filled(bBlocks, Double.NaN);
    bReady = new double[bBlocks];

    tensorCores = new FifoServer[ctas];
    cudaCores = new FifoServer[ctas];
    iterations = new long[ctas];
    producerIter = new long[ctas];
    producerWaiting = new boolean[ctas];
    loadedIter = new long[ctas * stages];
    Arrays.fill(loadedIter, -1);
    fullAt = new double[ctas * stages];
    releasedIter = new long[ctas * stages];
    Arrays.fill(releasedIter, -1);
    releaseCount = new int[ctas * stages];
    emptyAt = new double[ctas * stages];
    consumerIter = new long[ctas * wgs];
    consumerWaiting = new boolean[ctas * wgs];
    wgReady = new double[ctas * wgs];
    accumDoneAt = new double[ctas * wgs];
    epilogueArrivals = new int[ctas];
    epilogueJoin = new double[ctas];
    storeReadDone = new double[ctas];
    producerEvents = new EventQueue.Event[ctas];
    consumerEvents = new EventQueue.Event[ctas * wgs];
    for (int s = 0; s < ctas; s++) {
      tensorCores[s] = new FifoServer(1);
      cudaCores[s] = new FifoServer(1);
      long myTiles = s < tiles ? TileHeuristic.ceilDiv(tiles - s, ctas) : 0;
      iterations[s] = myTiles * kBlocks;
      final int sm = s;
      producerEvents[s] = now -> produce(sm, now);
      for (int w = 0; w < wgs; w++) {
        final int slot = s * wgs + w;
        consumerEvents[slot] = now -> consume(sm, slot, now);
        consumerWaiting[slot] = iterations[s] > 0;
      }
    }
  }

  /** Times {@code problem} as a tuned library would run it: the fastest of {@link TileSearch}'s candidates. */
  public static TimingResult predict(MachineSpec spec, GemmProblem problem) {
    return TileSearch.best(spec, problem);
  }

  /**
   * Times {@code problem} launched as {@code config}, at the clock the power limit allows: the
   * tensor cores' busy share is first estimated from the ideal times of the units, the kernel is
   * simulated at the sustained clock that share implies, and simulated again (at most
   * {@link #MAX_CLOCK_ITERATIONS} times) while the busy share it finds moves that clock by more than
   * {@link #CLOCK_TOLERANCE} or puts the power over the limit.
   *
   * @throws IllegalArgumentException if {@code spec} cannot run the problem's recipe (the reason
   *     is in the message)
   */
  public static TimingResult predict(MachineSpec spec, GemmProblem problem, KernelConfig config) {
    requireSimulable(problem, config);
    problem.recipe().requireSupported(spec);
    if (config.splitK() > 1) {
      return SplitK.predict(spec, problem, config);
    }
    double clock = SustainedClock.ghz(spec, estimatedMmaBusy(spec, problem, config));
    TimingResult r = new GemmTimingModel(spec, problem, config, clock).run();
    for (int i = 0; i < MAX_CLOCK_ITERATIONS; i++) {
      double again = SustainedClock.ghz(spec, r.utilisation().get(Unit.MMA));
      boolean withinLimit = r.watts() <= spec.get(MachineParam.POWER_LIMIT_W) * (1 + CLOCK_TOLERANCE);
      if (Math.abs(again - clock) <= CLOCK_TOLERANCE * clock && withinLimit) {
        break;
      }
      clock = again;
      r = new GemmTimingModel(spec, problem, config, clock).run();
    }
    return r;
  }

  /** Further simulations at most while the clock and the busy share it implies settle. */
  static final int MAX_CLOCK_ITERATIONS = 4;

  /** Relative clock change below which the first simulation stands. */
  static final double CLOCK_TOLERANCE = 0.01;

  /** The dense tensor-core rate of one SM for the recipe's element type, FLOP per clock. */
  public static double mmaFlopsPerClock(MachineSpec spec, ScalingRecipe recipe) {
    return recipe.fp4() ? spec.get(MachineParam.FP4_FLOPS_PER_CLK) : spec.get(MachineParam.MMA_FLOPS_PER_CLK);
  }

  /**
   * Roofline estimate of the tensor cores' busy share at the highest clock: MMA time of the padded
   * tiles over the longest of it, the compulsory HBM time and the fixed kernel cost.
   */
  static double estimatedMmaBusy(MachineSpec spec, GemmProblem problem, KernelConfig config) {
    double ghz = spec.clockCeilingGhz();
    int sms = spec.getInt(MachineParam.SMS);
    long tiles = TileHeuristic.tiles(problem, config.blockM(), config.blockN());
    long waves = TileHeuristic.ceilDiv(tiles, sms);
    double tileFlops = 2.0 * config.blockM() * config.blockN() * problem.k();
    double mmaUs = waves * tileFlops / (mmaFlopsPerClock(spec, problem.recipe()) * ghz * 1e3);
    double hbmUs = problem.minimumBytes() / (spec.get(MachineParam.HBM_TBPS) * spec.get(MachineParam.HBM_EFFICIENCY) * 1e6);
    double totalUs = Math.max(mmaUs, hbmUs) + spec.get(MachineParam.LAUNCH_US);
    double busy = (double) tiles * tileFlops / (sms * mmaFlopsPerClock(spec, problem.recipe()) * ghz * 1e3);
    return Math.min(1, busy / totalUs);
  }

  private TimingResult run() {
    for (int s = 0; s < ctas; s++) {
      if (iterations[s] > 0) {
        queue.schedule(0, producerEvents[s]);
      }
    }
    double end = Math.max(queue.run(), lastStoreDone);
    double kernelUs = end / cyclesPerUs;
    double us = kernelUs + spec.get(MachineParam.LAUNCH_US);
    return summarise(end, us);
  }

  // ---- producer -------------------------------------------------------------------------------

  private void produce(int sm, double now) {
    long it = producerIter[sm];
    int stage = (int) (it % stages);
    long tile = sm + (it / kBlocks) * (long) ctas;
    int kb = (int) (it % kBlocks);
    locate(tile);
    int group = locGroup;
    long mBlock = locM;
    long nBlock = locN;
    double kElems = Math.min(config.blockK(), problem.k() - (long) kb * config.blockK());
    double rowsA = Math.min(config.blockM(), problem.rows(group) - mBlock * config.blockM());
    double rowsB = Math.min(config.blockN(), problem.n() - nBlock * config.blockN());
    double aBytes = rowsA * (kElems * elementBytes + problem.recipe().scaleBytesPerRow(config.blockK()));
    double bBytes = rowsB * (kElems * elementBytes + problem.recipe().scaleBytesPerRowB(config.blockK()));
    int aIndex = (int) ((groupRowTileStart[group] + mBlock) * kBlocks + kb);
    int bIndex = (int) ((group * tilesN + nBlock) * kBlocks + kb);

    double issue = now + sync;
    double l2Done = l2.serve(issue, aBytes * aShare + bBytes * bShare);
    double ready = l2Done + l2Latency;
    ready = Math.max(ready, fetch(aStamp, aReady, aIndex, issue, aBytes));
    ready = Math.max(ready, fetch(bStamp, bReady, bIndex, issue, bBytes));
    ready += tmaLatency;

    int slot = sm * stages + stage;
    loadedIter[slot] = it;
    fullAt[slot] = ready;
    for (int w = 0; w < wgs; w++) {
      int c = sm * wgs + w;
      if (consumerWaiting[c] && consumerIter[c] == it) {
        consumerWaiting[c] = false;
        queue.schedule(Math.max(ready, wgReady[c]), consumerEvents[c]);
      }
    }
    long next = it + 1;
    producerIter[sm] = next;
    if (next >= iterations[sm]) {
      return;
    }
    tryProduce(sm, next, issue);
  }

  /** Schedules the producer for iteration {@code it} if its stage has been released, else parks it. */
  private void tryProduce(int sm, long it, double earliest) {
    int slot = sm * stages + (int) (it % stages);
    long previous = it - stages;
    if (previous < 0) {
      queue.schedule(earliest, producerEvents[sm]);
    } else if (releasedIter[slot] == previous) {
      queue.schedule(Math.max(earliest, emptyAt[slot]), producerEvents[sm]);
    } else {
      producerWaiting[sm] = true;
    }
  }

  /** When a block is usable in L2: now if cached, else after an HBM fetch; returns its arrival. */
  private double fetch(double[] stamps, double[] readyAt, int index, double issue, double bytes) {
    double stamp = stamps[index];
    if (!Double.isNaN(stamp) && hbmTraffic - stamp < l2CapacityBytes) {
      return readyAt[index]; // a hit, or a miss already in flight for another SM
    }
    double done = hbm.serve(issue, bytes) + hbmLatency;
    hbmTraffic += bytes;
    stamps[index] = hbmTraffic;
    readyAt[index] = done;
    return done;
  }

  // ---- math warpgroups ------------------------------------------------------------------------

  private void consume(int sm, int c, double now) {
    long it = consumerIter[c];
    int slot = sm * stages + (int) (it % stages);
    double mmaEnd = tensorCores[sm].serve(now + sync, mmaCyclesPerBlock + scaleCycles);
    double mmaDone = mmaEnd + mmaTail;
    double release;
    double ready;
    if (promotes) {
      double waited = mmaDone + sync;
      release = waited;
      ready = cudaCores[sm].serve(waited, promoteWork);
      promoteCycles += promoteWork;
    } else {
      release = mmaDone;
      ready = now + sync;
    }
    accumDoneAt[c] = mmaDone;
    release(sm, slot, it, release);
    wgReady[c] = ready;
    boolean lastOfTile = (it % kBlocks) == kBlocks - 1;
    if (lastOfTile && !overlapEpilogue) {
      joinEpilogue(sm, it, Math.max(ready, mmaDone + sync));
      return; // the tile's store continues every math warpgroup of this SM
    }
    if (lastOfTile) {
      double start = Math.max(ready, mmaDone + sync);
      double converted = cudaCores[sm].serve(start, epilogueWork);
      epilogueCycles += epilogueWork;
      final long tileIter = it;
      queue.schedule(converted, at -> store(sm, c, tileIter, at));
      wgReady[c] = Math.max(ready, mmaDone);
    }
    advance(sm, c, it + 1);
  }

  /**
   * Register accumulators (one buffer): the math warpgroups meet at a named barrier at the end of
   * each tile, wait until the previous tile's TMA store has read the output buffer, convert the
   * whole tile into shared memory on the CUDA cores, meet again and issue the TMA store
   * (DeepGEMM sm90_fp8_gemm_1d2d.cuh: tma_store_wait, NamedBarrier sync, STSM, NamedBarrier sync,
   * SM90_TMA_STORE). The tensor cores idle meanwhile: no warpgroup holds a free accumulator.
   */
  private void joinEpilogue(int sm, long it, double at) {
    epilogueJoin[sm] = epilogueArrivals[sm] == 0 ? at : Math.max(epilogueJoin[sm], at);
    if (++epilogueArrivals[sm] < wgs) {
      return;
    }
    epilogueArrivals[sm] = 0;
    double start = Math.max(epilogueJoin[sm], storeReadDone[sm]) + sync;
    double converted = cudaCores[sm].serve(start, epilogueWork * wgs);
    epilogueCycles += epilogueWork * wgs;
    queue.schedule(converted + sync, now -> storeTile(sm, it, now));
  }

  /**
   * Issues the TMA store of a whole tile and starts the next: the store drains through L2 (its
   * shared-memory buffer is free once L2 has taken it) and on to HBM without the warps waiting;
   * the next tile begins with a barrier and, for 128x128 FP32 block scales, the math warps'
   * load of the tile's B scales from global memory (one L2 round trip).
   */
  private void storeTile(int sm, long it, double now) {
    double bytes = outputBytes(sm, it);
    double l2Done = l2.serve(now, bytes);
    double hbmDone = hbm.serve(now, bytes);
    hbmTraffic += bytes;
    storeReadDone[sm] = l2Done;
    lastStoreDone = Math.max(lastStoreDone, Math.max(l2Done + l2Latency, hbmDone));
    double next = now + tilePrologue;
    for (int w = 0; w < wgs; w++) {
      int c = sm * wgs + w;
      wgReady[c] = next;
      advance(sm, c, it + 1);
    }
  }

  /** Output bytes of the tile whose last K block is iteration {@code it} of SM {@code sm}, inside the matrix. */
  private double outputBytes(int sm, long it) {
    locate(sm + (it / kBlocks) * (long) ctas);
    double rows = Math.min(config.blockM(), problem.rows(locGroup) - locM * config.blockM());
    double cols = Math.min(config.blockN(), problem.n() - locN * config.blockN());
    return Math.max(rows, 0) * cols * problem.outBytes();
  }

  /** Tensor memory (double buffer): one warpgroup's tile is stored while the next tile's MMAs run. */
  private void store(int sm, int c, long it, double now) {
    double bytes = outputBytes(sm, it) / wgs;
    double l2Done = l2.serve(now, bytes);
    double hbmDone = hbm.serve(now, bytes);
    hbmTraffic += bytes;
    lastStoreDone = Math.max(lastStoreDone, Math.max(l2Done + l2Latency, hbmDone));
  }

  private void advance(int sm, int c, long next) {
    consumerIter[c] = next;
    if (next >= iterations[sm]) {
      return;
    }
    int slot = sm * stages + (int) (next % stages);
    if (loadedIter[slot] == next) {
      queue.schedule(Math.max(wgReady[c], fullAt[slot]), consumerEvents[c]);
    } else {
      consumerWaiting[c] = true;
    }
  }

  private void release(int sm, int slot, long it, double at) {
    if (releasedIter[slot] != it) {
      if (releaseCount[slot] == 0) {
        emptyAt[slot] = at;
      } else {
        emptyAt[slot] = Math.max(emptyAt[slot], at);
      }
      releaseCount[slot]++;
      if (releaseCount[slot] == wgs) {
        releaseCount[slot] = 0;
        releasedIter[slot] = it;
        if (producerWaiting[sm] && producerIter[sm] == it + stages) {
          producerWaiting[sm] = false;
          queue.schedule(Math.max(queue.now(), emptyAt[slot]), producerEvents[sm]);
        }
      }
    }
  }

  /**
   * Sets {@link #locGroup}, {@link #locM} and {@link #locN} to where global tile {@code tile} lies:
   * groups one after another, and within a group bands of {@link #RASTER_BAND} tiles along N (or
   * along M when the cluster shares B), walked across the other dimension.
   */
  private void locate(long tile) {
    int g;
    if (!problem.isMasked()) {
      g = (int) (tile / (groupTileStart[1]));
    } else {
      int found = Arrays.binarySearch(groupTileStart, tile);
      g = found >= 0 ? found : -found - 2;
      while (groupTileStart[g + 1] == groupTileStart[g]) {
        g++; // groups without rows own no tiles
      }
    }
    long tilesM = groupRowTileStart[g + 1] - groupRowTileStart[g];
    long local = tile - groupTileStart[g];
    locGroup = g;
    // Bands RASTER_BAND tiles wide across one dimension, each walked along the other.
    long across = rasterAlongM ? tilesM : tilesN;
    long along = rasterAlongM ? tilesN : tilesM;
    long bandTiles = RASTER_BAND * along;
    long band = local / bandTiles;
    long width = Math.min(RASTER_BAND, across - band * RASTER_BAND);
    long inBand = local - band * bandTiles;
    long alongIndex = inBand / width;
    long acrossIndex = band * RASTER_BAND + inBand % width;
    locM = rasterAlongM ? acrossIndex : alongIndex;
    locN = rasterAlongM ? alongIndex : acrossIndex;
  }

  // ---- summary --------------------------------------------------------------------------------

  private TimingResult summarise(double endCycles, double us) {
    double mmaBusy = 0;
    double cudaBusy = 0;
    double busiestMma = 0;
    double busiestCuda = 0;
    for (int s = 0; s < ctas; s++) {
      mmaBusy += tensorCores[s].busyCycles();
      cudaBusy += cudaCores[s].busyCycles();
      busiestMma = Math.max(busiestMma, tensorCores[s].busyCycles());
      busiestCuda = Math.max(busiestCuda, cudaCores[s].busyCycles());
    }
    double total = us * cyclesPerUs; // utilisation over the whole kernel time, fixed cost included
    Map<Unit, Double> util = new EnumMap<>(Unit.class);
    util.put(Unit.MMA, mmaBusy / (sms * total));
    util.put(Unit.CUDA_CORES, cudaBusy / (sms * total));
    util.put(Unit.L2, l2.busyCycles() / total);
    util.put(Unit.HBM, hbm.busyCycles() / total);
    Map<Unit, Double> ideal = new EnumMap<>(Unit.class);
    ideal.put(Unit.MMA, mmaBusy / sms / cyclesPerUs);
    ideal.put(Unit.CUDA_CORES, cudaBusy / sms / cyclesPerUs);
    ideal.put(Unit.L2, l2.busyCycles() / cyclesPerUs);
    ideal.put(Unit.HBM, hbm.busyCycles() / cyclesPerUs);
    long waves = TileHeuristic.ceilDiv(tiles, ctas);
    long lastWave = tiles - (waves - 1) * ctas;
    Bound bound = classify(util, busiestMma / total, busiestCuda / total,
        promoteCycles >= epilogueCycles);
    return new TimingResult(spec.name(), problem, config, us, tiles, ctas, waves, lastWave, hbm.work(), l2.work(),
        util, ideal, bound, queue.firedCount(), clockGhz,
        SustainedClock.watts(spec, util.get(Unit.MMA), clockGhz));
  }

  /**
   * The unit that explains the time: a bandwidth or the tensor cores when one is busy most of the
   * time; wave quantisation when the busiest SM's tensor cores are, but the average is well below;
   * when the CUDA cores of the busiest SM are a large share, promotion or the epilogue, whichever
   * took more of their cycles ({@code mostlyPromotion}); latency otherwise.
   */
  static Bound classify(Map<Unit, Double> util, double busiestMma, double busiestCuda,
      boolean mostlyPromotion) {
    double mma = util.get(Unit.MMA);
    double l2Util = util.get(Unit.L2);
    double hbmUtil = util.get(Unit.HBM);
    double top = Math.max(mma, Math.max(l2Util, hbmUtil));
    if (top >= SATURATED) {
      if (top == mma) {
        return busiestMma > mma * 1.15 ? Bound.WAVE_QUANTISATION : Bound.MMA;
      }
      return hbmUtil >= l2Util ? Bound.HBM : Bound.L2;
    }
    if (busiestMma >= SATURATED) {
      return Bound.WAVE_QUANTISATION;
    }
    if (busiestCuda >= 0.3) {
      return mostlyPromotion ? Bound.PROMOTION : Bound.EPILOGUE;
    }
    return Bound.LATENCY;
  }

  /** Utilisation from which a unit counts as the bottleneck. */
  static final double SATURATED = 0.7;

  private static double[] filled(int n, double value) {
    double[] a = new double[n];
    Arrays.fill(a, value);
    return a;
  }

  private static int checkedSize(long groups, long tiles, long kBlocks) {
    long n;
    try {
      // Exact: a wrapped product could pass the limit below and allocate garbage-sized tables.
      n = Math.multiplyExact(Math.multiplyExact(groups, tiles), kBlocks);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("problem too large for the block tables: " + groups
          + " x " + tiles + " x " + kBlocks + " blocks overflows a 64-bit count");
    }
    if (n > 50_000_000L) {
      throw new IllegalArgumentException("problem too large for the block tables: " + n + " blocks");
    }
    return (int) n;
  }
}

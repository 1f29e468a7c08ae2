package org.tcsim.timing;

/**
 * The launch candidates of a tuned persistent GEMM (DeepGEMM's structure, sm90_fp8_gemm_1d2d.cuh
 * and its JIT tile selection; CUTLASS sm100 kernels for tcgen05), and a rule-based pick among them
 * ({@link #choose}; {@link TileSearch} times the best few instead):
 * <ol>
 *   <li>candidates: block M in {64, 128, 256} (128 per CTA of a tcgen05 pair), block N in 16..256
 *       step 16 (64, 128, 192 or 256 for the MX and NVFP4 recipes on tensor memory:
 *       {@link #blockScaledTileN}), block K = 128 bytes of operand (128 FP8 or 256 FP4 elements), whose
 *       accumulators fit the math threads' registers (twice over when partial sums are promoted to
 *       a second FP32 copy) or, on a TMEM machine, one 128-lane TMEM allocation;</li>
 *   <li>fewest waves of tiles over the SMs; then the fullest last wave; then the least padded work
 *       (tile quantisation); then the larger tile (less operand traffic);</li>
 *   <li>stages: as many as shared memory holds after the epilogue buffer, capped by max_stages;</li>
 *   <li>cluster of two with TMA multicast of the operand with the larger block, where the tile
 *       count along the other dimension pairs up (on cta_group 2 machines: always the SM pair
 *       sharing B, doubled to a 2x2 cluster that also multicasts A where the N tiles pair up, the
 *       cluster of vLLM's CUTLASS sm100 FP8 kernels, vllm-project/vllm
 *       csrc/quantization/cutlass_w8a8/c3x/scaled_mm_sm100_fp8_dispatch.cuh at 85d7e255:
 *       ClusterShape 2x2x1).</li>
 * </ol>
 */
public final class TileHeuristic {

  /** K of one FP8 pipeline stage: four wgmma k32 = one 128-element scaling block (DeepGEMM BLOCK_K). */
  public static final int BLOCK_K = 128;

  /** K of one pipeline stage for the recipe: 128 bytes of each operand row (256 FP4 elements). */
  public static int blockK(ScalingRecipe recipe) {
    return (int) Math.round(BLOCK_K / recipe.elementBytes());
  }
  /** Bytes of shared memory the kernel keeps for barriers and scale staging beyond the stages. */
  static final int SMEM_RESERVED_BYTES = 1024;

  private TileHeuristic() {}

  /**
   * Every tile a tuned kernel could launch for {@code problem} on {@code spec}, each completed with
   * its stages and the cluster the rule below picks.
   */
  public static java.util.List<KernelConfig> candidates(MachineSpec spec, GemmProblem problem) {
    boolean tmem = spec.getInt(MachineParam.ACCUM_BUFFERS) > 1;
    boolean pair = spec.getInt(MachineParam.MMA_CTA_GROUP) == 2;
    int bk = blockK(problem.recipe());
    java.util.List<KernelConfig> out = new java.util.ArrayList<>();
    int[] blockMs = tmem ? new int[] {128} : new int[] {64, 128, 256};
    for (int bm : blockMs) {
      for (int bn = 16; bn <= 256; bn += 16) {
        if (tileNRefusal(spec, problem, bn) != null) {
          continue;
        }
        int wgs = bm == 64 || tmem ? 1 : 2;
        if (accumulatorRefusal(spec, problem, bm / wgs, bn, tmem) != null) {
          continue;
        }
        int stages = stagesFor(spec, problem, bm, bn, bk, pair ? 2 : 1);
        if (stages < 2) {
          continue;
        }
        out.add(withCluster(spec, problem, new KernelConfig(bm, bn, bk, stages, 1, 1, wgs)));
      }
    }
    return out;
  }

  /** The configuration the wave rule picks for {@code problem} on {@code spec}. */
  public static KernelConfig choose(MachineSpec spec, GemmProblem problem) {
    int sms = spec.getInt(MachineParam.SMS);
    KernelConfig best = null;
    long bestWaves = 0;
    long bestLast = 0;
    double bestPadded = 0;
    for (KernelConfig cand : candidates(spec, problem)) {
      int bm = cand.blockM();
      int bn = cand.blockN();
      long tiles = tiles(problem, bm, bn);
      long waves = ceilDiv(tiles, sms);
      long last = tiles - (waves - 1) * sms;
      double padded = (double) tiles * bm * bn;
      boolean better;
      if (best == null || waves < bestWaves) {
        better = true;
      } else if (waves > bestWaves) {
        better = false;
      } else if (last != bestLast) {
        better = last > bestLast;
      } else if (padded != bestPadded) {
        better = padded < bestPadded;
      } else {
        better = (long) bm * bn > (long) best.blockM() * best.blockN();
      }
      if (better) {
        best = cand;
        bestWaves = waves;
        bestLast = last;
        bestPadded = padded;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no tile fits the shared memory and registers of " + spec.name());
    }
    return best;
  }

  /**
   * Completes a tile chosen by the user: math warpgroups from block M, stages from shared memory
   * unless given, cluster from the heuristic unless given ({@code clusterM, clusterN}).
   *
   * @throws IllegalArgumentException if the tile's stages or accumulators do not fit the machine
   */
  public static KernelConfig complete(MachineSpec spec, GemmProblem problem, int bm, int bn, int bk,
      Integer stages, int[] cluster) {
    boolean tmem = spec.getInt(MachineParam.ACCUM_BUFFERS) > 1;
    int ctaGroup = spec.getInt(MachineParam.MMA_CTA_GROUP);
    int wgs = bm == 64 || tmem ? 1 : 2;
    KernelConfig probe = new KernelConfig(bm, bn, bk, 1, 1, 1, wgs);
    String refusal = tileNRefusal(spec, problem, bn);
    if (refusal != null) {
      throw new IllegalArgumentException("tile " + probe.tileText() + " refused: " + refusal);
    }
    String accumulators = accumulatorRefusal(spec, problem, bm / wgs, bn, tmem);
    if (accumulators != null) {
      throw new IllegalArgumentException("tile " + probe.tileText() + " " + accumulators);
    }
    int fit = stagesFor(spec, problem, bm, bn, bk, ctaGroup);
    int s = stages == null ? fit : stages;
    if (s > fit || s < 1) {
      throw new IllegalArgumentException("stages " + s + " do not fit: tile " + probe.tileText() + " leaves room for "
          + fit + " stages in " + spec.get(MachineParam.SMEM_KB) + " KiB of shared memory (max_stages "
          + spec.getInt(MachineParam.MAX_STAGES) + ")");
    }
    KernelConfig c = new KernelConfig(bm, bn, bk, s, 1, 1, wgs);
    if (cluster == null) {
      return withCluster(spec, problem, c);
    }
    if (cluster[0] * cluster[1] > 1 && spec.getInt(MachineParam.TMA_MULTICAST) == 0) {
      throw new IllegalArgumentException("cluster " + cluster[0] + "x" + cluster[1] + " refused: " + spec.name()
          + " has no thread block clusters or TMA multicast (tma_multicast = 0)");
    }
    return new KernelConfig(bm, bn, bk, s, cluster[0], cluster[1], wgs);
  }

  /** {@code config} with the cluster the heuristic would pick for it. */
  static KernelConfig withCluster(MachineSpec spec, GemmProblem problem, KernelConfig c) {
    int sms = spec.getInt(MachineParam.SMS);
    long tilesM = ceilDiv(problem.m(), c.blockM());
    long tilesN = ceilDiv(problem.n(), c.blockN());
    if (spec.getInt(MachineParam.MMA_CTA_GROUP) == 2) {
      int cn = tilesN % 2 == 0 ? 2 : 1;
      return new KernelConfig(c.blockM(), c.blockN(), c.blockK(), c.stages(), 2, cn, c.mathWarpgroups());
    }
    if (sms % 2 != 0 || spec.getInt(MachineParam.TMA_MULTICAST) == 0) {
      return c;
    }
    boolean shareA = c.blockM() >= c.blockN();
    for (int attempt = 0; attempt < 2; attempt++, shareA = !shareA) {
      // Sharing A pairs CTAs along N (same rows of A), so the N tile count must pair up, and vice versa.
      if (shareA && tilesN % 2 == 0) {
        return new KernelConfig(c.blockM(), c.blockN(), c.blockK(), c.stages(), 1, 2, c.mathWarpgroups());
      }
      if (!shareA && tilesM % 2 == 0) {
        return new KernelConfig(c.blockM(), c.blockN(), c.blockK(), c.stages(), 2, 1, c.mathWarpgroups());
      }
    }
    return c;
  }

  /**
   * The block N a block-scaled tcgen05 kernel can have: 64, 128, 192 or 256. CUTLASS's Blackwell
   * block-scaled GEMMs accept only these, because B's scale factors are staged in tensor memory in
   * tiles of N rounded up to 128 (NVIDIA/cutlass
   * examples/python/CuTeDSL/blackwell/dense_blockscaled_gemm_persistent.py at 02e1f356: "Mma tiler
   * N must be 64/128/192/256"). The model gives every library's MXFP8, NVFP4 and MXFP4 kernels
   * this menu: no other library publishes its own.
   */
  public static boolean blockScaledTileN(int bn) {
    return bn >= 64 && bn <= 256 && bn % 64 == 0;
  }

  /** Why block N {@code bn} cannot run {@code problem} on {@code spec}, or null if it can. */
  static String tileNRefusal(MachineSpec spec, GemmProblem problem, int bn) {
    boolean tmem = spec.getInt(MachineParam.ACCUM_BUFFERS) > 1;
    if (tmem && problem.recipe().needsHardwareBlockScaling() && !blockScaledTileN(bn)) {
      return "block N " + bn + " is not 64, 128, 192 or 256, the tiles a block-scaled tcgen05 kernel"
          + " takes (" + problem.recipe().label() + " on " + spec.name() + "; CUTLASS's Blackwell"
          + " block-scaled GEMMs, dense_blockscaled_gemm_persistent.py)";
    }
    return null;
  }

  /**
   * Why the accumulators of a rows x bn warpgroup tile do not fit (registers, or tensor memory on
   * a TMEM machine), as the rest of a sentence that begins with the tile, or null if they do.
   */
  static String accumulatorRefusal(MachineSpec spec, GemmProblem problem, int rowsPerWarpgroup, int bn,
      boolean tmem) {
    if (tmem) {
      // TMEM: 128 lanes x 512 columns of 32 bits per SM (PTX ISA, tensor memory: 256 KB/SM); each
      // accumulator buffer of a 128-row tile takes bn columns. CUTLASS's 256-row tiles are the
      // cta_group::2 MMA over a CTA pair (PTX ISA, tcgen05.mma), 128 rows on each SM, which the
      // model always runs as a pair.
      if (rowsPerWarpgroup > 128) {
        return "refused: block M is the rows of one CTA, at most 128 on " + spec.name() + " (tensor memory's 128"
            + " lanes); a 256-row tcgen05 tile spans the two CTAs of a pair (cta_group::2), so pin 128x"
            + bn + " for it";
      }
      int buffers = spec.getInt(MachineParam.ACCUM_BUFFERS);
      if ((long) bn * buffers > 512) {
        return "refused: " + buffers + " accumulator buffers of " + bn + " columns do not fit the 512 columns of "
            + spec.name() + "'s tensor memory (accum_buffers=" + buffers + ")";
      }
      return null;
    }
    // A warpgroup (128 threads) holds rows x bn FP32 accumulators; promotion keeps a second copy.
    int copies = problem.recipe().promotes(spec.get(MachineParam.HW_BLOCK_SCALING) == 1) ? 2 : 1;
    if ((double) rowsPerWarpgroup * bn / 128 * copies > spec.get(MachineParam.MATH_REGS)) {
      return "does not fit the accumulator storage of " + spec.name() + " (math_regs="
          + spec.get(MachineParam.MATH_REGS) + ")";
    }
    return null;
  }

  /** Pipeline stages that fit in shared memory for a tile, capped by {@code max_stages}. */
  public static int stagesFor(MachineSpec spec, GemmProblem problem, int bm, int bn, int bk, int ctaGroup) {
    ScalingRecipe r = problem.recipe();
    double stageBytes = bm * (bk * r.elementBytes() + r.scaleBytesPerRow(bk))
        + (double) bn * (bk * r.elementBytes() + r.scaleBytesPerRowB(bk)) / ctaGroup;
    double free = spec.get(MachineParam.SMEM_KB) * 1024 - (double) bm * bn * problem.outBytes()
        - SMEM_RESERVED_BYTES;
    int stages = (int) Math.floor(free / stageBytes);
    return Math.min(stages, spec.getInt(MachineParam.MAX_STAGES));
  }

  /** Tiles over all groups. */
  public static long tiles(GemmProblem p, int bm, int bn) {
    return tilesM(p, bm) * ceilDiv(p.n(), bn);
  }

  /** Row tiles over all groups (of each masked group's valid rows). */
  public static long tilesM(GemmProblem p, int bm) {
    if (!p.isMasked()) {
      return ceilDiv(p.m(), bm) * p.groups();
    }
    long t = 0;
    for (int g = 0; g < p.groups(); g++) {
      t += ceilDiv(p.rows(g), bm);
    }
    return t;
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}

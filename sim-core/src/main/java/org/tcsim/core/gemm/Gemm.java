package org.tcsim.core.gemm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;

/**
 * A whole scaled GEMM as an FP8 kernel computes it on the tensor cores, bit for bit:
 * {@code D = alpha * scaleA * scaleB * (A B) + beta * C (+ bias)}, then for FP8 outputs
 * {@code D_out = saturate(RNE(D * scaleD))} and {@code amaxD = max |D|} (cuBLASLt;
 * docs/hardware-facts.md, Library GEMM semantics).
 *
 * <h2>Order of operations (the accumulation semantics)</h2>
 * For each output element (i, j), independently of every other (so the result does not depend on
 * the thread count or the tile order):
 * <ol>
 *   <li><b>Split-K.</b> K is cut into {@code splitK} slices of equal length rounded up to a whole
 *       number of K tiles of {@value #SPLIT_K_TILE} (and of promotion chunks and scale blocks);
 *       each slice is computed as below, and the
 *       slice results are added in FP32 in slice order (cuBLAS reduces split-K partials in FP32).</li>
 *   <li><b>Tensor-core partial.</b> Within a slice, K is consumed in MMA instructions of
 *       {@code mmaK}; each instruction runs the datapath ({@link BlockFmaParams}: steps of
 *       {@code productsPerStep} products plus the running accumulator C, aligned, summed and
 *       rounded once) and feeds its result back as the next instruction's C. The tensor-core
 *       accumulator starts at +0.</li>
 *   <li><b>Promotion.</b> Every {@code promotionInterval} instructions (docs/hardware-facts.md,
 *       Library GEMM semantics: CUTLASS
 *       {@code mma_promotion_interval = 4}; DeepGEMM BLOCK_K = 128) the partial is added to an
 *       FP32 register accumulator on the CUDA cores and the tensor-core accumulator restarts at +0
 *       (CUTLASS {@code GmmaFP8Accumulation} and DeepGEMM zero the wgmma accumulator after each
 *       promotion). Scales that vary along K (1x128 and 128x128 FP32 block scales, DeepSeek-V3)
 *       are applied here, as DeepGEMM does: {@code acc = fma(partial, sa * sb, acc)} with
 *       {@code sa * sb} rounded to FP32 ({@link PromotionRule#FMA}; {@link
 *       PromotionRule#MULTIPLY_THEN_ADD} is the uncontracted variant); otherwise
 *       {@code acc = acc + partial} in FP32. A promotion chunk must lie inside one scale block:
 *       the chunk must divide each operand's block along K, which is the tensor's own (128 for
 *       DeepSeek-V3, or a what-if size such as 32 or 256). The chunk does NOT follow the block: a
 *       block smaller than the chunk is refused, naming the promotion interval that would fit.</li>
 *   <li><b>Fast accumulation</b> ({@code promotionInterval = 0}): no promotion; the tensor-core
 *       accumulator runs over the whole slice and is read out once. What cuBLASLt's FAST_ACCUM does
 *       exactly is undocumented (docs/hardware-facts.md, Library GEMM semantics); this is the
 *       reading that its name and the Hopper
 *       kernels suggest. It cannot carry scales that vary along K (refused).</li>
 *   <li><b>Block scales inside the MMA</b> (MXFP8 {@code VEC32_UE8M0}, NVFP4
 *       {@code VEC16_UE4M3}, Blackwell): each product is scaled inside the step
 *       (docs/hardware-facts.md, Block scaling;
 *       cuTile {@code mma_scaled}); modelled only for an exact-sum datapath (see
 *       {@link TruncatedSumKernel}). NVFP4's FP32 per-tensor scales join alpha. A what-if
 *       MX block size along K (not 32) is applied the same way; A and B must then share it.</li>
 *   <li><b>Epilogue</b>, in FP32 with round-to-nearest-even: the scales that are constant along
 *       K (per-tensor, row-/column-wise, NVFP4 tensor scales) multiply the accumulator in the
 *       order {@link GemmConfig#epilogueOrder} names: with scalar scales
 *       {@code s = (alpha * scaleA) * scaleB}, {@code d = s * acc}; with row-wise scales one
 *       vector first, {@code d = (alpha * scaleB[j]) * (scaleA[i] * acc)} or the other way round
 *       ({@link EpilogueOrder}; the orders cuBLASLt and PyTorch run were measured on an H200).
 *       When beta is not 0 the last multiplication and {@code + beta * C[i][j]} are one fused
 *       multiply-add; then {@code d = d + bias[j]}.</li>
 *   <li><b>Output.</b> FP32: d itself. BF16 / FP16: RNE, overflow to infinity (IEEE). E4M3 / E5M2
 *       with a scalar output scale: {@code v = d * scaleD} in FP32, then RNE with saturation to
 *       the largest finite value ({@code satfinite}, as cuBLASLt's FP8 outputs); elements with |v|
 *       above it are counted. Block-scaled E4M3 / E5M2 / E2M1 ({@code VEC32_UE8M0},
 *       {@code VEC16_UE4M3}): D is quantised in blocks along M with scales computed from D, after
 *       every tile is done ({@link DBlockQuantizer}, cuBLAS documentation "1D Block
 *       Quantization"); the scales come back in {@link GemmResult#dScales}. amaxD is max |d|
 *       before any output scaling.</li>
 * </ol>
 *
 * <h2>Operands</h2>
 * A is a {@link QuantizedTensor} of M x K (K along rows: row-major A, cuBLASLt's A with
 * {@code OP_T} in column-major terms) or K x M (K along columns: column-major A); B is K x N (K
 * along columns) or N x K (K along rows: the "TN" layout cuBLASLt requires for FP8 on Hopper). Its
 * codes, scale mode and scales come with it. Inputs, scales, C, alpha, beta, scaleD and bias must
 * be finite; every misfit is refused naming the argument.
 */
public final class Gemm {

  /**
   * The K granule of a split-K slice: the kernel's K tile. cuBLASLt's FP8 kernels on sm_90 load K
   * in stages of 128 ({@code MATMUL_STAGES_128xAUTO} in its API log), and its captured split-K
   * GEMMs on an H200 (K = 8192 in 3 slices, fast accumulation on) match slices of 2816, 2816 and
   * 2560 in every element; slices rounded to 32 or 64 match almost none (docs/hardware-facts.md,
   * Library GEMM semantics).
   */
  static final int SPLIT_K_TILE = 128;

  /** The FP32 NaN NVIDIA's arithmetic produces (and the datapath's). */
  static final int CANONICAL_NAN = 0x7FFFFFFF;

  private Gemm() {}

  /** D = alpha * scaleA * scaleB * (A B) (no C). */
  public static GemmResult run(BlockFmaParams params, GemmConfig config, QuantizedTensor a,
      QuantizedTensor b) {
    return run(params, config, a, b, null);
  }

  /** D = alpha * scaleA * scaleB * (A B) + beta * C (+ bias); C may be null when beta is 0. */
  public static GemmResult run(BlockFmaParams params, GemmConfig config, QuantizedTensor a,
      QuantizedTensor b, CodeMatrix c) {
    return run(params, config, a, b, c, GemmProgress.NONE, false);
  }

  /**
   * The same, telling {@code progress} after each finished output tile (from the worker threads).
   * The result is the same with or without a listener.
   */
  public static GemmResult run(BlockFmaParams params, GemmConfig config, QuantizedTensor a,
      QuantizedTensor b, CodeMatrix c, GemmProgress progress) {
    return run(params, config, a, b, c, progress, false);
  }

  /**
   * {@link #run} with the tensor-core part on the generic datapath's kernels only
   * ({@link DatapathKernel}, {@link BlockScaledDatapathKernel}): the reference the fast kernels
   * are tested against, whole GEMMs included.
   */
  static GemmResult runOnReferenceKernels(BlockFmaParams params, GemmConfig config,
      QuantizedTensor a, QuantizedTensor b, CodeMatrix c) {
    return run(params, config, a, b, c, GemmProgress.NONE, true);
  }

  private static GemmResult run(BlockFmaParams params, GemmConfig config, QuantizedTensor a,
      QuantizedTensor b, CodeMatrix c, GemmProgress progress, boolean referenceKernels) {
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(a, "A");
    Objects.requireNonNull(b, "B");
    int m = a.kAxis().outerExtent(a.rows(), a.cols());
    int ka = a.kAxis().kExtent(a.rows(), a.cols());
    int n = b.kAxis().outerExtent(b.rows(), b.cols());
    int kb = b.kAxis().kExtent(b.rows(), b.cols());
    if (ka != kb) {
      throw new IllegalArgumentException("shapes do not match: A is " + a.rows() + "x" + a.cols()
          + " with K along " + a.kAxis() + " (K=" + ka + "), B is " + b.rows() + "x" + b.cols()
          + " with K along " + b.kAxis() + " (K=" + kb + ")");
    }
    int k = ka;
    if ((long) m * n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("D would have " + m + "x" + n + " = " + (long) m * n
          + " elements, more than one Java array holds; split the GEMM along M or N");
    }
    checkC(config, c, m, n);
    float[] bias = config.biasView();
    if (bias != null && bias.length != n) {
      throw new IllegalArgumentException("bias has " + bias.length + " values, D has N=" + n
          + " columns");
    }
    MemoryEstimate.of(m, n, k, config.threads()).requireFits(MemoryEstimate.availableHeap());
    Plan plan = Plan.make(params, config, new OperandView("A", a), new OperandView("B", b), k,
        referenceKernels);
    return new Execution(plan, config, params, c, m, n, k, progress).run();
  }

  private static void checkC(GemmConfig config, CodeMatrix c, int m, int n) {
    if (config.beta() == 0f) {
      return;
    }
    if (c == null) {
      throw new IllegalArgumentException("beta is " + config.beta() + " but C is missing");
    }
    switch (c.format()) {
      case FP32, BF16, FP16, E4M3, E5M2 -> { }
      default -> throw new IllegalArgumentException(
          "C format must be fp32, bf16, fp16, e4m3 or e5m2, got " + c.format());
    }
    if (c.rows() != m || c.cols() != n) {
      throw new IllegalArgumentException("C is " + c.rows() + "x" + c.cols() + " but D is " + m
          + "x" + n);
    }
    int[] codes = c.view();
    for (int i = 0; i < codes.length; i++) {
      if (!c.format().classify(codes[i]).isFinite()) {
        throw new IllegalArgumentException("C element (" + i / n + ", " + i % n + ") is "
            + c.format().classify(codes[i]) + "; C must be finite");
      }
    }
  }

  /** The validated shape of the computation: kernel, chunking, where each scale applies. */
  record Plan(TileKernel kernel, OperandView a, OperandView b, boolean scalesAtPromotion,
      boolean scalesInMma, int chunkK, int loadK, int sliceK) {

    static Plan make(BlockFmaParams params, GemmConfig config, OperandView a, OperandView b,
        int k, boolean referenceKernels) {
      boolean fp32A = a.mode.scaleFormat() == FpFormat.FP32;
      boolean fp32B = b.mode.scaleFormat() == FpFormat.FP32;
      if (fp32A != fp32B || (!fp32A && a.mode != b.mode)) {
        throw new IllegalArgumentException("A's scale mode " + a.mode + " and B's scale mode "
            + b.mode + " cannot be combined (FP32 modes go together; MXFP8 and NVFP4 need the "
            + "same mode on both)");
      }
      requireKMultiple(a, k);
      requireKMultiple(b, k);
      int mmaK = config.mmaK();
      if (mmaK % params.productsPerStep() != 0) {
        throw new IllegalArgumentException("mmaK=" + mmaK + " is not a multiple of the datapath's "
            + params.productsPerStep() + " products per step");
      }
      boolean atPromotion = fp32A && (varies(a.mode) || varies(b.mode));
      boolean inMma = !fp32A;
      int chunkK = config.fastAccumulation() ? 0 : config.promotionInterval() * mmaK;
      int scaleBlock = 1;
      if (atPromotion) {
        if (config.fastAccumulation()) {
          throw new IllegalArgumentException("fast accumulation (promotionInterval 0) cannot apply "
              + "scales that vary along K (" + a.mode + " x " + b.mode + "); they are applied at "
              + "promotion");
        }
        for (OperandView v : new OperandView[] {a, b}) {
          if (!varies(v.mode)) {
            continue;
          }
          int block = v.blockAlongK();
          if (block % chunkK != 0) {
            throw new IllegalArgumentException("promotionInterval=" + config.promotionInterval()
                + " with mmaK=" + mmaK + " gives promotion chunks of " + chunkK + " K, which do "
                + "not divide the " + block + "-element scale blocks along K of " + v.name + " ("
                + v.mode + "); the scale is applied once per chunk, so "
                + (block % mmaK == 0 ? "use promotionInterval " + block / mmaK + " or a divisor"
                    : "use an mmaK that divides " + block));
          }
          scaleBlock = lcm(scaleBlock, block);
        }
      } else if (inMma) {
        if (a.blockAlongK() != b.blockAlongK()) {
          throw new IllegalArgumentException("block-scaled MMA needs the same scale block along K "
              + "on both operands, got " + a.blockAlongK() + " (A) and " + b.blockAlongK()
              + " (B)");
        }
        scaleBlock = a.blockAlongK();
      }
      TileKernel kernel;
      if (inMma) {
        BlockFmaDatapath datapath = new BlockFmaDatapath(a.format, b.format, params);
        FpFormat scaleFormat = a.mode.scaleFormat();
        if (!referenceKernels && TruncatedSumKernel.supportsScaled(params, a.format, b.format,
            scaleFormat, scaleBlock)) {
          kernel = new TruncatedSumKernel(a, b, datapath, scaleFormat, scaleBlock);
        } else if (BlockScaledDatapathKernel.supports(params)) {
          kernel = new BlockScaledDatapathKernel(a, b, datapath, scaleFormat, scaleBlock);
        } else {
          throw new IllegalArgumentException("block-scaled MMA (" + a.mode + ") is modelled only "
              + "for an exact-sum datapath such as B200's; where the scale enters a truncating "
              + "datapath is not public (docs/hardware-facts.md, Open questions). Datapath: "
              + params.describe());
        }
      } else {
        BlockFmaDatapath datapath = new BlockFmaDatapath(a.format, b.format, params);
        if (referenceKernels) {
          kernel = new DatapathKernel(a, b, datapath);
        } else if (TruncatedSumKernel.supports(params, a.format, b.format)) {
          kernel = new TruncatedSumKernel(a, b, datapath);
        } else if (HalfAccumulatorKernel.supports(params, a.format, b.format)) {
          kernel = new HalfAccumulatorKernel(a, b, datapath);
        } else if (RowBatchFp8Kernel.supports(params, a.format, b.format)) {
          kernel = new RowBatchFp8Kernel(a, b, datapath);
        } else if (TruncatingFp8Kernel.supports(params, a.format, b.format)) {
          kernel = new TruncatingFp8Kernel(a, b, datapath);
        } else {
          kernel = new DatapathKernel(a, b, datapath);
        }
      }
      kernel.instructions(mmaK);
      int granule = lcm(lcm(chunkK == 0 ? mmaK : chunkK, scaleBlock), SPLIT_K_TILE);
      int maxBlockK = kernel.shape().maxBlockK();
      int loadK = chunkK != 0 && chunkK <= maxBlockK
          ? chunkK * (maxBlockK / chunkK)
          : Math.max(mmaK, maxBlockK / mmaK * mmaK);
      int sliceK = roundUp((k + config.splitK() - 1) / config.splitK(), granule);
      return new Plan(kernel, a, b, atPromotion, inMma, chunkK, loadK, sliceK);
    }

    private static boolean varies(ScaleMode mode) {
      return mode == ScaleMode.VEC128_32F || mode == ScaleMode.BLK128x128_32F;
    }

    private static void requireKMultiple(OperandView v, int k) {
      // The block along K is the tensor's own: the mode's (128, 32, 16) or a what-if size. The
      // FP32 block modes take L = ceil(K / 128) blocks, a partial last one included (cuBLAS
      // documentation, "128-element 1D and 128x128 2D Block Scaling For FP8 Data Types"); the
      // chunk that holds it is promoted with its scale like any other.
      int required = switch (v.mode) {
        case SCALAR_32F, OUTER_VEC_32F, VEC128_32F, BLK128x128_32F -> 1;
        case VEC32_UE8M0, VEC16_UE4M3 -> v.blockAlongK();
      };
      if (k % required != 0) {
        throw new IllegalArgumentException("K=" + k + " is not a multiple of " + required
            + ", which " + v.name + "'s scale mode " + v.mode
            + (required == v.mode.alongK() || required == 1 ? "" : " with blocks of " + required
                + " along K") + " requires");
      }
    }
  }

  static int roundUp(int x, int granule) {
    return (x + granule - 1) / granule * granule;
  }

  private static int lcm(int x, int y) {
    int g = x;
    int h = y;
    while (h != 0) {
      int t = g % h;
      g = h;
      h = t;
    }
    return x / g * y;
  }

  /** One run: tiles handed to worker threads; each output element computed by one thread. */
  private static final class Execution {
    private final Plan plan;
    private final GemmConfig config;
    private final BlockFmaParams params;
    private final CodeMatrix c;
    private final int m;
    private final int n;
    private final int k;
    private final float[] scaleRows;
    private final float[] scaleCols;
    private final FpFormat acc;
    private final float[] dFp32;
    private final int[] dCodes;
    private final AtomicInteger nextTile = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong finishedTiles =
        new java.util.concurrent.atomic.AtomicLong();
    private final GemmProgress progress;
    private final int tm;
    private final int tn;
    private final int tilesN;
    private final int tiles;

    Execution(Plan plan, GemmConfig config, BlockFmaParams params, CodeMatrix c, int m, int n,
        int k, GemmProgress progress) {
      this.plan = plan;
      this.progress = progress;
      this.config = config;
      this.params = params;
      this.c = c;
      this.m = m;
      this.n = n;
      this.k = k;
      this.acc = params.outputFormat();
      scaleRows = epilogueScales(plan.a(), m);
      scaleCols = epilogueScales(plan.b(), n);
      dFp32 = new float[m * n];
      dCodes = new int[m * n];
      this.tm = plan.kernel().shape().tileM();
      this.tn = plan.kernel().shape().tileN();
      tilesN = (n + tn - 1) / tn;
      tiles = (m + tm - 1) / tm * tilesN;
    }

    /** Per outer index: the part of the scale that is constant along K, applied in the epilogue. */
    private float[] epilogueScales(OperandView v, int outer) {
      float[] s = new float[outer];
      for (int o = 0; o < outer; o++) {
        s[o] = plan.scalesInMma() ? v.tensorScale
            : plan.scalesAtPromotion() && (v.mode == ScaleMode.VEC128_32F
                || v.mode == ScaleMode.BLK128x128_32F) ? 1f : (float) v.scale(o, 0);
      }
      return s;
    }

    GemmResult run() {
      progress.tilesDone(0, tiles);
      int threads = Math.min(config.threads(), tiles);
      float amax = 0f;
      long saturated = 0;
      if (threads == 1) {
        long[] r = work();
        amax = Float.intBitsToFloat((int) r[0]);
        saturated = r[1];
      } else {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
          Thread t = new Thread(runnable, "tcsim-gemm");
          t.setDaemon(true);
          return t;
        });
        try {
          List<Future<long[]>> futures = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(this::work));
          }
          for (Future<long[]> f : futures) {
            long[] r = f.get();
            amax = Math.max(amax, Float.intBitsToFloat((int) r[0]));
            saturated += r[1];
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("GEMM interrupted", e);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(cause);
        } finally {
          pool.shutdownNow();
        }
      }
      DBlockScales dScales = null;
      if (config.blockScaledOutput()) {
        DBlockQuantizer quantizer = new DBlockQuantizer(config);
        dScales = quantizer.quantize(dFp32, m, n, dCodes);
        saturated = quantizer.saturated();
      }
      return new GemmResult(new CodeMatrix(config.outputFormat(), m, n, dCodes), dFp32, amax,
          saturated, plan.kernel().name(), params, config, dScales);
    }

    /** Takes tiles until none is left; returns {amax bits, saturated count}. */
    private long[] work() {
      TileKernel kernel = plan.kernel();
      TileKernel.Context ctx = kernel.newContext(tm, tn, plan.loadK());
      float[] total = new float[tm * tn];
      float[] accumulator = new float[tm * tn];
      int[] partial = new int[tm * tn];
      float amax = 0f;
      long saturated = 0;
      boolean scalarOutput = !config.blockScaledOutput();
      for (int tile = nextTile.getAndIncrement(); tile < tiles;
          tile = nextTile.getAndIncrement()) {
        int i0 = tile / tilesN * tm;
        int j0 = tile % tilesN * tn;
        int i1 = Math.min(m, i0 + tm);
        int j1 = Math.min(n, j0 + tn);
        computeTile(kernel, ctx, i0, i1, j0, j1, total, accumulator, partial);
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            float d = epilogue(i, j, total[(i - i0) * tn + (j - j0)]);
            dFp32[i * n + j] = d;
            amax = Math.max(amax, Math.abs(d));
            if (scalarOutput) {
              dCodes[i * n + j] = convert(d);
              if (config.outputFormat().isFp8()
                  && Math.abs(d * config.scaleD()) > config.outputFormat().maxFinite()) {
                saturated++;
              }
            }
          }
        }
        progress.tilesDone(finishedTiles.incrementAndGet(), tiles);
      }
      return new long[] {Float.floatToRawIntBits(amax), saturated};
    }

    private void computeTile(TileKernel kernel, TileKernel.Context ctx, int i0, int i1, int j0,
        int j1, float[] total, float[] accumulator, int[] partial) {
      int chunkK = plan.chunkK();
      for (int s0 = 0, slice = 0; s0 < k; s0 += plan.sliceK(), slice++) {
        int s1 = Math.min(k, s0 + plan.sliceK());
        java.util.Arrays.fill(accumulator, 0f);
        java.util.Arrays.fill(partial, 0);
        for (int kb = s0; kb < s1; kb += plan.loadK()) {
          int ke = Math.min(s1, kb + plan.loadK());
          kernel.load(ctx, i0, i1, j0, j1, kb, ke);
          for (int cs = kb, ce; cs < ke; cs = ce) {
            ce = chunkK == 0 ? ke : Math.min(ke, s0 + ((cs - s0) / chunkK + 1) * chunkK);
            for (int i = i0; i < i1; i++) {
              kernel.dotRow(ctx, i, j0, j1, cs, ce, partial, (i - i0) * tn);
            }
            boolean promote = chunkK != 0 && ((ce - s0) % chunkK == 0 || ce == s1);
            if (promote) {
              promote(i0, i1, j0, j1, cs, accumulator, partial);
            }
          }
        }
        if (chunkK == 0) {
          promote(i0, i1, j0, j1, s0, accumulator, partial);
        }
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            int x = (i - i0) * tn + (j - j0);
            total[x] = slice == 0 ? accumulator[x] : total[x] + accumulator[x];
          }
        }
      }
    }

    /** The partial sums of a chunk starting at K index {@code cs} join the FP32 accumulators. */
    private void promote(int i0, int i1, int j0, int j1, int cs, float[] accumulator,
        int[] partial) {
      boolean fma = config.promotionRule() == PromotionRule.FMA;
      for (int i = i0; i < i1; i++) {
        float sa = plan.scalesAtPromotion() ? (float) plan.a().scale(i, cs) : 1f;
        for (int j = j0; j < j1; j++) {
          int x = (i - i0) * tn + (j - j0);
          float p = acc == FpFormat.FP32 ? Float.intBitsToFloat(partial[x])
              : (float) acc.decode(partial[x]);
          if (plan.scalesAtPromotion()) {
            float scale = sa * (float) plan.b().scale(j, cs);
            accumulator[x] = fma ? Math.fma(p, scale, accumulator[x]) : accumulator[x] + p * scale;
          } else {
            accumulator[x] = accumulator[x] + p;
          }
          partial[x] = 0;
        }
      }
    }

    private float epilogue(int i, int j, float total) {
      float d = config.beta() != 0f
          ? config.epilogueOrder().applyFused(config.alpha(), scaleRows[i], scaleCols[j], total,
              config.beta() * (float) c.value(i, j))
          : config.epilogueOrder().apply(config.alpha(), scaleRows[i], scaleCols[j], total);
      float[] bias = config.biasView();
      if (bias != null) {
        d = d + bias[j];
      }
      return d;
    }

    private int convert(float d) {
      FpFormat out = config.outputFormat();
      return switch (out) {
        // A NaN's sign and payload after Java float arithmetic depend on the order the kernel
        // happened to use (x86's default NaN is 0xFFC00000); NVIDIA's FP32 arithmetic gives one
        // canonical NaN, 0x7FFFFFFF (PTX ISA, "Floating-point instructions": canonical NaN), as
        // the datapath does.
        case FP32 -> Float.isNaN(d) ? CANONICAL_NAN : Float.floatToRawIntBits(d);
        case BF16, FP16 -> out.encode(d, Rounding.RNE, Overflow.IEEE);
        case E4M3, E5M2 -> out.encode(d * config.scaleD(), Rounding.RNE, Overflow.SATFINITE);
        default -> throw new AssertionError(out);
      };
    }
  }


}

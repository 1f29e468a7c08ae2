package org.tcsim.core.gemm;

import org.tcsim.core.datapath.AccumulatorJoin;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.Fp32Rounding;
import org.tcsim.core.datapath.ScalePlacement;
import org.tcsim.core.datapath.StepOrder;
import org.tcsim.core.datapath.SubnormalMode;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The fast path for the B200 FP8 datapath into FP32 (docs/hardware-facts.md, B200 FP8): each step
 * is D = RNE_fp32(RZ_24(exact sum of the products) + C) ({@link AccumulatorJoin#AFTER_TRUNCATED_SUM}).
 * It computes what {@link BlockFmaDatapath#step} computes, bit for bit (proved by
 * {@code TruncatedSumKernelEquivalenceTest}), for a whole row of a tile at once, every loop
 * running across the tile's columns in double arithmetic ({@link ExactSumLoops}):
 * <ul>
 *   <li><b>Sum.</b> A product of two codes of at most 8 bits is exact in a double, and
 *       {@link ProductSum} says how a step's sum stays exact: in one double (E4M3 x E4M3: one fma
 *       per product) or split into two (E5M2 and mixed formats: two fma per product).</li>
 *   <li><b>Narrow rows.</b> A split sum costs two fma per product; where the codes a row and a
 *       column meet in a load span little, one double holds the sum anyway. Every product of
 *       the row's and the column's codes is a multiple of m = lowA x lowB (the smallest lowest
 *       set bits of their nonzero codes: a product's lowest set bit is its factors'), and every
 *       partial sum of a step of n products is below n x highA x highB (their largest
 *       magnitudes) in magnitude. Multiples of m up to 2^53 m are exact in a double, so where
 *       n x highA x highB &lt;= 2^53 m ({@link #narrow}) the step takes the one-fma loops.
 *       The bounds are taken at load time over the row's and the whole tile's columns' codes;
 *       rows that fail them, and any row or tile with a NaN or an infinity (its bound is NaN or
 *       infinite and fails), take the split loops.</li>
 *   <li><b>Normalise and truncate.</b> P = RZ_24(S) is {@link Fp32Rounding#truncate}: P lies in
 *       FP32's normal range because a nonzero S is at least 2^-32 (two E5M2 subnormals) and
 *       below 2^37.</li>
 *   <li><b>Add C, round.</b> The accumulator is held as a double equal to its FP32 value. P + C
 *       rounded to a double and then to 24 bits ({@link Fp32Rounding#nearest}) is the FP32 sum
 *       rounded once to nearest even: rounding twice is innocuous for the sum of two 24-bit
 *       numbers when the first precision is at least 2 x 24 + 1 (Figueroa, "When is double
 *       rounding innocuous?", SIGNUM Newsl. 30(3), 1995). The result cannot fall in FP32's
 *       subnormal range unless it is C itself (P = 0) or zero: P &gt;= 2^-32 has its last bit at
 *       2^-55 or above, so cancelling C to below 2^-126 would need C to have more than 24 bits.</li>
 *   <li><b>Envelope.</b> A result beyond FP32's range, and any NaN or infinity (from an operand or
 *       the accumulator), shows in the final accumulator: a NaN or infinity stays one (the
 *       rounding of an infinity is NaN), and a result of 2^128 or more stays at least 2^128,
 *       since later steps add less than 2^38 and the spacing of 24-bit values there is 2^104.
 *       Those columns, rare and never met in a GEMM of finite inputs, are redone from their
 *       starting accumulator by the generic datapath.</li>
 * </ul>
 * Every step ends with a +0 when its exact sum plus C is zero, as the datapath: S = 0 is +0 (the
 * sum starts at +0 and x + (-x) is +0), and +0 + C is C, or +0 when C is -0.
 *
 * <p><b>Block scales inside the MMA</b> (MXFP8, MXFP4: E8M0 per 32; NVFP4: UE4M3 per 16;
 * {@link ScalePlacement#PRODUCT}, the B200 presets): each product is multiplied by its block's two
 * scales before the exact sum, so the step's sum is the sum over its blocks of (block sum) x sa x
 * sb. Each block's sum is exact as above; its product with sa x sb is exact (E8M0 scales are
 * powers of two; two UE4M3 scales have 8 significant bits, and the kernel admits UE4M3 only for
 * block sums of at most 45 bits). The scaled block sums are joined exactly: one block per step
 * needs nothing, two are an exact pair by TwoSum, and more are admitted only when every partial
 * sum is exact in one double (NVFP4: E2M1 products scaled by UE4M3 span at most 50 bits). In
 * those cases where a step's sum stays one exact double (one block per step with one-double
 * sums, as MXFP8 E4M3; and NVFP4) the scales are folded into the decoded operands instead
 * ({@link #folded}) and a step is one exact sum as without scales. The pair is then truncated as
 * above; with scales P may leave FP32's normal range and come back, so each step's P and result
 * are checked ({@link ExactSumLoops#finishScaled}) and those columns are redone too.
 */
final class TruncatedSumKernel extends RowBatchKernel {

  /**
   * 64 rows by 1024 columns, as {@link RowBatchFp8Kernel} (long column loops), K decoded 32 at a
   * time: 1024 x 32 doubles of B (256 KiB) stay in a core's L2 cache.
   */
  static final TileShape SHAPE = new TileShape(64, 1024, 32, 8);

  /** The largest FP32 magnitude: an accumulator above it overflowed. */
  private static final double FP32_MAX = Float.MAX_VALUE;

  private final BlockFmaDatapath datapath;
  private final int step;
  private final ProductSum sum;
  private final double[] valueA;
  private final double[] valueB;
  /** Per code: the lowest set bit of its value; +inf for zeros, NaN for NaN and infinities. */
  private final double[] lowBitA;
  private final double[] lowBitB;
  /** Whether steps take the one-double sum where a row's span allows ({@link #narrow}). */
  private final boolean checkSpan;
  /** The scale format and block along K when the scales apply inside the MMA; else null, 0. */
  private final FpFormat scaleFormat;
  private final int scaleBlock;

  /** The kernel without block scales. */
  TruncatedSumKernel(OperandView a, OperandView b, BlockFmaDatapath datapath) {
    this(a, b, datapath, null, 0);
  }

  /**
   * The kernel; with block scales inside the MMA when {@code scaleFormat} is not null, one per
   * {@code scaleBlock} elements along K of both operands.
   */
  TruncatedSumKernel(OperandView a, OperandView b, BlockFmaDatapath datapath,
      FpFormat scaleFormat, int scaleBlock) {
    super(a, b);
    this.datapath = datapath;
    BlockFmaParams p = datapath.params();
    boolean ok = scaleFormat == null ? supports(p, datapath.aFormat(), datapath.bFormat())
        : supportsScaled(p, datapath.aFormat(), datapath.bFormat(), scaleFormat, scaleBlock);
    if (!ok) {
      throw new IllegalArgumentException("truncated-sum kernel does not take " + p.describe()
          + (scaleFormat == null ? "" : " with " + scaleFormat + " scales per " + scaleBlock));
    }
    this.step = p.productsPerStep();
    this.scaleFormat = scaleFormat;
    this.scaleBlock = scaleBlock;
    int blockProducts = scaleFormat == null ? step : Math.min(step, scaleBlock);
    this.sum = ProductSum.of(datapath.aFormat(), datapath.bFormat(), blockProducts);
    this.valueA = values(datapath.aFormat());
    this.valueB = values(datapath.bFormat());
    this.lowBitA = lowBits(valueA);
    this.lowBitB = lowBits(valueB);
    this.checkSpan = scaleFormat == null && !sum.single();
    this.folded = scaleFormat != null && sum.single()
        && (blocksPerStep(step, scaleBlock) == 1
            || scalesKeepStepSingle(datapath.aFormat(), datapath.bFormat(), scaleFormat, step));
  }

  /**
   * Whether the scales are folded into the decoded operands (a x sa, b x sb, both exact), so a
   * step is one exact sum as without scales: when a step meets one scale block (all its products
   * share sa x sb, so the sum spans what it spans unscaled), or when every scaled partial sum of a
   * step is exact in one double anyway (NVFP4).
   */
  private final boolean folded;

  /** Blocks one step can meet: steps start at multiples of the step, blocks at multiples of the block. */
  private static int blocksPerStep(int step, int block) {
    return block >= step ? (block % step == 0 ? 1 : 2)
        : (step + block - 1) / block + (step % block == 0 ? 0 : 1);
  }

  /** Whether every partial sum of a step of UE4M3-scaled products is exact in one double. */
  private static boolean scalesKeepStepSingle(FpFormat a, FpFormat b, FpFormat scale, int step) {
    return scale == FpFormat.UE4M3 && ProductSum.bits(a, b, step)
        + 2 * (ProductSum.topExponent(scale) - scale.scaleExponent(1)) <= 53;
  }

  /** Whether this kernel reproduces the datapath with these parameters and operand formats. */
  static boolean supports(BlockFmaParams p, FpFormat a, FpFormat b) {
    return supportsArithmetic(p)
        && a.width() <= 8 && b.width() <= 8
        && ProductSum.fits(a, b, p.productsPerStep());
  }

  /**
   * Whether this kernel reproduces the datapath's block-scaled dot product
   * ({@link BlockFmaDatapath#dotScaled}) with scales of {@code scale} (E8M0 or UE4M3) per
   * {@code block} elements along K: see the class comment for what is admitted.
   */
  static boolean supportsScaled(BlockFmaParams p, FpFormat a, FpFormat b, FpFormat scale,
      int block) {
    int step = p.productsPerStep();
    int blockProducts = Math.min(step, block);
    if (!supportsArithmetic(p) || p.scalePlacement() != ScalePlacement.PRODUCT
        || a.width() > 8 || b.width() > 8 || !ProductSum.fits(a, b, blockProducts)) {
      return false;
    }
    boolean single = ProductSum.of(a, b, blockProducts).single();
    boolean exactScaling = switch (scale) {
      case E8M0 -> true;
      case UE4M3 -> single && ProductSum.bits(a, b, blockProducts) <= 45;
      default -> false;
    };
    int blocks = blocksPerStep(step, block);
    boolean joined = blocks == 1 || (blocks == 2 && single)
        || (single && scalesKeepStepSingle(a, b, scale, step));
    return exactScaling && joined;
  }

  /** The datapath parameters of the B200 FP8 preset, whatever the operands. */
  static boolean supportsArithmetic(BlockFmaParams p) {
    return p.alignment() == AlignmentMode.EXACT
        && p.accumulatorJoin() == AccumulatorJoin.AFTER_TRUNCATED_SUM
        && p.outputFormat() == FpFormat.FP32
        && p.normalisedMantissaBits() == FpFormat.FP32.mantissaBits()
        && p.resultRounding() == Rounding.RNE
        && p.inputSubnormals() == SubnormalMode.KEEP
        && p.outputSubnormals() == SubnormalMode.KEEP
        && p.stepOrder() == StepOrder.SEQUENTIAL;
  }

  /** The exact value of every code (NaN and infinities as doubles, so they propagate). */
  static double[] values(FpFormat f) {
    double[] t = new double[256];
    for (int code = 0; code < 256; code++) {
      t[code] = code < f.codeCount() ? f.decode(code) : Double.NaN;
    }
    return t;
  }

  /** Per code: the lowest set bit of the value, +inf for zero, NaN for NaN and infinities. */
  static double[] lowBits(double[] values) {
    double[] t = new double[values.length];
    for (int code = 0; code < values.length; code++) {
      t[code] = lowestSetBit(values[code]);
    }
    return t;
  }

  /** The lowest set bit of v's magnitude (a power of two); +inf for zero, NaN if not finite. */
  static double lowestSetBit(double v) {
    if (!Double.isFinite(v)) {
      return Double.NaN;
    }
    if (v == 0) {
      return Double.POSITIVE_INFINITY;
    }
    long bits = Double.doubleToRawLongBits(Math.abs(v));
    int exponent = Math.getExponent(v);
    long significand = exponent < Double.MIN_EXPONENT ? bits & ((1L << 52) - 1)
        : (bits & ((1L << 52) - 1)) | (1L << 52);
    int unit = Math.max(exponent, Double.MIN_EXPONENT) - 52;
    return Math.scalb(1.0, unit + Long.numberOfTrailingZeros(significand));
  }

  /**
   * Whether every partial sum of up to {@code products} products of codes at most highA and
   * highB in magnitude, with lowest set bits at least lowA and lowB, is exact in one double (see
   * the class comment). False when a bound is NaN or infinite (a NaN or infinite code), except
   * for a row or column of zeros facing finite codes (lowest bit +inf, largest 0: every product
   * is zero).
   */
  static boolean narrow(int products, double highA, double highB, double lowA, double lowB) {
    return products * (highA * highB) <= 0x1p53 * (lowA * lowB);
  }

  @Override
  String name() {
    return "truncated-sum-row-batch";
  }

  @Override
  TileShape shape() {
    return SHAPE;
  }

  /** Per thread: the tile's decoded operands and one row's per-column state. */
  static final class Batch extends Context {
    final int blockK;
    /** A, row-major by tile row. */
    final double[] valueA;
    /** B, one array per k of the block, indexed by tile column. */
    final double[][] valueB;
    /** Per tile column: the step's sum (or its high part), its low part, the accumulator. */
    final double[] sum;
    final double[] low;
    final double[] acc;
    /** Per tile column: the largest magnitude the accumulator took (NaN once it was NaN). */
    final double[] worst;
    /** Per tile column, with block scales: the step's scaled sum as an exact pair. */
    final double[] total;
    final double[] totalErr;
    /** With block scales: B's scales per block of the loaded K range, by tile column. */
    final double[][] scaleB;
    int firstBlock;
    /** Zeros: the error part of a folded step's exact sum. */
    final double[] zero;
    final int[] start;
    final int[] scratchA;
    final int[] scratchB;
    /** 0, 1, ..., blockK - 1: the k offsets of a block in order. */
    final int[] offsets;
    /** With {@link #checkSpan}: per tile row and over the tile's columns, the span bounds. */
    final double[] highA;
    final double[] lowA;
    double highB;
    double lowB;

    Batch(int tileM, int tileN, int blockK, int step, int scaleBlock) {
      this.blockK = blockK;
      offsets = new int[blockK];
      for (int t = 0; t < blockK; t++) {
        offsets[t] = t;
      }
      total = new double[tileN];
      totalErr = new double[tileN];
      zero = new double[tileN];
      scaleB = new double[scaleBlock == 0 ? 0 : blockK / scaleBlock + 2][tileN];
      valueA = new double[tileM * blockK];
      valueB = new double[blockK][tileN];
      sum = new double[tileN];
      low = new double[tileN];
      acc = new double[tileN];
      worst = new double[tileN];
      start = new int[tileN];
      scratchA = new int[step];
      scratchB = new int[step];
      highA = new double[tileM];
      lowA = new double[tileM];
    }
  }

  @Override
  Context newContext(int tileM, int tileN, int blockK) {
    return new Batch(tileM, tileN, blockK, step, scaleBlock);
  }

  @Override
  void load(Context ctx, int i0, int i1, int j0, int j1, int k0, int k1) {
    begin(ctx, i0, j0, k0, k1);
    Batch d = (Batch) ctx;
    decodeRows(a, valueA, d.valueA, d.blockK, i0, i1, k0, k1);
    decodeColumns(b, valueB, d.valueB, j0, j1, k0, k1);
    if (checkSpan) {
      spanBounds(d, i0, i1, j0, j1, k0, k1);
    }
    if (scaleFormat != null) {
      d.firstBlock = k0 / scaleBlock;
      for (int blk = d.firstBlock; blk * scaleBlock < k1; blk++) {
        double[] scales = d.scaleB[blk - d.firstBlock];
        for (int col = 0; col < j1 - j0; col++) {
          scales[col] = b.scale(j0 + col, blk * scaleBlock);
        }
      }
      if (folded) {
        foldScales(d, i0, i1, j1 - j0, k0, k1);
      }
    }
  }

  /** The bounds of {@link #narrow} for the loaded tile: per row of A, and over all of B. */
  private void spanBounds(Batch d, int i0, int i1, int j0, int j1, int k0, int k1) {
    byte[] packedA = a.packed;
    for (int i = i0; i < i1; i++) {
      double high = 0;
      double low = Double.POSITIVE_INFINITY;
      int src = i * a.k;
      for (int k = k0; k < k1; k++) {
        int code = packedA[src + k] & 0xFF;
        high = Math.max(high, Math.abs(valueA[code]));
        low = Math.min(low, lowBitA[code]);
      }
      d.highA[i - i0] = high;
      d.lowA[i - i0] = low;
    }
    byte[] packedB = b.packed;
    double high = 0;
    double low = Double.POSITIVE_INFINITY;
    for (int j = j0; j < j1; j++) {
      int src = j * b.k;
      for (int k = k0; k < k1; k++) {
        int code = packedB[src + k] & 0xFF;
        high = Math.max(high, Math.abs(valueB[code]));
        low = Math.min(low, lowBitB[code]);
      }
    }
    d.highB = high;
    d.lowB = low;
  }

  /** Multiplies the decoded operands by their block scales (exact: see {@link #folded}). */
  private void foldScales(Batch d, int i0, int i1, int cols, int k0, int k1) {
    for (int from = k0, to; from < k1; from = to) {
      to = Math.min(k1, (from / scaleBlock + 1) * scaleBlock);
      for (int i = i0; i < i1; i++) {
        double sa = a.scale(i, from);
        int row = (i - i0) * d.blockK - k0;
        for (int k = from; k < to; k++) {
          d.valueA[row + k] *= sa;
        }
      }
      double[] sb = d.scaleB[from / scaleBlock - d.firstBlock];
      for (int k = from; k < to; k++) {
        double[] values = d.valueB[k - k0];
        for (int col = 0; col < cols; col++) {
          values[col] *= sb[col];
        }
      }
    }
  }

  /** Rows [i0, i1) of an operand over k in [k0, k1), decoded row-major, {@code stride} per row. */
  static void decodeRows(OperandView v, double[] table, double[] into, int stride, int i0,
      int i1, int k0, int k1) {
    byte[] packed = v.packed;
    for (int i = i0; i < i1; i++) {
      int src = i * v.k + k0;
      int dst = (i - i0) * stride;
      for (int t = 0; t < k1 - k0; t++) {
        into[dst + t] = table[packed[src + t] & 0xFF];
      }
    }
  }

  /** Columns [j0, j1) of an operand over k in [k0, k1), one array per k. */
  static void decodeColumns(OperandView v, double[] table, double[][] into, int j0, int j1,
      int k0, int k1) {
    byte[] packed = v.packed;
    for (int t = 0; t < k1 - k0; t++) {
      double[] values = into[t];
      for (int col = 0, src = j0 * v.k + k0 + t; col < j1 - j0; col++, src += v.k) {
        values[col] = table[packed[src] & 0xFF];
      }
    }
  }

  @Override
  void dotRow(Context ctx, int i, int j0, int j1, int k0, int k1, int[] acc, int at) {
    Batch d = (Batch) ctx;
    int lo = j0 - ctx.j0;
    int hi = j1 - ctx.j0;
    for (int j = lo; j < hi; j++) {
      int c = acc[at + j - lo];
      d.start[j] = c;
      d.acc[j] = Float.intBitsToFloat(c);
      d.worst[j] = Math.abs(d.acc[j]);
    }
    int rowA = (i - ctx.i0) * d.blockK - ctx.k0;
    boolean single = sum.single() || checkSpan
        && narrow(step, d.highA[i - ctx.i0], d.highB, d.lowA[i - ctx.i0], d.lowB);
    for (int s = k0; s < k1; s += step) {
      int end = Math.min(k1, s + step);
      if (folded) {
        sumProducts(d, single, rowA, s, end, lo, hi);
        ExactSumLoops.finishScaled(d.sum, d.zero, d.acc, d.worst, lo, hi);
        continue;
      }
      if (scaleFormat == null) {
        sumProducts(d, single, rowA, s, end, lo, hi);
        if (single) {
          ExactSumLoops.finish(d.sum, d.acc, lo, hi);
        } else {
          ExactSumLoops.finishSplit(d.sum, d.low, sum.magic(), d.acc, lo, hi);
        }
        continue;
      }
      for (int from = s; from < end; ) {
        int to = Math.min(end, (from / scaleBlock + 1) * scaleBlock);
        sumProducts(d, single, rowA, from, to, lo, hi);
        double sa = a.scale(i, from);
        double[] sb = d.scaleB[from / scaleBlock - d.firstBlock];
        if (from > s) {
          ExactSumLoops.addScaledSum(d.sum, sa, sb, d.total, d.totalErr, lo, hi);
        } else if (sum.single()) {
          ExactSumLoops.scaleSum(d.sum, sa, sb, d.total, d.totalErr, lo, hi);
        } else {
          ExactSumLoops.scaleSplitSum(d.sum, d.low, sum.magic(), sa, sb, d.total, d.totalErr, lo,
              hi);
        }
        from = to;
      }
      ExactSumLoops.finishScaled(d.total, d.totalErr, d.acc, d.worst, lo, hi);
    }
    for (int j = lo; j < hi; j++) {
      int r;
      if (d.worst[j] <= FP32_MAX && Math.abs(d.acc[j]) <= FP32_MAX) {
        r = Float.floatToRawIntBits((float) d.acc[j]);
      } else {
        r = redo(d, i, ctx.j0 + j, k0, k1, d.start[j]);
      }
      acc[at + j - lo] = r;
    }
  }

  /**
   * The exact sum of the products of k in [from, to) per column: in d.sum (SINGLE), or split in
   * d.sum and d.low.
   */
  private void sumProducts(Batch d, boolean single, int rowA, int from, int to, int lo, int hi) {
    int y0 = -d.k0;
    if (single) {
      ExactSumLoops.sumProducts(d.sum, d.valueA, rowA - y0, d.valueB, d.offsets, from + y0,
          to + y0, lo, hi);
    } else {
      java.util.Arrays.fill(d.sum, lo, hi, sum.magic());
      java.util.Arrays.fill(d.low, lo, hi, 0.0);
      int k = from;
      for (; k + 2 <= to; k += 2) {
        int x = rowA + k;
        int y = k + y0;
        ExactSumLoops.addProductsSplit2(d.sum, d.low, d.valueA[x], d.valueB[y],
            d.valueA[x + 1], d.valueB[y + 1], lo, hi);
      }
      for (; k < to; k++) {
        ExactSumLoops.addProductsSplit(d.sum, d.low, d.valueA[rowA + k], d.valueB[k + y0], lo,
            hi);
      }
    }
  }

  /** Output (i, j) over [k0, k1) from accumulator c, step by step through the datapath. */
  private int redo(Batch d, int i, int j, int k0, int k1, int c) {
    if (scaleFormat != null) {
      return BlockScaledDatapathKernel.dotScaled(a, b, datapath, scaleFormat, scaleBlock, i, j,
          k0, k1, c);
    }
    int r = c;
    for (int s = k0; s < k1; s += step) {
      r = datapathStep(datapath, d.scratchA, d.scratchB, i, j, s, Math.min(step, k1 - s), r);
    }
    return r;
  }
}

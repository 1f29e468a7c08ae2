package org.tcsim.core.gemm;

import java.util.Arrays;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The fastest path for FP8 x FP8 into FP32 on a truncating datapath with at most 13 alignment
 * bits (the Hopper preset: 32 products per step, 13 alignment bits, RZ to 13 mantissa bits;
 * docs/hardware-facts.md, Hopper FP8). It computes what {@link BlockFmaDatapath#step} computes, bit
 * for bit (proved by
 * {@code RowBatchKernelEquivalenceTest}), for a whole row of a tile at once: every loop over
 * products runs across the tile's columns with one array index, the form that HotSpot's C2
 * compiler turns into SIMD instructions. Java 17 cannot vectorise a float-to-int conversion, so
 * the truncation of each aligned product is done in float arithmetic that is exact:
 * <ul>
 *   <li>A step's largest exponent is max over its products of 2^lead(a) * 2^lead(b), a float
 *       maximum of exact powers of two. A zero code has power 2^-60 and a NaN or Inf code 2^100,
 *       so a product involving a special (even special x 0) is at least 2^40, and products of
 *       zeros stay below 2^-40, below every real product (at least 2^-28).</li>
 *   <li>Scaled by 2^(alignBits - largest), a product y of two FP8 values is exact, has at most 8
 *       significant bits and |y| &lt; 2^15 (alignBits &lt;= 13). Its truncation toward zero n is
 *       what rounding w = y - sign(y) * (1/2 - 2^-9) to the nearest integer gives: the
 *       subtraction is exact, and because y's fraction is a multiple of 2^-8 (or |y| &lt; 1/2),
 *       w lies strictly inside (n - 1/2, n + 1/2).</li>
 *   <li>The step's sum is kept as S = 1.5 * 2^23 + (the integer sum so far). S stays in
 *       (2^23, 2^24), where floats are exactly the integers, because the integer sum stays below
 *       2^22 (at most 64 products below 2^15 each, plus the aligned accumulator below 2^14). So
 *       S + w, rounded once to nearest, is exactly S + n: the addition that accumulates a product
 *       is also the one that truncates it.</li>
 *   <li>The accumulator's alignment is a float floor of |c| * scale
 *       ({@link ColumnLoops#alignAccumulators}); the normalisation to the kept mantissa bits is
 *       float arithmetic too for RZ with at most 20 kept bits ({@link #finishSimd}), and integer
 *       arithmetic on the sum's bits otherwise ({@link #finish}).</li>
 * </ul>
 * A step outside that envelope (a NaN or Inf operand, a subnormal or huge accumulator, a result
 * outside FP32's normal range) is redone for that output alone by the generic datapath, so the
 * kernel is exact for every input and fast for every input a GEMM meets.
 */
final class RowBatchFp8Kernel extends RowBatchKernel {

  /**
   * 64 rows by 1024 columns, K decoded 64 at a time: long column loops, because C2 runs the first
   * and last iterations of each SIMD loop as scalar code, and 1024 x 64 decoded B values
   * (3 floats each, 768 KiB) that stay in a core's L2 cache. On the development machine this
   * shape ran the 2048^3 GEMM 10-15% faster than 256 or 512 columns (measured, not modelled).
   */
  static final TileShape SHAPE = new TileShape(64, 1024, 64, 12);

  /** Widest alignment window for which the float truncation above is exact. */
  static final int MAX_ALIGNMENT_BITS = 13;
  /** Most products per step whose integer sum stays below 2^22 (see the class comment). */
  static final int MAX_PRODUCTS_PER_STEP = 64;

  private static final float ZERO_POWER = 0x1p-60f;
  private static final float SPECIAL_POWER = 0x1p100f;
  /** A step's largest power at or above this has a NaN or Inf operand. */
  private static final int SPECIAL_BITS = Float.floatToRawIntBits(0x1p40f);
  /** A step's largest power below this has no nonzero product. */
  private static final int PRODUCT_BITS = Float.floatToRawIntBits(0x1p-40f);

  /**
   * Per FP8 code: +-1 and +-(1/2 - 2^-9) by its sign bit (tables, not branches: signs are
   * random).
   */
  private static final float[] SIGN = new float[256];
  private static final float[] BIAS = new float[256];

  static {
    for (int code = 0; code < 256; code++) {
      SIGN[code] = code < 0x80 ? 1f : -1f;
      BIAS[code] = code < 0x80 ? ColumnLoops.TRUNCATION_BIAS : -ColumnLoops.TRUNCATION_BIAS;
    }
  }

  private final BlockFmaDatapath datapath;
  private final int step;
  private final int alignBits;
  private final int keptBits;
  private final boolean nearestEven;
  private final int floor;
  /** 2^alignBits, and the rounding constants for the kept mantissa bits on FP32 bits. */
  private final float alignPower;
  private final int droppedBits;
  private final int keptMask;
  private final int roundingHalf;
  private final boolean roundsToNearest;
  /** Whether {@link #finishSimd} applies (RZ, at most 20 kept bits), and its 2^-keptBits. */
  private final boolean simdFinishes;
  private final float ulpFactor;
  private final float[] powerA;
  private final float[] valueA;
  private final float[] powerB;
  private final float[] valueB;

  RowBatchFp8Kernel(OperandView a, OperandView b, BlockFmaDatapath datapath) {
    super(a, b);
    this.datapath = datapath;
    BlockFmaParams p = datapath.params();
    if (!supports(p, datapath.aFormat(), datapath.bFormat())) {
      throw new IllegalArgumentException("row-batch kernel does not take " + p.describe());
    }
    this.step = p.productsPerStep();
    this.alignBits = p.alignmentBits();
    this.keptBits = p.normalisedMantissaBits();
    this.nearestEven = p.resultRounding() == Rounding.RNE;
    this.floor = p.alignmentExponentFloor();
    this.alignPower = Math.scalb(1f, alignBits);
    this.droppedBits = 23 - keptBits;
    this.keptMask = -(1 << droppedBits);
    this.roundingHalf = droppedBits == 0 ? 0 : (1 << (droppedBits - 1)) - 1;
    this.roundsToNearest = nearestEven && droppedBits > 0;
    this.simdFinishes = !nearestEven && keptBits <= 20;
    this.ulpFactor = Math.scalb(1f, -keptBits);
    powerA = powers(datapath.aFormat());
    valueA = TruncatingFp8Kernel.values(datapath.aFormat());
    powerB = powers(datapath.bFormat());
    valueB = TruncatingFp8Kernel.values(datapath.bFormat());
  }

  /** Whether this kernel reproduces the datapath with these parameters and operand formats. */
  static boolean supports(BlockFmaParams p, FpFormat a, FpFormat b) {
    return TruncatingFp8Kernel.supportsArithmetic(p, a, b)
        && p.alignmentBits() <= MAX_ALIGNMENT_BITS
        && p.normalisedMantissaBits() <= 23
        && p.productsPerStep() <= MAX_PRODUCTS_PER_STEP;
  }

  /** 2^lead of each code; {@link #ZERO_POWER} for zeros, {@link #SPECIAL_POWER} for NaN/Inf. */
  private static float[] powers(FpFormat f) {
    float[] t = new float[256];
    for (int code = 0; code < 256; code++) {
      t[code] = switch (f.classify(code)) {
        case ZERO -> ZERO_POWER;
        case NAN, INFINITE -> SPECIAL_POWER;
        // The leading bit POSITION, as the datapath aligns (a subnormal's is the minimum exponent).
        case NORMAL, SUBNORMAL -> Math.scalb(1f, f.scaleExponent(code) + f.mantissaBits());
      };
    }
    return t;
  }

  @Override
  String name() {
    return "fp8-row-batch";
  }

  @Override
  TileShape shape() {
    return SHAPE;
  }

  /** Per thread: the tile's decoded operands and one row's per-column step state. */
  static final class Batch extends Context {
    final int blockK;
    /** A, row-major by tile row: value, sign (+-1) and power of each element. */
    final float[] valueA;
    final float[] signA;
    final float[] powerA;
    /** B, one array per k of the block, indexed by tile column. */
    final float[][] valueB;
    final float[][] biasB;
    final float[][] powerB;
    /** Per tile column, for the current step: largest product power, scales, exact sum. */
    final float[] largestPower;
    final float[] scale;
    final float[] unscale;
    final float[] sum;
    /**
     * Per tile column, the accumulator: FP32 bits, value, and 2^lead (+0 for zero). In the SIMD
     * finish the value and power arrays are the truth (swapped with the next ones each step) and
     * the bits are written back at the end.
     */
    final int[] acc;
    float[] accValue;
    float[] accPower;
    float[] nextValue;
    float[] nextPower;
    /** Per tile column: at least 1 (or NaN) when the SIMD finish must redo the step. */
    final float[] status;
    /** Per tile column, in the SIMD finish: |T| and its leading power of two. */
    final float[] magnitude;
    final float[] leadPower;
    final int[] scratchA;
    final int[] scratchB;

    Batch(int tileM, int tileN, int blockK, int step) {
      this.blockK = blockK;
      valueA = new float[tileM * blockK];
      signA = new float[tileM * blockK];
      powerA = new float[tileM * blockK];
      valueB = new float[blockK][tileN];
      biasB = new float[blockK][tileN];
      powerB = new float[blockK][tileN];
      largestPower = new float[tileN];
      scale = new float[tileN];
      unscale = new float[tileN];
      sum = new float[tileN];
      acc = new int[tileN];
      accValue = new float[tileN];
      accPower = new float[tileN];
      nextValue = new float[tileN];
      nextPower = new float[tileN];
      status = new float[tileN];
      magnitude = new float[tileN];
      leadPower = new float[tileN];
      scratchA = new int[step];
      scratchB = new int[step];
    }

    /** The step's results become the accumulators. */
    void swap() {
      float[] v = accValue;
      accValue = nextValue;
      nextValue = v;
      float[] p = accPower;
      accPower = nextPower;
      nextPower = p;
    }

    /** Sets column j's accumulator to the FP32 bits {@code c}. */
    void setAccumulator(int j, int c) {
      acc[j] = c;
      accValue[j] = Float.intBitsToFloat(c);
      accPower[j] = Float.intBitsToFloat(c & 0x7F800000);
    }
  }

  @Override
  Context newContext(int tileM, int tileN, int blockK) {
    return new Batch(tileM, tileN, blockK, step);
  }

  @Override
  void load(Context ctx, int i0, int i1, int j0, int j1, int k0, int k1) {
    begin(ctx, i0, j0, k0, k1);
    Batch d = (Batch) ctx;
    int len = k1 - k0;
    byte[] packedA = a.packed;
    for (int i = i0; i < i1; i++) {
      int src = i * a.k + k0;
      int dst = (i - i0) * d.blockK;
      for (int t = 0; t < len; t++) {
        int code = packedA[src + t] & 0xFF;
        d.valueA[dst + t] = valueA[code];
        d.signA[dst + t] = SIGN[code];
        d.powerA[dst + t] = powerA[code];
      }
    }
    // k outer, columns inner: each k's arrays are written in order (measured faster than
    // columns outer for this tile shape).
    byte[] packedB = b.packed;
    int stride = b.k;
    for (int t = 0; t < len; t++) {
      float[] values = d.valueB[t];
      float[] biases = d.biasB[t];
      float[] powers = d.powerB[t];
      int src = j0 * stride + k0 + t;
      for (int col = 0; col < j1 - j0; col++, src += stride) {
        int code = packedB[src] & 0xFF;
        values[col] = valueB[code];
        biases[col] = BIAS[code];
        powers[col] = powerB[code];
      }
    }
  }

  @Override
  void dotRow(Context ctx, int i, int j0, int j1, int k0, int k1, int[] acc, int at) {
    Batch d = (Batch) ctx;
    int lo = j0 - ctx.j0;
    int hi = j1 - ctx.j0;
    boolean simdFinish = simdFinishes;
    for (int j = lo; j < hi; j++) {
      int c = acc[at + j - lo];
      d.setAccumulator(j, c);
      simdFinish &= !TruncatingFp8Kernel.accumulatorOutside(c);
    }
    int rowA = (i - ctx.i0) * d.blockK - ctx.k0;
    for (int s = k0; s < k1; s += step) {
      int end = Math.min(k1, s + step);
      maxPowers(d, rowA, s, end, lo, hi);
      // Two loops rather than one: C2 (Java 17) vectorises each, but not the two fused.
      ColumnLoops.scales(d.largestPower, d.accPower, d.scale, d.unscale, alignPower,
          1f / alignPower, lo, hi);
      ColumnLoops.alignAccumulators(d.accValue, d.scale, d.sum, lo, hi);
      addTruncated(d, rowA, s, end, lo, hi);
      if (simdFinish) {
        simdFinish = finishSimd(d, i, lo, hi, s, end - s);
      } else {
        finish(d, i, lo, hi, s, end - s);
      }
    }
    if (simdFinish) {
      for (int j = lo; j < hi; j++) {
        d.acc[j] = Float.floatToRawIntBits(d.accValue[j]);
      }
    }
    System.arraycopy(d.acc, lo, acc, at, hi - lo);
  }

  /**
   * The step's largest product power per column, two products per loop (per-loop costs are a
   * large part of a step of 16 products, the Ada preset).
   */
  private static void maxPowers(Batch d, int rowA, int s, int end, int lo, int hi) {
    int y = -d.k0;
    int k = s;
    if (end - s >= 2) {
      ColumnLoops.setMaxPowers2(d.largestPower, d.powerA[rowA + k], d.powerB[k + y],
          d.powerA[rowA + k + 1], d.powerB[k + 1 + y], lo, hi);
      k += 2;
    } else {
      Arrays.fill(d.largestPower, lo, hi, 0f);
    }
    for (; k + 2 <= end; k += 2) {
      ColumnLoops.maxPowers2(d.largestPower, d.powerA[rowA + k], d.powerB[k + y],
          d.powerA[rowA + k + 1], d.powerB[k + 1 + y], lo, hi);
    }
    for (; k < end; k++) {
      ColumnLoops.maxPowers(d.largestPower, d.powerA[rowA + k], d.powerB[k + y], lo, hi);
    }
  }

  /** The step's truncated products added to the sums in order of k, two per loop. */
  private static void addTruncated(Batch d, int rowA, int s, int end, int lo, int hi) {
    int y = -d.k0;
    int k = s;
    for (; k + 2 <= end; k += 2) {
      int x = rowA + k;
      ColumnLoops.addTruncated2(d.sum, d.valueA[x], d.signA[x], d.valueB[k + y], d.biasB[k + y],
          d.valueA[x + 1], d.signA[x + 1], d.valueB[k + 1 + y], d.biasB[k + 1 + y], d.scale, lo,
          hi);
    }
    for (; k < end; k++) {
      ColumnLoops.addTruncated(d.sum, d.valueA[rowA + k], d.signA[rowA + k], d.valueB[k + y],
          d.biasB[k + y], d.scale, lo, hi);
    }
  }

  /**
   * The SIMD finish (RZ, at most 20 kept mantissa bits: the Hopper preset): the normalisation of
   * every column in three SIMD loops ({@link ColumnLoops#leadingPowers},
   * {@link ColumnLoops#truncateSums}, {@link ColumnLoops#envelope}), then the few columns whose
   * status flags them are redone by {@link #slowStep}. Returns false, having written every
   * accumulator back as bits, when a result lies outside the accumulators the fast arithmetic
   * takes; the caller then finishes the row with {@link #finish}.
   */
  private boolean finishSimd(Batch d, int i, int lo, int hi, int s, int n) {
    // Three loops rather than one: C2 (Java 17) vectorises each, but not the three fused.
    ColumnLoops.leadingPowers(d.sum, d.magnitude, d.leadPower, lo, hi);
    ColumnLoops.truncateSums(d.sum, d.magnitude, d.leadPower, d.unscale, d.nextValue,
        d.nextPower, ulpFactor, lo, hi);
    ColumnLoops.envelope(d.largestPower, d.nextPower, d.magnitude, d.status, lo, hi);
    int outside = -1;
    int outsideBits = 0;
    for (int j = lo; j < hi; j++) {
      if (!(d.status[j] < 1f)) {
        int r = slowStep(d, i, j, s, n, Float.floatToRawIntBits(d.largestPower[j]),
            Float.floatToRawIntBits(d.accValue[j]));
        d.nextValue[j] = Float.intBitsToFloat(r);
        d.nextPower[j] = Float.intBitsToFloat(r & 0x7F800000);
        if (TruncatingFp8Kernel.accumulatorOutside(r)) {
          outside = j;
          outsideBits = r; // kept as bits: a NaN's payload need not survive a float
        }
      }
    }
    d.swap();
    if (outside < 0) {
      return true;
    }
    for (int j = lo; j < hi; j++) {
      d.setAccumulator(j, j == outside ? outsideBits : Float.floatToRawIntBits(d.accValue[j]));
    }
    return false;
  }

  /**
   * Per column: the exact sum normalised to the kept mantissa bits (on its float bits: the sum is
   * an integer below 2^24, so clearing or rounding its low mantissa bits is the datapath's RZ or
   * RNE), then scaled back. The step is redone by {@link #slowStep} when it left the envelope: a
   * NaN or Inf operand or no nonzero product (the largest power outside [2^-40, 2^40)), an
   * accumulator outside, or a result beyond FP32's normal range. The common path has no
   * data-dependent branch.
   */
  private void finish(Batch d, int i, int lo, int hi, int s, int n) {
    for (int j = lo; j < hi; j++) {
      // The exact integer sum; +0 (never -0) when it is zero, as S - S is +0.
      int bits = Float.floatToRawIntBits(d.sum[j] - ColumnLoops.ROUNDING_MAGIC);
      if (roundsToNearest) {
        bits += roundingHalf + ((bits >>> droppedBits) & 1);
      }
      bits &= keptMask;
      float value = Float.intBitsToFloat(bits) * d.unscale[j];
      int r = Float.floatToRawIntBits(value);
      int field = r >>> 23 & 0xFF;
      int powerBits = Float.floatToRawIntBits(d.largestPower[j]);
      if (Integer.compareUnsigned(powerBits - PRODUCT_BITS, SPECIAL_BITS - PRODUCT_BITS) >= 0
          | TruncatingFp8Kernel.accumulatorOutside(d.acc[j]) | field == 0xFF
          | (field == 0 & bits != 0)) {
        d.setAccumulator(j, slowStep(d, i, j, s, n, powerBits, d.acc[j]));
      } else {
        d.acc[j] = r;
        d.accValue[j] = value;
        d.accPower[j] = Float.intBitsToFloat(r & 0x7F800000);
      }
    }
  }

  /**
   * A step outside the envelope: the accumulator alone when no product is nonzero, else the
   * datapath.
   */
  private int slowStep(Batch d, int i, int j, int s, int n, int powerBits, int c) {
    if (powerBits < PRODUCT_BITS && !TruncatingFp8Kernel.accumulatorOutside(c)) {
      return accumulatorOnly(d, i, j, s, n, c);
    }
    return fallback(d, i, d.j0 + j, s, n, c);
  }

  /** A step whose products are all zero: the accumulator alone, aligned and normalised. */
  private int accumulatorOnly(Batch d, int i, int j, int s, int n, int c) {
    if ((c & 0x7FFFFFFF) == 0) {
      return 0;
    }
    int largest = Math.max(((c >>> 23) & 0xFF) - 127, floor);
    int quantum = largest - alignBits;
    int r = TruncatingFp8Kernel.normalise(TruncatingFp8Kernel.alignedAccumulator(c, quantum),
        quantum, keptBits, nearestEven);
    return r == TruncatingFp8Kernel.FALLBACK ? fallback(d, i, d.j0 + j, s, n, c) : r;
  }

  private int fallback(Batch d, int i, int j, int s, int n, int c) {
    return datapathStep(datapath, d.scratchA, d.scratchB, i, j, s, n, c);
  }
}

package org.tcsim.core.gemm;

import org.tcsim.core.datapath.AccumulatorJoin;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.StepOrder;
import org.tcsim.core.datapath.SubnormalMode;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The fast path for FP8 x FP8 on a truncating datapath into FP32 (the Hopper preset: 32 products
 * per step, 13 alignment bits, truncation, RZ to 13 mantissa bits; docs/hardware-facts.md, Hopper
 * FP8). It computes what
 * {@link BlockFmaDatapath#step} computes, bit for bit (proved by {@code FastKernelEquivalenceTest}),
 * with float arithmetic that is exact by construction:
 * <ul>
 *   <li>the step's largest exponent is max over the products of lead(a) + lead(b), from int
 *       tables (a zero code has a lead far below any real one, so it never wins);</li>
 *   <li>a product of two FP8 values has at most 8 significant bits and lies in [2^-32, 2^32), so
 *       the float product is exact; multiplying by the power of two 2^(alignBits - largest) is
 *       exact; and the (int) cast truncates toward zero, which is precisely the datapath's
 *       truncating alignment of the magnitude followed by the sign;</li>
 *   <li>C, a normal FP32 code, is aligned with an integer shift; the integer sum is normalised and
 *       rounded (RZ or RNE) to the kept mantissa bits and packed into FP32 bits.</li>
 * </ul>
 * Anything outside that envelope (NaN or Inf codes, a subnormal or huge C, a result outside FP32's
 * normal range) is handed to the generic datapath for that step, so the kernel is exact for every
 * input, and fast for every input a GEMM meets.
 */
final class TruncatingFp8Kernel extends TileKernel {

  /** Lead given to a zero code: sums with it stay far below every real exponent. */
  private static final int ZERO_LEAD = -(1 << 20);
  /** Lead given to NaN / Inf codes: any product with one exceeds {@link #SPECIAL_THRESHOLD}. */
  private static final int SPECIAL_LEAD = 1 << 24;
  private static final int SPECIAL_THRESHOLD = 1 << 22;
  private static final int NO_PRODUCT_THRESHOLD = -(1 << 19);
  /** Widest alignment window this kernel takes: 32 terms below 2^(bits+2) fit an int. */
  static final int MAX_ALIGNMENT_BITS = 20;

  private final BlockFmaDatapath datapath;
  private final int step;
  private final int alignBits;
  private final int keptBits;
  private final boolean nearestEven;
  private final int floor;
  private final int[] leadA;
  private final float[] valueA;
  private final int[] leadB;
  private final float[] valueB;

  TruncatingFp8Kernel(OperandView a, OperandView b, BlockFmaDatapath datapath) {
    super(a, b);
    this.datapath = datapath;
    BlockFmaParams p = datapath.params();
    if (!supports(p, datapath.aFormat(), datapath.bFormat())) {
      throw new IllegalArgumentException("fast kernel does not take " + p.describe());
    }
    this.step = p.productsPerStep();
    this.alignBits = p.alignmentBits();
    this.keptBits = p.normalisedMantissaBits();
    this.nearestEven = p.resultRounding() == Rounding.RNE;
    this.floor = p.alignmentExponentFloor();
    FpFormat fa = datapath.aFormat();
    FpFormat fb = datapath.bFormat();
    leadA = leads(fa);
    valueA = values(fa);
    leadB = leads(fb);
    valueB = values(fb);
  }

  /** Whether this kernel reproduces the datapath with these parameters and operand formats. */
  static boolean supports(BlockFmaParams p, FpFormat a, FpFormat b) {
    return supportsArithmetic(p, a, b)
        && p.alignmentBits() <= MAX_ALIGNMENT_BITS
        && p.productsPerStep() <= 32;
  }

  /**
   * The datapaths the fast FP8 kernels model: FP8 operands, truncating alignment, C joining the
   * products, FP32 out rounded RZ or RNE, subnormals kept, steps in k order.
   */
  static boolean supportsArithmetic(BlockFmaParams p, FpFormat a, FpFormat b) {
    return a.isFp8() && b.isFp8()
        && p.alignment() == AlignmentMode.TRUNCATE
        && p.accumulatorJoin() == AccumulatorJoin.WITH_PRODUCTS
        && p.outputFormat() == FpFormat.FP32
        && (p.resultRounding() == Rounding.RZ || p.resultRounding() == Rounding.RNE)
        && p.inputSubnormals() == SubnormalMode.KEEP
        && p.outputSubnormals() == SubnormalMode.KEEP
        && p.alignmentExponentFloor() <= -32
        && p.stepOrder() == StepOrder.SEQUENTIAL;
  }



  private static int[] leads(FpFormat f) {
    int[] t = new int[256];
    for (int code = 0; code < 256; code++) {
      FpClass c = f.classify(code);
      t[code] = switch (c) {
        case ZERO -> ZERO_LEAD;
        case NAN, INFINITE -> SPECIAL_LEAD;
        // Lead of the leading bit POSITION: lsb + mantissa bits, the minimum exponent for a
        // subnormal (as OperandTable.leadExponent; the exponent field, not renormalised).
        case NORMAL, SUBNORMAL -> f.scaleExponent(code) + f.mantissaBits();
      };
    }
    return t;
  }

  /** The value of each finite code; 0 for NaN/Inf (those steps are redone by the datapath). */
  static float[] values(FpFormat f) {
    float[] t = new float[256];
    for (int code = 0; code < 256; code++) {
      t[code] = f.classify(code).isFinite() ? (float) f.decode(code) : 0f;
    }
    return t;
  }

  @Override
  String name() {
    return "fp8-truncating-fast";
  }

  static final class Decoded extends Context {
    final int[] la;
    final float[] va;
    final int[] lb;
    final float[] vb;
    /** Per row of A and step: the largest lead, and masks of the k at each level below it. */
    final int[] maxA;
    final int[] maskA;
    final int[] maxB;
    final int[] maskB;
    int stepsPerRow;
    final int[] scratchA = new int[64];
    final int[] scratchB = new int[64];

    Decoded(int tileM, int tileN, int blockK, int step) {
      la = new int[tileM * blockK];
      va = new float[tileM * blockK];
      lb = new int[tileN * blockK];
      vb = new float[tileN * blockK];
      int steps = (blockK + step - 1) / step;
      maxA = new int[tileM * steps];
      maskA = new int[tileM * steps * LEVELS];
      maxB = new int[tileN * steps];
      maskB = new int[tileN * steps * LEVELS];
    }
  }

  /**
   * Levels below the largest lead that the masks record. A step's largest exponent is
   * maxLeadA + maxLeadB - d for the smallest d with a k at level i in A and level d - i in B; when
   * none is found within these levels (rare), the step scans its products instead.
   */
  static final int LEVELS = 4;
  private static final int NOT_FOUND = Integer.MIN_VALUE;

  @Override
  Context newContext(int tileM, int tileN, int blockK) {
    return new Decoded(tileM, tileN, blockK, step);
  }

  @Override
  void load(Context ctx, int i0, int i1, int j0, int j1, int k0, int k1) {
    begin(ctx, i0, j0, k0, k1);
    Decoded d = (Decoded) ctx;
    decode(a, leadA, valueA, d.la, d.va, i0, i1, k0, k1);
    decode(b, leadB, valueB, d.lb, d.vb, j0, j1, k0, k1);
    int len = k1 - k0;
    d.stepsPerRow = (len + step - 1) / step;
    summarise(d.la, i1 - i0, len, d.stepsPerRow, d.maxA, d.maskA);
    summarise(d.lb, j1 - j0, len, d.stepsPerRow, d.maxB, d.maskB);
  }

  /**
   * For each row and step of decoded leads: the largest lead, and a bit mask per level l of the
   * products' positions whose lead is largest - l. Done once per row of a tile, it lets every
   * output find its step's largest exponent with a few mask operations instead of a scan.
   */
  private void summarise(int[] leads, int rows, int len, int steps, int[] max, int[] mask) {
    for (int r = 0; r < rows; r++) {
      for (int st = 0; st < steps; st++) {
        int from = r * len + st * step;
        int n = Math.min(step, len - st * step);
        int m = Integer.MIN_VALUE;
        for (int t = 0; t < n; t++) {
          m = Math.max(m, leads[from + t]);
        }
        int at = r * steps + st;
        max[at] = m;
        int base = at * LEVELS;
        for (int l = 0; l < LEVELS; l++) {
          mask[base + l] = 0;
        }
        for (int t = 0; t < n; t++) {
          int level = m - leads[from + t];
          if (level < LEVELS) {
            mask[base + level] |= 1 << t;
          }
        }
      }
    }
  }

  /**
   * The largest lead(a) + lead(b) of a step from the row summaries, or {@link #NOT_FOUND} when the
   * summaries cannot tell (a special or zero-only row, or no pair within {@link #LEVELS}).
   */
  private static int largestFromMasks(Decoded d, int rowA, int rowB, int st) {
    int sa = rowA * d.stepsPerRow + st;
    int sb = rowB * d.stepsPerRow + st;
    int ma = d.maxA[sa];
    int mb = d.maxB[sb];
    if (ma > SPECIAL_THRESHOLD || mb > SPECIAL_THRESHOLD || ma < NO_PRODUCT_THRESHOLD
        || mb < NO_PRODUCT_THRESHOLD) {
      return NOT_FOUND;
    }
    int[] mA = d.maskA;
    int[] mB = d.maskB;
    int baseA = sa * LEVELS;
    int baseB = sb * LEVELS;
    for (int level = 0; level < LEVELS; level++) {
      int hit = 0;
      for (int i = 0; i <= level; i++) {
        hit |= mA[baseA + i] & mB[baseB + level - i];
      }
      if (hit != 0) {
        return ma + mb - level;
      }
    }
    return NOT_FOUND;
  }

  private static void decode(OperandView v, int[] leads, float[] values, int[] l, float[] val,
      int o0, int o1, int k0, int k1) {
    int len = k1 - k0;
    byte[] packed = v.packed;
    for (int o = o0; o < o1; o++) {
      int src = o * v.k + k0;
      int dst = (o - o0) * len;
      for (int t = 0; t < len; t++) {
        int code = packed[src + t] & 0xFF;
        l[dst + t] = leads[code];
        val[dst + t] = values[code];
      }
    }
  }

  @Override
  int dot(Context ctx, int i, int j, int k0, int k1, int c) {
    Decoded d = (Decoded) ctx;
    int rel = k0 - ctx.k0;
    int aOff = (i - ctx.i0) * ctx.kLen + rel;
    int bOff = (j - ctx.j0) * ctx.kLen + rel;
    int acc = c;
    for (int s = k0; s < k1; s += step) {
      int n = Math.min(step, k1 - s);
      acc = step(d.la, d.va, aOff, d.lb, d.vb, bOff, n, acc);
      if (acc == FALLBACK) {
        acc = fallback(d, i, j, s, n, c);
      }
      aOff += n;
      bOff += n;
      c = acc;
    }
    return acc;
  }

  /**
   * Four outputs of one row at a time: the A slice is read once for four columns and the four
   * independent sums keep the core busy. Each output's step is the same arithmetic as
   * {@link #step}; a step outside the fast envelope is redone alone through the datapath.
   */
  @Override
  void dotRow(Context ctx, int i, int j0, int j1, int k0, int k1, int[] acc, int at) {
    Decoded d = (Decoded) ctx;
    int j = j0;
    int rel = k0 - ctx.k0;
    int aBase = (i - ctx.i0) * ctx.kLen + rel;
    int[] la = d.la;
    float[] va = d.va;
    int[] lb = d.lb;
    float[] vb = d.vb;
    for (; j + 4 <= j1; j += 4) {
      int b0 = (j - ctx.j0) * ctx.kLen + rel;
      int b1 = b0 + ctx.kLen;
      int b2 = b1 + ctx.kLen;
      int b3 = b2 + ctx.kLen;
      int x = at + j - j0;
      int c0 = acc[x];
      int c1 = acc[x + 1];
      int c2 = acc[x + 2];
      int c3 = acc[x + 3];
      int aOff = aBase;
      int rowA = i - ctx.i0;
      int rowB0 = j - ctx.j0;
      boolean aligned = rel % step == 0;
      for (int s = k0; s < k1; s += step) {
        int n = Math.min(step, k1 - s);
        int st = (s - ctx.k0) / step;
        int e0 = aligned ? largestFromMasks(d, rowA, rowB0, st) : NOT_FOUND;
        int e1 = aligned ? largestFromMasks(d, rowA, rowB0 + 1, st) : NOT_FOUND;
        int e2 = aligned ? largestFromMasks(d, rowA, rowB0 + 2, st) : NOT_FOUND;
        int e3 = aligned ? largestFromMasks(d, rowA, rowB0 + 3, st) : NOT_FOUND;
        if (e0 == NOT_FOUND || e1 == NOT_FOUND || e2 == NOT_FOUND || e3 == NOT_FOUND) {
          e0 = Integer.MIN_VALUE;
          e1 = Integer.MIN_VALUE;
          e2 = Integer.MIN_VALUE;
          e3 = Integer.MIN_VALUE;
          for (int t = 0; t < n; t++) {
            int l = la[aOff + t];
            e0 = Math.max(e0, l + lb[b0 + t]);
            e1 = Math.max(e1, l + lb[b1 + t]);
            e2 = Math.max(e2, l + lb[b2 + t]);
            e3 = Math.max(e3, l + lb[b3 + t]);
          }
        }
        int q0 = largest(e0, c0);
        int q1 = largest(e1, c1);
        int q2 = largest(e2, c2);
        int q3 = largest(e3, c3);
        if (q0 == FALLBACK_LARGEST || q1 == FALLBACK_LARGEST || q2 == FALLBACK_LARGEST
            || q3 == FALLBACK_LARGEST) {
          // rare: a special, an unusual accumulator, or a step without products
          c0 = single(d, i, j, s, n, c0, aOff, b0);
          c1 = single(d, i, j + 1, s, n, c1, aOff, b1);
          c2 = single(d, i, j + 2, s, n, c2, aOff, b2);
          c3 = single(d, i, j + 3, s, n, c3, aOff, b3);
        } else {
          float f0 = Float.intBitsToFloat((127 + alignBits - q0) << 23);
          float f1 = Float.intBitsToFloat((127 + alignBits - q1) << 23);
          float f2 = Float.intBitsToFloat((127 + alignBits - q2) << 23);
          float f3 = Float.intBitsToFloat((127 + alignBits - q3) << 23);
          int s0 = 0;
          int s1 = 0;
          int s2 = 0;
          int s3 = 0;
          for (int t = 0; t < n; t++) {
            float v = va[aOff + t];
            s0 += (int) (v * vb[b0 + t] * f0);
            s1 += (int) (v * vb[b1 + t] * f1);
            s2 += (int) (v * vb[b2 + t] * f2);
            s3 += (int) (v * vb[b3 + t] * f3);
          }
          c0 = finish(s0, q0, c0, d, i, j, s, n, aOff, b0);
          c1 = finish(s1, q1, c1, d, i, j + 1, s, n, aOff, b1);
          c2 = finish(s2, q2, c2, d, i, j + 2, s, n, aOff, b2);
          c3 = finish(s3, q3, c3, d, i, j + 3, s, n, aOff, b3);
        }
        aOff += n;
        b0 += n;
        b1 += n;
        b2 += n;
        b3 += n;
      }
      acc[x] = c0;
      acc[x + 1] = c1;
      acc[x + 2] = c2;
      acc[x + 3] = c3;
    }
    for (; j < j1; j++) {
      acc[at + j - j0] = dot(ctx, i, j, k0, k1, acc[at + j - j0]);
    }
  }

  private static final int FALLBACK_LARGEST = Integer.MAX_VALUE;

  /**
   * The step's largest exponent from the products' emax and a normal or zero accumulator;
   * {@link #FALLBACK_LARGEST} when the step has a special, an unusual accumulator or no product
   * (then {@link #single} does it).
   */
  private int largest(int emax, int c) {
    if (emax > SPECIAL_THRESHOLD || emax < NO_PRODUCT_THRESHOLD) {
      return FALLBACK_LARGEST;
    }
    int cMagnitude = c & 0x7FFFFFFF;
    if (cMagnitude == 0) {
      return Math.max(emax, floor);
    }
    if (accumulatorOutside(c)) {
      return FALLBACK_LARGEST;
    }
    int cField = cMagnitude >>> 23;
    return Math.max(Math.max(emax, cField - 127), floor);
  }

  private int finish(int sum, int largest, int c, Decoded d, int i, int j, int s, int n, int aOff,
      int bOff) {
    int quantum = largest - alignBits;
    int r = normalise(sum + alignedAccumulator(c, quantum), quantum);
    return r == FALLBACK ? single(d, i, j, s, n, c, aOff, bOff) : r;
  }

  /** One output's step through {@link #step}, and the datapath when that declines. */
  private int single(Decoded d, int i, int j, int s, int n, int c, int aOff, int bOff) {
    int r = step(d.la, d.va, aOff, d.lb, d.vb, bOff, n, c);
    return r == FALLBACK ? fallback(d, i, j, s, n, c) : r;
  }

  private int fallback(Decoded d, int i, int j, int s, int n, int c) {
    return datapathStep(datapath, d.scratchA, d.scratchB, i, j, s, n, c);
  }

  /**
   * Marks a step the fast arithmetic does not cover: 0x7FC00001, a NaN payload the datapath never
   * produces (its canonical NaN is 0x7FFFFFFF).
   */
  static final int FALLBACK = 0x7FC00001;

  /** One datapath step on decoded operands; {@link #FALLBACK} when outside the envelope. */
  int step(int[] la, float[] va, int aOff, int[] lb, float[] vb, int bOff, int n, int c) {
    int emax = Integer.MIN_VALUE;
    for (int t = 0; t < n; t++) {
      emax = Math.max(emax, la[aOff + t] + lb[bOff + t]);
    }
    if (emax > SPECIAL_THRESHOLD) {
      return FALLBACK;
    }
    boolean products = emax > NO_PRODUCT_THRESHOLD;
    int cMagnitude = c & 0x7FFFFFFF;
    int cField = cMagnitude >>> 23;
    boolean cZero = cMagnitude == 0;
    if (accumulatorOutside(c)) {
      return FALLBACK; // subnormal, huge, Inf or NaN accumulator
    }
    if (!products && cZero) {
      return 0; // every term zero: +0, as the datapath
    }
    int cLead = cField - 127;
    int largest = products ? emax : Integer.MIN_VALUE;
    if (!cZero) {
      largest = Math.max(largest, cLead);
    }
    largest = Math.max(largest, floor);
    int quantum = largest - alignBits;
    int sum = 0;
    if (products) {
      float scale = Float.intBitsToFloat((127 + alignBits - largest) << 23);
      for (int t = 0; t < n; t++) {
        sum += (int) (va[aOff + t] * vb[bOff + t] * scale);
      }
    }
    return normalise(sum + alignedAccumulator(c, quantum), quantum);
  }

  /** Normalises sum * 2^quantum to {@code keptBits} mantissa bits (RZ or RNE) as FP32 bits. */
  private int normalise(int sum, int quantum) {
    return normalise(sum, quantum, keptBits, nearestEven);
  }

  /**
   * Normalises the integer sum * 2^quantum to {@code keptBits} mantissa bits, by truncation or
   * round-to-nearest-even, as FP32 bits; +0 for a zero sum (the datapath's); {@link #FALLBACK}
   * when the result falls outside FP32's normal range.
   */
  static int normalise(int sum, int quantum, int keptBits, boolean nearestEven) {
    if (sum == 0) {
      return 0;
    }
    int sign = sum & 0x80000000;
    int magnitude = sum < 0 ? -sum : sum;
    int length = 32 - Integer.numberOfLeadingZeros(magnitude);
    int keep = keptBits + 1;
    int lead = quantum + length - 1;
    int kept;
    if (length > keep) {
      int shift = length - keep;
      kept = magnitude >>> shift;
      if (nearestEven) {
        int rest = magnitude & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (kept & 1) != 0)) {
          kept++;
          if (kept == 1 << keep) {
            kept >>>= 1;
            lead++;
          }
        }
      }
    } else {
      kept = magnitude << (keep - length);
    }
    if (lead < -126 || lead > 127) {
      return FALLBACK;
    }
    return sign | ((lead + 127) << 23) | ((kept << (23 - keptBits)) & 0x7FFFFF);
  }

  /**
   * Largest accumulator exponent the fast arithmetic takes: scaled to a step's grid, the
   * accumulator and every product stay normal floats.
   */
  static final int MAX_ACCUMULATOR_LEAD = 100;

  /**
   * Whether FP32 bits {@code c} lie outside the accumulators the fast kernels take, which are
   * zero and normal values with a lead of at most {@link #MAX_ACCUMULATOR_LEAD}: a subnormal, a
   * huge value, Inf or NaN.
   */
  static boolean accumulatorOutside(int c) {
    int magnitude = c & 0x7FFFFFFF;
    return magnitude != 0 && Integer.compareUnsigned(magnitude - 0x00800000,
        (128 + MAX_ACCUMULATOR_LEAD << 23) - 0x00800000) >= 0;
  }

  /**
   * A normal FP32 accumulator (bits {@code c}) aligned to the grid 2^quantum with its low bits
   * truncated, as a signed integer: the datapath's truncating alignment of C.
   */
  static int alignedAccumulator(int c, int quantum) {
    int cMagnitude = c & 0x7FFFFFFF;
    if (cMagnitude == 0) {
      return 0;
    }
    int shift = quantum - ((cMagnitude >>> 23) - 127 - 23);
    int significand = (cMagnitude & 0x7FFFFF) | 0x800000;
    int term = shift >= 31 ? 0 : shift >= 0 ? significand >>> shift : significand << -shift;
    return c < 0 ? -term : term;
  }

  /**
   * The datapath's dot product of raw codes through this kernel (tests use it to prove the fast
   * arithmetic equal to {@link BlockFmaDatapath#dot}).
   */
  int dotCodes(int[] aCodes, int[] bCodes, int k, int c) {
    Decoded d = new Decoded(1, 1, k, step);
    for (int t = 0; t < k; t++) {
      d.la[t] = leadA[aCodes[t]];
      d.va[t] = valueA[aCodes[t]];
      d.lb[t] = leadB[bCodes[t]];
      d.vb[t] = valueB[bCodes[t]];
    }
    int acc = c;
    for (int s = 0; s < k; s += step) {
      int n = Math.min(step, k - s);
      int r = step(d.la, d.va, s, d.lb, d.vb, s, n, acc);
      if (r == FALLBACK) {
        System.arraycopy(aCodes, s, d.scratchA, 0, n);
        System.arraycopy(bCodes, s, d.scratchB, 0, n);
        r = datapath.step(d.scratchA, 0, 1, d.scratchB, 0, 1, n, acc, 0, null);
      }
      acc = r;
    }
    return acc;
  }

  /** A kernel over no operands, for {@link #dotCodes} in tests. */
  static TruncatingFp8Kernel forCodes(BlockFmaDatapath datapath) {
    return new TruncatingFp8Kernel(null, null, datapath);
  }
}

package org.tcsim.core.gemm;

import java.util.Arrays;
import org.tcsim.core.datapath.AccumulatorJoin;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.Fp16Rounding;
import org.tcsim.core.datapath.StepOrder;
import org.tcsim.core.datapath.SubnormalMode;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The fast path for FP8 with an FP16 accumulator: {@code mma.sync} on H100 and B200 (the
 * {@code fp8.fp16} presets: per instruction of K 32, two FP16 HMMA k16 steps from zero over k mod
 * 4 in {0, 1}, then {2, 3}, and C added last; docs/hardware-facts.md, FP8 into FP16) and the
 * truncating datapaths where C joins the first step (Ada's {@code fp8.fp16}, Hopper's
 * {@code wgmma} hypothesis). It computes what {@link BlockFmaDatapath#dot} computes for each MMA
 * instruction, bit for bit (proved by {@code HalfAccumulatorKernelEquivalenceTest}), for a whole
 * row of a tile at once, every loop running across the tile's columns in double arithmetic.
 *
 * <p><b>Exact-sum steps</b> (windows of at least {@link #EXACT_SUM_MIN_ALIGNMENT_BITS} bits, the
 * {@code mma.sync} presets' 25). A step truncates each product and the accumulator to the
 * window below its largest power L, then rounds the sum into FP16 once. On the data a GEMM with
 * an FP16 accumulator meets the window drops nothing, and the step is RNE_fp16(exact sum): one
 * fma per product ({@link ExactSumLoops#sumProducts}) and one rounding per step
 * ({@link HalfStepLoops#finishExact}). That the window dropped nothing is proved afterwards, per
 * row and column over the loaded K ({@link HalfStepLoops#window}), from bounds taken as the block
 * is loaded: the largest power and the smallest lowest set bit of the row's codes and of the
 * column's, and the largest accumulator magnitude the row met. Every sum the steps take is then
 * exact in a double (a multiple of the smallest lowest bit, below 2^32 times it). A row with a
 * column the bound does not clear, or one that overflowed or met a NaN or an infinity, is
 * computed again by the truncating steps.
 *
 * <p><b>Truncating steps</b> ({@link HalfStepLoops}; every window):
 * <ul>
 *   <li><b>Align.</b> A step's largest exponent is max over its products of 2^lead(a) * 2^lead(b)
 *       and the running accumulator's 2^lead (exact powers of two; NaN for a NaN or Inf operand,
 *       so that it spreads to the result, and 0 for a zero). Scaled by 2^alignBits / L, a
 *       product y is exact with at most 8 significant bits and |y| &lt; 2^(alignBits + 2), the
 *       accumulator with at most 11.</li>
 *   <li><b>Sum.</b> The step's integer sum is kept offset by 1.5 * 2^52, where doubles are
 *       exactly the integers. Adding w = y - sign(y) * (1/2 - 2^-12) rounds to the integer
 *       trunc(y): when |y| &gt;= 1/2 its fraction is a multiple of 2^-11, so w is exact and lies
 *       strictly between trunc(y) - 1/2 and trunc(y) + 1/2; when |y| &lt; 1/2, w lies inside
 *       (-1/2, 1/2) even rounded. The sum of at most 16 products and the accumulator stays below
 *       2^32.</li>
 *   <li><b>Normalise and round.</b> T * L / 2^alignBits is exact; {@link Fp16Rounding#nearest}
 *       rounds it into FP16 once.</li>
 *   <li><b>Join C.</b> After an instruction's steps, D = RNE_fp16(run + C), the sum of two FP16
 *       values being exact in a double.</li>
 *   <li><b>Envelope.</b> An FP16 overflow, a nonzero step that rounds to zero (whose sign the
 *       rounding loses) and any NaN or infinity show in the largest magnitude a column took;
 *       those columns are redone from their starting accumulator by the generic datapath.</li>
 * </ul>
 * A range given to {@link #dotRow} is a run of MMA instructions of {@link #instructionK} (the
 * GEMM's mmaK), each a {@link BlockFmaDatapath#dot} over its K from the previous result.
 */
final class HalfAccumulatorKernel extends RowBatchKernel {

  /**
   * 64 rows by 512 columns, K decoded 128 at a time (a promotion interval of 4 MMAs of K 32, so
   * that each row's FP16 codes are read and written once per interval, not once per MMA): one
   * double per B element for the exact-sum steps (512 KiB), three once a block needs the
   * truncating steps. On the development machine this ran the GEMM about a third faster than
   * K 32 at a time (measured, not modelled).
   */
  static final TileShape SHAPE = new TileShape(64, 512, 128, 24);

  /**
   * The shape for windows too narrow for the exact-sum steps: K decoded 32 at a time, so that the
   * truncating steps' three doubles per B element (384 KiB) stay in a core's L2 cache.
   */
  static final TileShape TRUNCATING_SHAPE = new TileShape(64, 512, 32, 24);

  /**
   * The narrowest window for which the exact-sum steps are tried: with a 13-bit window (Ada's
   * {@code fp8.fp16}, Hopper's {@code wgmma} hypothesis) a step of N(0, 1) products nearly always
   * truncates one, and the row would be computed twice.
   */
  static final int EXACT_SUM_MIN_ALIGNMENT_BITS = 24;

  private static final double FP16_MAX = 65504;
  /** The lowest set bit given to a zero: above every FP8 product and FP16 value. */
  private static final double ZERO_LOW_BIT = 0x1p100;

  private final BlockFmaDatapath datapath;
  private final int step;
  private final StepOrder stepOrder;
  /** Whether C joins after an instruction's steps (else it joins the first step). */
  private final boolean joinsAfter;
  /** Whether rows are first tried as exact sums (see {@link #EXACT_SUM_MIN_ALIGNMENT_BITS}). */
  private final boolean exactSums;
  /** The last order computed (instructions are almost always of one length); racy but benign. */
  private volatile int[] lastOrder;
  private final double alignPower;
  private final double[] valueA;
  private final double[] powerA;
  private final double[] lowBitA;
  private final double[] valueB;
  private final double[] powerB;
  /** By a magnitude code less one (0xFF for zero): its ulp, at most its lowest set bit. */
  private final double[] ulpB;
  private final double[] fp16;

  HalfAccumulatorKernel(OperandView a, OperandView b, BlockFmaDatapath datapath) {
    super(a, b);
    this.datapath = datapath;
    BlockFmaParams p = datapath.params();
    if (!supports(p, datapath.aFormat(), datapath.bFormat())) {
      throw new IllegalArgumentException("FP16-accumulator kernel does not take " + p.describe());
    }
    this.step = p.productsPerStep();
    this.stepOrder = p.stepOrder();
    this.joinsAfter = p.accumulatorJoin() == AccumulatorJoin.AFTER_ALL_STEPS;
    this.exactSums = p.alignmentBits() >= EXACT_SUM_MIN_ALIGNMENT_BITS;
    this.alignPower = Math.scalb(1.0, p.alignmentBits());
    this.valueA = TruncatedSumKernel.values(datapath.aFormat());
    this.powerA = powers(datapath.aFormat());
    this.lowBitA = lowBits(datapath.aFormat());
    this.valueB = TruncatedSumKernel.values(datapath.bFormat());
    this.powerB = powers(datapath.bFormat());
    this.ulpB = ulps(datapath.bFormat());
    this.fp16 = FpFormat.FP16.decodeTable();
  }

  /** Whether this kernel reproduces the datapath with these parameters and operand formats. */
  static boolean supports(BlockFmaParams p, FpFormat a, FpFormat b) {
    return (a == FpFormat.E4M3 || a == FpFormat.E5M2) && (b == FpFormat.E4M3 || b == FpFormat.E5M2)
        && p.alignment() == AlignmentMode.TRUNCATE
        && p.alignmentBits() <= 25
        && p.productsPerStep() <= 64
        && (p.accumulatorJoin() == AccumulatorJoin.AFTER_ALL_STEPS
            || p.accumulatorJoin() == AccumulatorJoin.WITH_PRODUCTS)
        && p.outputFormat() == FpFormat.FP16
        && p.normalisedMantissaBits() == FpFormat.FP16.mantissaBits()
        && p.resultRounding() == Rounding.RNE
        && p.inputSubnormals() == SubnormalMode.KEEP
        && p.outputSubnormals() == SubnormalMode.KEEP
        && p.alignmentExponentFloor() <= -40;
  }

  /** 2^lead of each code: 0 for zeros, NaN for NaN and infinities. */
  static double[] powers(FpFormat f) {
    double[] t = new double[256];
    for (int code = 0; code < 256; code++) {
      t[code] = switch (f.classify(code)) {
        case ZERO -> 0.0;
        case NAN, INFINITE -> Double.NaN;
        case NORMAL, SUBNORMAL -> Math.scalb(1.0, f.scaleExponent(code) + f.mantissaBits());
      };
    }
    return t;
  }

  /** The lowest set bit of each code's value: {@link #ZERO_LOW_BIT} for zeros, NaN for NaN/Inf. */
  private static double[] lowBits(FpFormat f) {
    double[] t = new double[256];
    for (int code = 0; code < 256; code++) {
      t[code] = switch (f.classify(code)) {
        case ZERO -> ZERO_LOW_BIT;
        case NAN, INFINITE -> Double.NaN;
        case NORMAL, SUBNORMAL -> TruncatedSumKernel.lowestSetBit(f.decode(code));
      };
    }
    return t;
  }

  /**
   * By a magnitude code less one, wrapped to a byte: its ulp (the lowest bit its significand can
   * have), NaN for NaN and infinities, {@link #ZERO_LOW_BIT} for zero (0xFF). FP8 magnitude codes
   * order the magnitudes, and so their leading powers and ulps: the smallest nonzero code of a
   * column's loaded codes has the smallest ulp, at most the lowest set bit of any of them; the
   * largest code has the largest power, NaN when a NaN or an infinity is among them.
   */
  static double[] ulps(FpFormat f) {
    double[] t = new double[256];
    t[0xFF] = ZERO_LOW_BIT;
    for (int magnitude = 1; magnitude < 0x80; magnitude++) {
      t[magnitude - 1] = f.classify(magnitude).isFinite()
          ? Math.scalb(1.0, f.scaleExponent(magnitude)) : Double.NaN;
    }
    return t;
  }

  @Override
  String name() {
    return "fp16-accumulator-row-batch";
  }

  @Override
  TileShape shape() {
    return exactSums ? SHAPE : TRUNCATING_SHAPE;
  }

  /** Per thread: the tile's decoded operands and one row's per-column state. */
  static final class Batch extends Context {
    final int blockK;
    final int tileN;
    int rows;
    int cols;
    /** Which k of the loaded block each step takes. */
    final InstructionSteps plan;
    /** A, row-major by tile row: value; |value|, sign and power, when loaded. */
    final double[] valueA;
    final double[] magnitudeA;
    final double[] signA;
    final double[] powerA;
    /** A, per tile row over the loaded K: the largest power, the smallest lowest set bit. */
    final double[] highA;
    final double[] lowA;
    /** B, one array per k of the block: value; -sign * (1/2 - 2^-12) and power, when loaded. */
    final double[][] valueB;
    double[][] negBiasB;
    double[][] powerB;
    boolean truncatingLoaded;
    /**
     * B, per tile column over the loaded K: the largest power and a lower bound of the lowest set
     * bits, from the largest magnitude code and the smallest nonzero one less one.
     */
    final double[] highB;
    final double[] lowB;
    final int[] topB;
    final int[] bottomB;
    /** Per tile column. */
    final double[] largest;
    final double[] scale;
    final double[] sum;
    final double[] run;
    final double[] runPower;
    final double[] runMax;
    final double[] lowC;
    final double[] acc;
    final double[] worst;
    final int[] start;
    final int[] stepK = new int[64];

    Batch(int tileM, int tileN, int blockK, InstructionSteps plan) {
      this.blockK = blockK;
      this.tileN = tileN;
      this.plan = plan;
      valueA = new double[tileM * blockK];
      magnitudeA = new double[tileM * blockK];
      signA = new double[tileM * blockK];
      powerA = new double[tileM * blockK];
      highA = new double[tileM];
      lowA = new double[tileM];
      valueB = new double[blockK][tileN];
      highB = new double[tileN];
      lowB = new double[tileN];
      topB = new int[tileN];
      bottomB = new int[tileN];
      largest = new double[tileN];
      scale = new double[tileN];
      sum = new double[tileN];
      run = new double[tileN];
      runPower = new double[tileN];
      runMax = new double[tileN];
      lowC = new double[tileN];
      acc = new double[tileN];
      worst = new double[tileN];
      start = new int[tileN];
    }
  }

  @Override
  Context newContext(int tileM, int tileN, int blockK) {
    return new Batch(tileM, tileN, blockK, new InstructionSteps(step, stepOrder));
  }

  @Override
  void load(Context ctx, int i0, int i1, int j0, int j1, int k0, int k1) {
    begin(ctx, i0, j0, k0, k1);
    Batch d = (Batch) ctx;
    int len = k1 - k0;
    d.rows = i1 - i0;
    d.cols = j1 - j0;
    d.plan.plan(len, instructionK);
    byte[] packedA = a.packed;
    for (int i = i0; i < i1; i++) {
      int src = i * a.k + k0;
      int dst = (i - i0) * d.blockK;
      double high = 0.0;
      double low = ZERO_LOW_BIT;
      for (int t = 0; t < len; t++) {
        int code = packedA[src + t] & 0xFF;
        d.valueA[dst + t] = valueA[code];
        high = Math.max(high, powerA[code]);
        low = Math.min(low, lowBitA[code]);
      }
      d.highA[i - i0] = high;
      d.lowA[i - i0] = low;
    }
    d.truncatingLoaded = false;
    if (!exactSums) {
      TruncatedSumKernel.decodeColumns(b, valueB, d.valueB, j0, j1, k0, k1);
      loadTruncating(d);
      return;
    }
    // k outer, columns inner, as the other row-batch kernels (measured faster than columns
    // outer). Per column, the largest magnitude code and the smallest nonzero one less one (zero
    // wraps to 0xFF): integer extrema, cheaper than those of doubles.
    Arrays.fill(d.topB, 0, d.cols, 0);
    Arrays.fill(d.bottomB, 0, d.cols, 0xFF);
    byte[] packedB = b.packed;
    for (int t = 0; t < len; t++) {
      double[] values = d.valueB[t];
      for (int col = 0, src = j0 * b.k + k0 + t; col < d.cols; col++, src += b.k) {
        int code = packedB[src] & 0xFF;
        values[col] = valueB[code];
        int magnitude = code & 0x7F;
        d.topB[col] = Math.max(d.topB[col], magnitude);
        d.bottomB[col] = Math.min(d.bottomB[col], (magnitude - 1) & 0xFF);
      }
    }
    for (int col = 0; col < d.cols; col++) {
      d.highB[col] = powerB[d.topB[col]];
      d.lowB[col] = ulpB[d.bottomB[col]];
    }
  }

  /**
   * A's magnitudes, signs and powers and B's sign biases and powers for the truncating steps,
   * once per loaded block.
   */
  private void loadTruncating(Batch d) {
    if (d.negBiasB == null) {
      d.negBiasB = new double[d.blockK][d.tileN];
      d.powerB = new double[d.blockK][d.tileN];
    }
    byte[] packedA = a.packed;
    for (int r = 0; r < d.rows; r++) {
      int src = (d.i0 + r) * a.k + d.k0;
      int dst = r * d.blockK;
      for (int t = 0; t < d.kLen; t++) {
        int code = packedA[src + t] & 0xFF;
        d.magnitudeA[dst + t] = Math.abs(valueA[code]);
        d.signA[dst + t] = code < 0x80 ? 1.0 : -1.0;
        d.powerA[dst + t] = powerA[code];
      }
    }
    byte[] packedB = b.packed;
    for (int t = 0; t < d.kLen; t++) {
      double[] biases = d.negBiasB[t];
      double[] powers = d.powerB[t];
      for (int col = 0, src = d.j0 * b.k + d.k0 + t; col < d.cols; col++, src += b.k) {
        int code = packedB[src] & 0xFF;
        biases[col] = code < 0x80 ? -HalfStepLoops.TRUNCATION_BIAS : HalfStepLoops.TRUNCATION_BIAS;
        powers[col] = powerB[code];
      }
    }
    d.truncatingLoaded = true;
  }

  @Override
  void dotRow(Context ctx, int i, int j0, int j1, int k0, int k1, int[] acc, int at) {
    Batch d = (Batch) ctx;
    int lo = j0 - ctx.j0;
    int hi = j1 - ctx.j0;
    System.arraycopy(acc, at, d.start, lo, hi - lo);
    boolean done = exactSums && exactRow(d, i, lo, hi, k0, k1);
    if (done) {
      for (int j = lo; j < hi; j++) {
        if (!(d.worst[j] <= FP16_MAX)) {
          done = false; // a truncating step, an overflow, a NaN: the row again, step by step
          break;
        }
        acc[at + j - lo] = code(d.acc[j]);
      }
    }
    if (!done) {
      truncatingRow(d, i, lo, hi, k0, k1);
      for (int j = lo; j < hi; j++) {
        acc[at + j - lo] = d.worst[j] <= FP16_MAX ? code(d.acc[j])
            : redo(i, ctx.j0 + j, k0, k1, d.start[j]);
      }
    }
  }

  /**
   * The row as exact sums ({@link ExactSumLoops#sumProducts}, {@link HalfStepLoops#finishExact}),
   * then {@link HalfStepLoops#window}: false when the range is not a run of the loaded block's
   * instructions; otherwise d.worst flags (above FP16's range) every column where a step may have
   * truncated, or overflowed or met a NaN or infinity.
   */
  private boolean exactRow(Batch d, int i, int lo, int hi, int k0, int k1) {
    InstructionSteps plan = d.plan;
    int from = k0 - d.k0;
    int to = k1 - d.k0;
    for (int s = from, e; s < to; s = e) {
      e = (int) Math.min(to, (long) s + instructionK);
      if (!plan.hasInstruction(s, e)) {
        return false;
      }
    }
    startRow(d, lo, hi);
    if (joinsAfter) {
      Arrays.fill(d.runMax, lo, hi, 0.0);
      Arrays.fill(d.lowC, lo, hi, ZERO_LOW_BIT);
    } else {
      // C is the first step's accumulator: the instructions are one chain of steps.
      System.arraycopy(d.acc, lo, d.run, lo, hi - lo);
      System.arraycopy(d.worst, lo, d.runMax, lo, hi - lo);
      for (int j = lo; j < hi; j++) {
        d.lowC[j] = lowBit16(d.start[j]);
      }
    }
    int row = (i - d.i0) * d.blockK;
    for (int s = from, e; s < to; s = e) {
      e = (int) Math.min(to, (long) s + instructionK);
      int first = plan.stepOf[s];
      for (int g = first; g < plan.steps && plan.begin[g] < e; g++) {
        ExactSumLoops.sumProducts(d.sum, d.valueA, row, d.valueB, plan.ks, plan.begin[g],
            plan.begin[g + 1], lo, hi);
        if (joinsAfter && g == first) {
          HalfStepLoops.finishFirst(d.sum, d.run, d.runMax, lo, hi); // from a zero accumulator
        } else {
          HalfStepLoops.finishExact(d.sum, d.run, d.runMax, lo, hi);
        }
      }
      if (joinsAfter) {
        HalfStepLoops.join(d.run, d.acc, d.worst, lo, hi);
      }
    }
    if (!joinsAfter) {
      System.arraycopy(d.run, lo, d.acc, lo, hi - lo);
    }
    int r = i - d.i0;
    HalfStepLoops.window(d.highA[r], d.highB, d.lowA[r], d.lowB, d.lowC, d.runMax, d.worst,
        1.0 / alignPower, lo, hi);
    return true;
  }

  /** The lowest set bit of an FP16 code's value: {@link #ZERO_LOW_BIT} for ±0, NaN for NaN/Inf. */
  static double lowBit16(int c) {
    int field = (c >>> 10) & 0x1F;
    int significand = field == 0 ? c & 0x3FF : (c & 0x3FF) | 0x400;
    if (field == 0x1F) {
      return Double.NaN;
    }
    return significand == 0 ? ZERO_LOW_BIT
        : Math.scalb((double) Integer.lowestOneBit(significand), Math.max(field, 1) - 25);
  }

  /** Each column's accumulator from its starting code, and its magnitude as the worst so far. */
  private void startRow(Batch d, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      d.acc[j] = fp16[d.start[j]];
      d.worst[j] = Math.abs(d.acc[j]);
    }
  }

  /**
   * The row step by step in the truncating window ({@link HalfStepLoops}); d.worst flags the
   * columns to redo by the generic datapath.
   */
  private void truncatingRow(Batch d, int i, int lo, int hi, int k0, int k1) {
    if (!d.truncatingLoaded) {
      loadTruncating(d);
    }
    startRow(d, lo, hi);
    int rowA = (i - d.i0) * d.blockK - d.k0;
    if (!joinsAfter) {
      // C is the first step's accumulator: the instructions are one chain of steps.
      System.arraycopy(d.acc, lo, d.run, lo, hi - lo);
      for (int j = lo; j < hi; j++) {
        d.runPower[j] = Fp16Rounding.leadPower(d.run[j]);
      }
    }
    for (int s0 = k0, s1; s0 < k1; s0 = s1) {
      s1 = (int) Math.min(k1, (long) s0 + instructionK);
      if (joinsAfter) {
        Arrays.fill(d.run, lo, hi, 0.0);
        Arrays.fill(d.runPower, lo, hi, 0.0);
      }
      // The instruction's steps: its k in the datapath's order, a step's worth at a time.
      int[] order = order(s1 - s0);
      for (int from = 0; from < order.length; from += step) {
        int n = Math.min(step, order.length - from);
        for (int t = 0; t < n; t++) {
          d.stepK[t] = s0 + order[from + t];
        }
        step(d, rowA, n, lo, hi);
      }
      if (joinsAfter) {
        HalfStepLoops.join(d.run, d.acc, d.worst, lo, hi);
      }
    }
    if (!joinsAfter) {
      System.arraycopy(d.run, lo, d.acc, lo, hi - lo);
    }
  }

  /** The order of an instruction's k, as {@link BlockFmaDatapath#dot} takes them. */
  private int[] order(int k) {
    int[] cached = lastOrder;
    if (cached != null && cached.length == k) {
      return cached;
    }
    int[] o = k > step ? stepOrder.order(k, step) : StepOrder.SEQUENTIAL.order(k, step);
    lastOrder = o;
    return o;
  }

  /** One BFMA step over the products of k in d.stepK[0 .. n) with the running accumulator. */
  private void step(Batch d, int rowA, int n, int lo, int hi) {
    System.arraycopy(d.runPower, lo, d.largest, lo, hi - lo);
    for (int t = 0; t < n; t++) {
      int k = d.stepK[t];
      HalfStepLoops.maxPowers(d.largest, d.powerA[rowA + k], d.powerB[k - d.k0], lo, hi);
    }
    HalfStepLoops.start(d.largest, d.run, d.scale, d.sum, alignPower, lo, hi);
    for (int t = 0; t < n; t++) {
      int k = d.stepK[t];
      HalfStepLoops.addTruncated(d.sum, d.magnitudeA[rowA + k], d.signA[rowA + k],
          d.valueB[k - d.k0], d.negBiasB[k - d.k0], d.scale, lo, hi);
    }
    HalfStepLoops.finish(d.sum, d.largest, d.scale, d.run, d.runPower, d.worst, 1.0 / alignPower,
        lo, hi);
  }

  /** The FP16 code of a finite FP16 value held in a double. */
  static int code(double v) {
    int bits = Float.floatToRawIntBits((float) v);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xFF) - 127;
    int mantissa = bits & 0x7FFFFF;
    if (exponent == -127) {
      return sign; // zero
    }
    if (exponent < -14) {
      return sign | ((mantissa | 0x800000) >>> (-1 - exponent));
    }
    return sign | ((exponent + 15) << 10) | (mantissa >>> 13);
  }

  /** Output (i, j) over [k0, k1) from accumulator c, instruction by instruction. */
  private int redo(int i, int j, int k0, int k1, int c) {
    int r = c;
    int[] ca = new int[Math.min(k1 - k0, instructionK)];
    int[] cb = new int[ca.length];
    for (int s0 = k0, n; s0 < k1; s0 += n) {
      n = Math.min(k1 - s0, instructionK);
      for (int t = 0; t < n; t++) {
        ca[t] = a.code(i, s0 + t);
        cb[t] = b.code(j, s0 + t);
      }
      r = datapath.dot(ca, cb, n, r);
    }
    return r;
  }
}

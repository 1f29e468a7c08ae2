package org.tcsim.core.datapath;

import java.util.List;
import java.util.Objects;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * A block fused multiply-add datapath: computes D = sum_k a[k]*b[k] + C bit for bit as a tensor
 * core described by {@link BlockFmaParams} does. Immutable and thread-safe; allocates nothing per
 * product on the fixed-point path.
 *
 * <p>Operands are codes (see {@link FpFormat}); A and B may be of different formats (E4M3 x E5M2),
 * C and D are codes of the output format.
 */
public final class BlockFmaDatapath {
  private final BlockFmaParams params;
  private final OperandTable a;
  private final OperandTable b;
  private final FpFormat out;
  private final Normaliser normaliser;
  private final int canonicalNaN;

  public BlockFmaDatapath(FpFormat aFormat, FpFormat bFormat, BlockFmaParams params) {
    this.params = Objects.requireNonNull(params, "params");
    this.a = tableFor(aFormat, params.inputSubnormals());
    this.b = aFormat == bFormat ? a : tableFor(bFormat, params.inputSubnormals());
    this.out = params.outputFormat();
    this.normaliser = new Normaliser(out, params.outputSubnormals(), params.overflowToInfinity());
    // NVIDIA arithmetic writes the canonical NaN with every mantissa bit set (0x7FFFFFFF for FP32,
    // PTX ISA "Floating-point Instructions": canonical NaN).
    this.canonicalNaN = out.maxFiniteCode() | out.infinityCode();
    int capacity = Math.max(params.productsPerStep(), 64) + 1;
    this.terms = ThreadLocal.withInitial(() -> new Terms(capacity));
  }

  private static OperandTable tableFor(FpFormat f, SubnormalMode subnormals) {
    if (f.width() > 19) {
      throw new IllegalArgumentException(f + " is not a tensor-core input format");
    }
    return new OperandTable(f, subnormals);
  }

  public BlockFmaParams params() {
    return params;
  }

  public FpFormat aFormat() {
    return a.format();
  }

  public FpFormat bFormat() {
    return b.format();
  }

  public FpFormat outputFormat() {
    return out;
  }

  /** D = sum_{i<k} a[i]*b[i] + c, in steps of {@code productsPerStep}. */
  public int dot(int[] aCodes, int[] bCodes, int k, int cCode) {
    return dot(aCodes, 0, 1, bCodes, 0, 1, k, cCode, null);
  }

  /**
   * D = sum_{i<k} a[aOff + i*aStride] * b[bOff + i*bStride] + c. When {@code trace} is not null
   * each step appends a {@link StepTrace} to it.
   */
  public int dot(int[] aCodes, int aOff, int aStride, int[] bCodes, int bOff, int bStride, int k,
      int cCode, List<StepTrace> trace) {
    int step = params.productsPerStep();
    if (params.stepOrder() != StepOrder.SEQUENTIAL && k > step) {
      // Gather the operands in the order the steps take them.
      int[] order = params.stepOrder().order(k, step);
      int[] a2 = new int[k];
      int[] b2 = new int[k];
      for (int i = 0; i < k; i++) {
        a2[i] = aCodes[aOff + order[i] * aStride];
        b2[i] = bCodes[bOff + order[i] * bStride];
      }
      aCodes = a2;
      bCodes = b2;
      aOff = 0;
      bOff = 0;
      aStride = 1;
      bStride = 1;
    }
    boolean cLast = params.accumulatorJoin() == AccumulatorJoin.AFTER_ALL_STEPS;
    int acc = cLast ? 0 : cCode;
    int index = 0;
    for (int s = 0; s < k; s += step, index++) {
      int n = Math.min(step, k - s);
      acc = step(aCodes, aOff + s * aStride, aStride, bCodes, bOff + s * bStride, bStride, n, acc,
          index, trace);
    }
    if (cLast) {
      acc = addRounded(acc, cCode);
      record(trace, index, 0, 0, 0, false, true, acc);
    }
    return acc;
  }

  /** x + y for two output-format codes, exactly, then rounded once (IEEE special cases). */
  private int addRounded(int x, int y) {
    return addRounded(x, y, 1, 0);
  }

  /**
   * x + y * scaleSig * 2^scaleLsb for two output-format codes, exactly, then rounded once to
   * {@code normalisedMantissaBits} with {@code resultRounding} (IEEE special cases; a zero scale
   * times an infinite y is NaN).
   */
  private int addRounded(int x, int y, long scaleSig, int scaleLsb) {
    return addRounded(x, y, scaleSig, scaleLsb, params.normalisedMantissaBits(),
        params.resultRounding(), false, false);
  }

  /**
   * x + y * scaleSig * 2^scaleLsb (+ an infinitesimal of the sign {@code stickyNegative} when
   * {@code sticky}), exact, then rounded once to {@code keptBits} mantissa bits with
   * {@code rounding}.
   */
  private int addRounded(int x, int y, long scaleSig, int scaleLsb, int keptBits,
      Rounding rounding, boolean sticky, boolean stickyNegative) {
    FpClass cx = out.classify(x);
    FpClass cy = out.classify(y);
    if (cx == FpClass.NAN || cy == FpClass.NAN || (cy == FpClass.INFINITE && scaleSig == 0)) {
      return canonicalNaN;
    }
    boolean nx = out.isNegative(x);
    boolean ny = out.isNegative(y);
    if (cx == FpClass.INFINITE || cy == FpClass.INFINITE) {
      if (cx == FpClass.INFINITE && cy == FpClass.INFINITE && nx != ny) {
        return canonicalNaN;
      }
      return cx == FpClass.INFINITE ? x : y;
    }
    boolean[] negative = {nx, ny};
    long[] magnitude = {out.significand(x), out.significand(y) * scaleSig};
    int[] lsb = {out.scaleExponent(x), out.scaleExponent(y) + scaleLsb};
    if (cx == FpClass.ZERO) {
      magnitude[0] = 0;
    }
    if (cy == FpClass.ZERO) {
      magnitude[1] = 0;
    }
    if (sticky) {
      // Below every bit of x, y and the output's smallest quantum: it can only break a tie or
      // an exact result, never move the rounding by itself (it is below half of any quantum).
      int floor = Math.min(out.minExponent() - out.mantissaBits(), Math.min(lsb[0], lsb[1])) - 2;
      return ExactSum.round(new boolean[] {nx, ny, stickyNegative}, new long[] {magnitude[0],
          magnitude[1], 1}, new int[] {lsb[0], lsb[1], floor}, 0, 3, normaliser, keptBits,
          rounding, null);
    }
    if (magnitude[0] == 0 && magnitude[1] == 0) {
      return nx && ny ? out.signMask() : 0; // -0 + -0 = -0; otherwise +0 (IEEE, nearest)
    }
    return ExactSum.round(negative, magnitude, lsb, 0, 2, normaliser, keptBits, rounding, null);
  }

  /**
   * A block-scaled dot product (OCP MX, NVFP4; Blackwell {@code tcgen05.mma ... .block_scale}):
   * D = sum_i a[i]*sa[i/B] * b[i]*sb[i/B] + C (docs/hardware-facts.md, Block scaling; cuTile
   * {@code mma_scaled}), with one
   * scale code of {@code scaleFormat} (E8M0 or UE4M3) per {@code blockSize} elements of each
   * operand, entering the datapath where {@link BlockFmaParams#scalePlacement()} says.
   */
  public int dotScaled(int[] aCodes, int[] aScales, int[] bCodes, int[] bScales,
      FpFormat scaleFormat, int blockSize, int k, int cCode) {
    if (scaleFormat != FpFormat.E8M0 && scaleFormat != FpFormat.UE4M3) {
      throw new IllegalArgumentException("block scales are e8m0 or ue4m3, not " + scaleFormat);
    }
    if (blockSize < 1) {
      throw new IllegalArgumentException("blockSize must be positive: " + blockSize);
    }
    int blocks = (k + blockSize - 1) / blockSize;
    if (aCodes.length < k || bCodes.length < k) {
      throw new IllegalArgumentException("operands shorter than k=" + k);
    }
    if (aScales.length < blocks || bScales.length < blocks) {
      throw new IllegalArgumentException("k=" + k + " in blocks of " + blockSize + " needs "
          + blocks + " scales per operand, got " + aScales.length + " and " + bScales.length);
    }
    if (params.stepOrder() != StepOrder.SEQUENTIAL) {
      throw new IllegalArgumentException("block-scaled dot products take steps in k order");
    }
    int step = params.productsPerStep();
    boolean cLast = params.accumulatorJoin() == AccumulatorJoin.AFTER_ALL_STEPS;
    int acc = cLast ? 0 : cCode;
    for (int s = 0, index = 0; s < k; s += step, index++) {
      int end = Math.min(k, s + step);
      if (params.scalePlacement() == ScalePlacement.PRODUCT) {
        Terms t = terms.get().reset();
        for (int i = s; i < end; i++) {
          if (i - s == halfStep()) {
            t.beginSecondHalf();
          }
          scaledProduct(t, aCodes[i], bCodes[i], scaleFormat, aScales[i / blockSize],
              bScales[i / blockSize]);
        }
        acc = finishStep(t, acc, index, null);
      } else {
        for (int from = s; from < end; ) {
          int block = from / blockSize;
          int to = Math.min(end, (block + 1) * blockSize);
          Terms t = terms.get().reset();
          for (int i = from; i < to; i++) {
            t.product(a, aCodes[i], b, bCodes[i], 1, 0, 0);
          }
          int blockResult = finishStep(t, 0, index, null);
          int sa = aScales[block];
          int sb = bScales[block];
          if (scaleFormat.isNaN(sa) || scaleFormat.isNaN(sb)) {
            acc = canonicalNaN;
          } else {
            acc = addRounded(acc, blockResult, scaleSignificand(scaleFormat, sa)
                * scaleSignificand(scaleFormat, sb), scaleFormat.scaleExponent(sa)
                + scaleFormat.scaleExponent(sb));
          }
          from = to;
        }
      }
    }
    return cLast ? addRounded(acc, cCode) : acc;
  }

  /** The first k of a step's second half (see {@link AccumulatorJoin#AFTER_TRUNCATED_HALVES}). */
  private int halfStep() {
    return (params.productsPerStep() + 1) / 2;
  }

  private void scaledProduct(Terms t, int ca, int cb, FpFormat scaleFormat, int sa, int sb) {
    if (scaleFormat.isNaN(sa) || scaleFormat.isNaN(sb)) {
      t.nan = true;
      return;
    }
    long sig = scaleSignificand(scaleFormat, sa) * scaleSignificand(scaleFormat, sb);
    int lsb = scaleFormat.scaleExponent(sa) + scaleFormat.scaleExponent(sb);
    t.product(a, ca, b, cb, sig, lsb, lsb + 2 * scaleFormat.mantissaBits());
  }

  private static long scaleSignificand(FpFormat f, int code) {
    return f.classify(code) == FpClass.ZERO ? 0 : f.significand(code);
  }

  /** One step: up to {@code productsPerStep} products and the accumulator, rounded once. */
  public int step(int[] aCodes, int aOff, int aStride, int[] bCodes, int bOff, int bStride, int n,
      int cCode, int index, List<StepTrace> trace) {
    if (n > params.productsPerStep()) {
      throw new IllegalArgumentException(
          n + " products exceed the step size " + params.productsPerStep());
    }
    Terms t = terms.get().reset();
    int half = halfStep();
    for (int i = 0, ia = aOff, ib = bOff; i < n; i++, ia += aStride, ib += bStride) {
      if (i == half) {
        t.beginSecondHalf();
      }
      t.product(a, aCodes[ia], b, bCodes[ib], 1, 0, 0);
    }
    return finishStep(t, cCode, index, trace);
  }

  /**
   * The products of one step as terms (sign, integer magnitude, exponents of the last and of the
   * leading bit position), with what the specials among them imply. One buffer per thread, so the
   * datapath stays thread-safe and allocates nothing per step.
   */
  private static final class Terms extends RoundingReport {
    final boolean[] negative;
    final long[] magnitude;
    final int[] lsb;
    int count;
    boolean nan;
    boolean posInf;
    boolean negInf;
    int productMax;
    /** How many terms the first half of the step gave (-1 until the second half begins). */
    int half;

    Terms(int capacity) {
      negative = new boolean[capacity];
      magnitude = new long[capacity];
      lsb = new int[capacity];
    }

    Terms reset() {
      count = 0;
      nan = false;
      posInf = false;
      negInf = false;
      productMax = Integer.MIN_VALUE;
      half = -1;
      return this;
    }

    /** The products added from now on belong to the step's second half. */
    void beginSecondHalf() {
      half = count;
    }

    /**
     * Adds a[ca]*b[cb] scaled by scaleSig * 2^scaleLsb, whose leading bit position moves by
     * scaleLeadShift (the scales' lead exponents): a block scale applied to the product itself.
     */
    void product(OperandTable a, int ca, OperandTable b, int cb, long scaleSig, int scaleLsb,
        int scaleLeadShift) {
      byte ka = a.kind(ca);
      byte kb = b.kind(cb);
      if (ka == OperandTable.FINITE && kb == OperandTable.FINITE) {
        if (scaleSig == 0) {
          return; // a zero scale makes a zero product
        }
        if (count == negative.length) {
          grow();
        }
        negative[count] = a.negative(ca) != b.negative(cb);
        magnitude[count] = (long) a.significand(ca) * b.significand(cb) * scaleSig;
        lsb[count] = a.lsbExponent(ca) + b.lsbExponent(cb) + scaleLsb;
        productMax = Math.max(productMax, a.leadExponent(ca) + b.leadExponent(cb) + scaleLeadShift);
        count++;
      } else if (ka == OperandTable.NAN || kb == OperandTable.NAN) {
        nan = true;
      } else if (ka == OperandTable.INFINITE || kb == OperandTable.INFINITE) {
        if (ka == OperandTable.ZERO || kb == OperandTable.ZERO) {
          nan = true;
        } else if (a.negative(ca) != b.negative(cb)) {
          negInf = true;
        } else {
          posInf = true;
        }
      }
    }

    private void grow() {
      throw new IllegalStateException("more products than the step holds");
    }
  }

  private final ThreadLocal<Terms> terms;

  /** Aligns, sums, normalises and rounds a step's terms with the accumulator {@code cCode}. */
  private int finishStep(Terms t, int cCode, int index, List<StepTrace> trace) {
    // ---- special values (NaN in -> NaN; Inf*0 -> NaN; +Inf with -Inf -> NaN):
    // docs/hardware-facts.md, Special values.
    boolean nan = t.nan;
    boolean posInf = t.posInf;
    boolean negInf = t.negInf;
    FpClass cClass = out.classify(cCode);
    boolean cNegative = out.isNegative(cCode);
    switch (cClass) {
      case NAN -> nan = true;
      case INFINITE -> {
        if (cNegative) {
          negInf = true;
        } else {
          posInf = true;
        }
      }
      default -> { }
    }
    if (nan || (posInf && negInf)) {
      return record(trace, index, 0, 0, 0, false, false, canonicalNaN);
    }
    if (posInf || negInf) {
      return record(trace, index, 0, 0, 0, false, false,
          (negInf ? out.signMask() : 0) | out.infinityCode());
    }
    boolean anyProduct = t.count > 0;
    boolean cFinite = cClass == FpClass.NORMAL
        || (cClass == FpClass.SUBNORMAL && params.inputSubnormals() == SubnormalMode.KEEP);
    if (!anyProduct && !cFinite) {
      // Every term is zero: the sum is +0, as the published model returns.
      return record(trace, index, 0, 0, 0, false, false, 0);
    }
    if (params.accumulatorJoin().addsToTruncatedSum()) {
      return truncatedSumStep(t, cFinite ? cCode : cNegative ? out.signMask() : 0, index, trace);
    }
    int cLsb = cFinite ? out.scaleExponent(cCode) : 0;
    long cSig = cFinite ? out.significand(cCode) : 0;
    int cLead = cLsb + out.mantissaBits();

    boolean exact = params.alignment() == AlignmentMode.EXACT
        || (params.accumulatorJoin() == AccumulatorJoin.AFTER_PRODUCTS && cFinite);
    if (exact) {
      return exactStep(t, cFinite, cNegative, cSig, cLsb, index, trace);
    }

    // ---- alignment to the largest exponent, in a fixed-point adder (docs/hardware-facts.md, The
    // block FMA model).
    int largest = t.productMax;
    if (cFinite) {
      largest = Math.max(largest, cLead);
    }
    largest = Math.max(largest, params.alignmentExponentFloor());
    int quantum = largest - params.alignmentBits();
    AlignmentMode mode = params.alignment();
    int extra = mode == AlignmentMode.TRUNCATE_STICKY ? 1 : 0;
    long sum = 0;
    boolean lost = false;
    for (int i = 0; i < t.count; i++) {
      long magnitude = t.magnitude[i];
      int shift = quantum - t.lsb[i];
      long aligned = mode.align(magnitude, shift);
      lost |= shift > 0 && (shift >= 63 || (magnitude & ((1L << shift) - 1)) != 0);
      sum += t.negative[i] ? -aligned : aligned;
    }
    if (cFinite) {
      int shift = quantum - cLsb;
      long aligned = mode.align(cSig, shift);
      lost |= shift > 0 && (shift >= 63 || (cSig & ((1L << shift) - 1)) != 0);
      sum += cNegative ? -aligned : aligned;
    }
    int result = normalise(sum < 0, Math.abs(sum), quantum - extra, false);
    return record(trace, index, largest, quantum, sum, lost, false, result);
  }

  /**
   * A step of the B200 kind ({@link AccumulatorJoin#addsToTruncatedSum}): the products, aligned
   * among themselves, summed exactly and truncated to a value P of the output format; then
   * D = P + C with one IEEE rounding at the output's full precision. {@code cCode} is C, a signed
   * zero when C is zero or a flushed subnormal.
   */
  private int truncatedSumStep(Terms t, int cCode, int index, List<StepTrace> trace) {
    int largest = alignProductsAmongThemselves(t);
    int kept = params.normalisedMantissaBits();
    int n = t.count;
    int p;
    if (params.accumulatorJoin() == AccumulatorJoin.AFTER_TRUNCATED_HALVES) {
      int split = t.half < 0 ? n : t.half;
      int first = ExactSum.round(t.negative, t.magnitude, t.lsb, 0, split, normaliser, kept,
          Rounding.RZ, null);
      int second = ExactSum.round(t.negative, t.magnitude, t.lsb, split, n, normaliser, kept,
          Rounding.RZ, null);
      p = addRounded(first, second, 1, 0, kept, Rounding.RZ, false, false);
    } else {
      p = ExactSum.round(t.negative, t.magnitude, t.lsb, 0, n, normaliser, kept, Rounding.RZ, t);
    }
    boolean sticky = params.accumulatorJoin() == AccumulatorJoin.AFTER_TRUNCATED_SUM_STICKY
        && t.inexact;
    int result = addRounded(p, cCode, 1, 0, out.mantissaBits(), params.resultRounding(), sticky,
        t.sumNegative);
    return record(trace, index, largest, 0, 0, false, true, result);
  }

  /**
   * For the datapaths where C joins after the products: the products aligned to their own largest
   * exponent (nothing to do for EXACT alignment), in place. Returns that exponent.
   */
  private int alignProductsAmongThemselves(Terms t) {
    int n = t.count;
    if (n == 0 || params.alignment() == AlignmentMode.EXACT) {
      return t.productMax;
    }
    int largest = Math.max(t.productMax, params.alignmentExponentFloor());
    int productQuantum = largest - params.alignmentBits();
    int lsb = productQuantum - (params.alignment() == AlignmentMode.TRUNCATE_STICKY ? 1 : 0);
    for (int i = 0; i < n; i++) {
      t.magnitude[i] = params.alignment().align(t.magnitude[i], productQuantum - t.lsb[i]);
      t.lsb[i] = lsb;
    }
    return largest;
  }

  /**
   * A step summed without loss (EXACT alignment, or C added after the products). Works in the
   * thread's term buffer, which has room for the accumulator after the products.
   */
  private int exactStep(Terms t, boolean cFinite, boolean cNegative, long cSig, int cLsb,
      int index, List<StepTrace> trace) {
    // Products are aligned among themselves first (C joins after them).
    int largest = alignProductsAmongThemselves(t);
    int count = t.count;
    if (cFinite) {
      t.negative[count] = cNegative;
      t.magnitude[count] = cSig;
      t.lsb[count] = cLsb;
      count++;
    }
    int result = ExactSum.round(t.negative, t.magnitude, t.lsb, 0, count, normaliser,
        params.normalisedMantissaBits(), params.resultRounding(), null);
    return record(trace, index, largest, 0, 0, false, true, result);
  }

  /**
   * Normalises ±magnitude * 2^exponent (plus sticky bits below it) and rounds it once to
   * {@code normalisedMantissaBits} with {@code resultRounding} in the output's exponent range.
   */
  private int normalise(boolean negative, long magnitude, int exponent, boolean sticky) {
    return normaliser.round(negative, magnitude, exponent, sticky,
        params.normalisedMantissaBits(), params.resultRounding(), null);
  }

  private static int record(List<StepTrace> trace, int index, int largest, int quantum, long sum,
      boolean lost, boolean exactPath, int result) {
    if (trace != null) {
      trace.add(new StepTrace(index, largest, quantum, sum, lost, exactPath, result));
    }
    return result;
  }
}

package org.tcsim.core.datapath;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.format.RoundingDecision;

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
  private final int canonicalNaN;

  public BlockFmaDatapath(FpFormat aFormat, FpFormat bFormat, BlockFmaParams params) {
    this.params = Objects.requireNonNull(params, "params");
    this.a = tableFor(aFormat, params.inputSubnormals());
    this.b = aFormat == bFormat ? a : tableFor(bFormat, params.inputSubnormals());
    this.out = params.outputFormat();
    // NVIDIA arithmetic writes the canonical NaN with every mantissa bit set (0x7FFFFFFF for FP32,
    // PTX ISA "Floating-point Instructions": canonical NaN).
    this.canonicalNaN = out.maxFiniteCode() | out.infinityCode();
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
    int acc = cCode;
    int step = params.productsPerStep();
    for (int s = 0, index = 0; s < k; s += step, index++) {
      int n = Math.min(step, k - s);
      acc = step(aCodes, aOff + s * aStride, aStride, bCodes, bOff + s * bStride, bStride, n, acc,
          index, trace);
    }
    return acc;
  }

  /** One step: up to {@code productsPerStep} products and the accumulator, rounded once. */
  public int step(int[] aCodes, int aOff, int aStride, int[] bCodes, int bOff, int bStride, int n,
      int cCode, int index, List<StepTrace> trace) {
    if (n > params.productsPerStep()) {
      throw new IllegalArgumentException(
          n + " products exceed the step size " + params.productsPerStep());
    }
    // ---- special values (NaN in -> NaN; Inf*0 -> NaN; +Inf with -Inf -> NaN): FACTS.md §3.
    boolean nan = false;
    boolean posInf = false;
    boolean negInf = false;
    boolean anyProduct = false;
    int productMax = Integer.MIN_VALUE;
    for (int i = 0, ia = aOff, ib = bOff; i < n; i++, ia += aStride, ib += bStride) {
      int ca = aCodes[ia];
      int cb = bCodes[ib];
      byte ka = a.kind(ca);
      byte kb = b.kind(cb);
      if (ka == OperandTable.FINITE && kb == OperandTable.FINITE) {
        anyProduct = true;
        productMax = Math.max(productMax, a.leadExponent(ca) + b.leadExponent(cb));
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
    boolean cFinite = cClass == FpClass.NORMAL
        || (cClass == FpClass.SUBNORMAL && params.inputSubnormals() == SubnormalMode.KEEP);
    if (!anyProduct && !cFinite) {
      // Every term is zero: the sum is +0, as the published model returns.
      return record(trace, index, 0, 0, 0, false, false, 0);
    }
    int cLsb = cFinite ? out.scaleExponent(cCode) : 0;
    long cSig = cFinite ? out.significand(cCode) : 0;
    int cLead = cLsb + out.mantissaBits();

    boolean exact = params.alignment() == AlignmentMode.EXACT
        || (params.accumulatorJoin() == AccumulatorJoin.AFTER_PRODUCTS && cFinite);
    if (exact) {
      return exactStep(aCodes, aOff, aStride, bCodes, bOff, bStride, n, cFinite, cNegative, cSig,
          cLsb, cLead, productMax, anyProduct, index, trace);
    }

    // ---- alignment to the largest exponent, in a fixed-point adder (FACTS.md §3).
    int largest = productMax;
    if (cFinite) {
      largest = Math.max(largest, cLead);
    }
    largest = Math.max(largest, params.alignmentExponentFloor());
    int quantum = largest - params.alignmentBits();
    AlignmentMode mode = params.alignment();
    int extra = mode == AlignmentMode.TRUNCATE_STICKY ? 1 : 0;
    long sum = 0;
    boolean lost = false;
    for (int i = 0, ia = aOff, ib = bOff; i < n; i++, ia += aStride, ib += bStride) {
      int ca = aCodes[ia];
      int cb = bCodes[ib];
      if (a.kind(ca) != OperandTable.FINITE || b.kind(cb) != OperandTable.FINITE) {
        continue;
      }
      long magnitude = (long) a.significand(ca) * b.significand(cb);
      int shift = quantum - (a.lsbExponent(ca) + b.lsbExponent(cb));
      long aligned = align(magnitude, shift, mode);
      lost |= shift > 0 && (shift >= 63 || (magnitude & ((1L << shift) - 1)) != 0);
      sum += a.negative(ca) != b.negative(cb) ? -aligned : aligned;
    }
    if (cFinite) {
      int shift = quantum - cLsb;
      long aligned = align(cSig, shift, mode);
      lost |= shift > 0 && (shift >= 63 || (cSig & ((1L << shift) - 1)) != 0);
      sum += cNegative ? -aligned : aligned;
    }
    int result = normalise(sum < 0, Math.abs(sum), quantum - extra, false);
    return record(trace, index, largest, quantum, sum, lost, false, result);
  }

  /** Shifts one term's magnitude onto the adder's grid, losing bits as the alignment mode says. */
  private static long align(long magnitude, int shift, AlignmentMode mode) {
    return switch (mode) {
      case TRUNCATE -> shift <= 0 ? magnitude << -shift : shift >= 63 ? 0 : magnitude >>> shift;
      case ROUND_NEAREST_EVEN ->
          RoundingDecision.shiftRight(magnitude, shift, false, Rounding.RNE, false);
      case TRUNCATE_STICKY -> {
        if (shift <= 0) {
          yield magnitude << (1 - shift);
        }
        long kept = shift >= 63 ? 0 : magnitude >>> shift;
        boolean dropped = shift >= 63 ? magnitude != 0 : (magnitude & ((1L << shift) - 1)) != 0;
        yield (kept << 1) | (dropped ? 1 : 0);
      }
      case EXACT -> throw new AssertionError("exact steps do not align");
    };
  }

  /** A step summed without loss (EXACT alignment, or C added after the products). */
  private int exactStep(int[] aCodes, int aOff, int aStride, int[] bCodes, int bOff, int bStride,
      int n, boolean cFinite, boolean cNegative, long cSig, int cLsb, int cLead, int productMax,
      boolean anyProduct, int index, List<StepTrace> trace) {
    boolean productsExact = params.alignment() == AlignmentMode.EXACT;
    int quantum = Integer.MAX_VALUE;
    int largest = productMax;
    // Products first, on their own grid when they are aligned before C joins.
    int productQuantum = 0;
    if (anyProduct && !productsExact) {
      largest = Math.max(productMax, params.alignmentExponentFloor());
      productQuantum = largest - params.alignmentBits();
    }
    // Find the lowest bit weight among the exact terms.
    int minLsb = Integer.MAX_VALUE;
    int maxLead = Integer.MIN_VALUE;
    if (anyProduct) {
      if (productsExact) {
        for (int i = 0, ia = aOff, ib = bOff; i < n; i++, ia += aStride, ib += bStride) {
          int ca = aCodes[ia];
          int cb = bCodes[ib];
          if (a.kind(ca) == OperandTable.FINITE && b.kind(cb) == OperandTable.FINITE) {
            minLsb = Math.min(minLsb, a.lsbExponent(ca) + b.lsbExponent(cb));
          }
        }
      } else {
        minLsb = productQuantum;
      }
      maxLead = productMax + 2;
    }
    if (cFinite) {
      minLsb = Math.min(minLsb, cLsb);
      maxLead = Math.max(maxLead, cLead + 1);
    }
    int guard = 64 - Long.numberOfLeadingZeros(n + 1L);
    boolean fitsLong = maxLead - minLsb + guard < 62;
    long sum = 0;
    BigInteger wide = BigInteger.ZERO;
    for (int i = 0, ia = aOff, ib = bOff; i < n; i++, ia += aStride, ib += bStride) {
      int ca = aCodes[ia];
      int cb = bCodes[ib];
      if (a.kind(ca) != OperandTable.FINITE || b.kind(cb) != OperandTable.FINITE) {
        continue;
      }
      long magnitude = (long) a.significand(ca) * b.significand(cb);
      int lsb = a.lsbExponent(ca) + b.lsbExponent(cb);
      if (!productsExact) {
        magnitude = align(magnitude, productQuantum - lsb, params.alignment());
        lsb = productQuantum - (params.alignment() == AlignmentMode.TRUNCATE_STICKY ? 1 : 0);
      }
      boolean negative = a.negative(ca) != b.negative(cb);
      if (fitsLong) {
        long term = magnitude << (lsb - minLsb);
        sum += negative ? -term : term;
      } else {
        BigInteger term = BigInteger.valueOf(magnitude).shiftLeft(lsb - minLsb);
        wide = negative ? wide.subtract(term) : wide.add(term);
      }
    }
    if (cFinite) {
      if (fitsLong) {
        long term = cSig << (cLsb - minLsb);
        sum += cNegative ? -term : term;
      } else {
        BigInteger term = BigInteger.valueOf(cSig).shiftLeft(cLsb - minLsb);
        wide = cNegative ? wide.subtract(term) : wide.add(term);
      }
    }
    int result;
    if (fitsLong) {
      result = normalise(sum < 0, Math.abs(sum), minLsb, false);
    } else {
      // Keep the top 62 bits and a sticky bit: far more than the result needs, so one rounding.
      BigInteger magnitude = wide.abs();
      int drop = Math.max(0, magnitude.bitLength() - 62);
      boolean sticky = drop > 0 && magnitude.getLowestSetBit() < drop;
      result = normalise(wide.signum() < 0, magnitude.shiftRight(drop).longValueExact(),
          minLsb + drop, sticky);
    }
    return record(trace, index, Math.max(maxLead - 1, largest), minLsb, fitsLong ? sum : 0, false,
        true, result);
  }

  /**
   * Normalises ±magnitude * 2^exponent (plus sticky bits below it) and rounds it once to
   * {@code normalisedMantissaBits} in the output's exponent range.
   */
  private int normalise(boolean negative, long magnitude, int exponent, boolean sticky) {
    if (magnitude == 0 && !sticky) {
      return 0; // an exact zero sum is +0 (published model)
    }
    int minExponent = out.minExponent();
    int lead = exponent + 63 - Long.numberOfLeadingZeros(magnitude);
    if (params.outputSubnormals() == SubnormalMode.FLUSH_TO_ZERO && lead < minExponent) {
      return negative ? out.signMask() : 0;
    }
    int quantum = Math.max(lead, minExponent) - params.normalisedMantissaBits();
    int shift = quantum - exponent;
    long kept;
    int keptExponent;
    if (shift > 0) {
      kept = RoundingDecision.shiftRight(magnitude, shift, sticky, params.resultRounding(), negative);
      keptExponent = quantum;
    } else {
      kept = magnitude;
      keptExponent = exponent;
    }
    // The kept value is exactly representable in the output format unless it overflows.
    Rounding overflowRule = params.overflowToInfinity() ? Rounding.RNE : params.resultRounding();
    int code = out.encodeScaled(negative, kept, keptExponent, false, overflowRule, Overflow.IEEE);
    if (params.outputSubnormals() == SubnormalMode.FLUSH_TO_ZERO
        && out.classify(code) == FpClass.SUBNORMAL) {
      return negative ? out.signMask() : 0;
    }
    return code;
  }

  private static int record(List<StepTrace> trace, int index, int largest, int quantum, long sum,
      boolean lost, boolean exactPath, int result) {
    if (trace != null) {
      trace.add(new StepTrace(index, largest, quantum, sum, lost, exactPath, result));
    }
    return result;
  }
}

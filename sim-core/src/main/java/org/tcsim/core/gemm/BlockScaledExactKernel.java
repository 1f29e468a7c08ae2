package org.tcsim.core.gemm;

import java.math.BigInteger;
import org.tcsim.core.datapath.AccumulatorJoin;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.SubnormalMode;
import org.tcsim.core.exact.Dyadic;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * Block-scaled MMA (MXFP8 {@code VEC32_UE8M0}, NVFP4 {@code VEC16_UE4M3}; Blackwell
 * {@code tcgen05.mma.kind::mxf8f6f4 / mxf4nvf4}), where the scales are applied inside the tensor
 * core: each step computes {@code sum a[k]*sa[k/B] * b[k]*sb[k/B] + C} (FACTS.md §2, cuTile
 * {@code mma_scaled}). Where the scale enters a datapath that loses bits on alignment is not public
 * (FACTS.md §2), so this kernel takes only an exact-sum datapath (the B200 preset: the exact sum of
 * a step plus C rounded once); there the place of the scale cannot change the result. Exact
 * arithmetic per step (a long per scale block, {@link Dyadic} to combine): correct, not fast.
 */
final class BlockScaledExactKernel extends TileKernel {
  private final BlockFmaParams params;
  private final FpFormat out;
  private final int step;
  private final int scaleBlock;

  BlockScaledExactKernel(OperandView a, OperandView b, BlockFmaParams params) {
    super(a, b);
    this.params = params;
    this.out = params.outputFormat();
    this.step = params.productsPerStep();
    this.scaleBlock = a.blockAlongK();
  }

  /**
   * Whether the datapath sums a step's products exactly, so block scales can be modelled: either
   * with C, rounded once, or (B200) truncated to the output format and then added to C with one
   * more rounding ({@link AccumulatorJoin#AFTER_TRUNCATED_SUM}).
   */
  static boolean supports(BlockFmaParams p) {
    return p.alignment() == AlignmentMode.EXACT
        && (p.accumulatorJoin() == AccumulatorJoin.WITH_PRODUCTS
            || p.accumulatorJoin() == AccumulatorJoin.AFTER_TRUNCATED_SUM)
        && p.normalisedMantissaBits() == p.outputFormat().mantissaBits()
        && p.inputSubnormals() == SubnormalMode.KEEP
        && p.outputSubnormals() == SubnormalMode.KEEP;
  }

  @Override
  String name() {
    return "block-scaled-exact";
  }

  @Override
  Context newContext(int tileM, int tileN, int blockK) {
    return new Context();
  }

  @Override
  void load(Context ctx, int i0, int i1, int j0, int j1, int k0, int k1) {
    begin(ctx, i0, j0, k0, k1);
  }

  @Override
  int dot(Context ctx, int i, int j, int k0, int k1, int c) {
    int acc = c;
    for (int s = k0; s < k1; s += step) {
      acc = step(i, j, s, Math.min(k1, s + step), acc);
    }
    return acc;
  }

  private int step(int i, int j, int s0, int s1, int c) {
    FpClass cc = out.classify(c);
    if (!cc.isFinite()) {
      return c; // unreachable in a GEMM: the accumulator starts at 0 and inputs are finite
    }
    boolean cAfter = params.accumulatorJoin() == AccumulatorJoin.AFTER_TRUNCATED_SUM;
    Dyadic cValue = cc == FpClass.ZERO ? Dyadic.ZERO : Dyadic.of(out, c);
    Dyadic sum = cAfter ? Dyadic.ZERO : cValue;
    FpFormat fa = a.format;
    FpFormat fb = b.format;
    for (int blockStart = s0; blockStart < s1; blockStart += scaleBlock) {
      int blockEnd = Math.min(s1, blockStart - blockStart % scaleBlock + scaleBlock);
      // Products of one scale block on the grid of the smallest possible product lsb.
      int grid = fa.scaleExponent(1) + fb.scaleExponent(1);
      long p = 0;
      BigInteger wide = null;
      for (int k = blockStart; k < blockEnd; k++) {
        int ca = a.code(i, k);
        int cb = b.code(j, k);
        if (fa.classify(ca) == FpClass.ZERO || fb.classify(cb) == FpClass.ZERO) {
          continue;
        }
        long m = (long) fa.significand(ca) * fb.significand(cb);
        int shift = fa.scaleExponent(ca) + fb.scaleExponent(cb) - grid;
        boolean negative = fa.isNegative(ca) != fb.isNegative(cb);
        if (wide == null && shift < 62 - 64 + Long.numberOfLeadingZeros(m) - 2) {
          long term = m << shift;
          p = negative ? p - term : p + term;
          if (Math.abs(p) > (1L << 61)) {
            wide = BigInteger.valueOf(p);
            p = 0;
          }
        } else {
          if (wide == null) {
            wide = BigInteger.valueOf(p);
            p = 0;
          }
          BigInteger term = BigInteger.valueOf(m).shiftLeft(shift);
          wide = negative ? wide.subtract(term) : wide.add(term);
        }
      }
      Dyadic block = new Dyadic(wide == null ? BigInteger.valueOf(p) : wide, grid);
      Dyadic scale = Dyadic.of(a.scale(i, blockStart)).multiply(Dyadic.of(b.scale(j, blockStart)));
      sum = sum.add(block.multiply(scale));
    }
    if (cAfter) {
      // The products' sum truncated to the output format, then C added with one rounding.
      int p = sum.signum() == 0 ? 0 : sum.roundTo(out, Rounding.RZ, Overflow.IEEE);
      sum = (out.classify(p) == FpClass.ZERO ? Dyadic.ZERO : Dyadic.of(out, p)).add(cValue);
    }
    if (sum.signum() == 0) {
      return 0; // an exact zero sum is +0, as the datapath
    }
    // A GEMM accumulator of finite inputs stays far below FP32's range, so overflow (where the
    // model's overflow-to-infinity rule would matter) does not arise here.
    return sum.roundTo(out, params.resultRounding(), Overflow.IEEE);
  }
}

package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.tcsim.core.datapath.AccumulatorJoin;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * The truncated-sum kernel (the GEMM's fast path for the B200 FP8 preset) is the generic
 * {@link BlockFmaDatapath}, bit for bit. Each try builds a small M x N x K problem (ragged, often
 * spanning several tiles) of random codes of the FP8, FP6 or FP4 formats (zeros, subnormals,
 * extremes, NaN and Inf, whole zero steps), random starting accumulators (zero, -0, subnormal,
 * huge, Inf, NaN) and runs the kernel tile by tile as the engine does; every output must equal
 * {@link BlockFmaDatapath#dot} over the whole K from the same accumulator.
 */
class TruncatedSumKernelEquivalenceTest {

  /** The B200 FP8 preset values (BlackwellTensorCore.FP8_FP32). */
  static final BlockFmaParams B200 = BlockFmaParams.of(32, 25, Rounding.RNE, FpFormat.FP32)
      .toBuilder().alignment(AlignmentMode.EXACT)
      .accumulatorJoin(AccumulatorJoin.AFTER_TRUNCATED_SUM).build();

  static final FpFormat[] FORMATS = {FpFormat.E4M3, FpFormat.E5M2, FpFormat.E4M3, FpFormat.E5M2,
      FpFormat.E2M1, FpFormat.E3M2, FpFormat.E2M3};

  @Property(tries = 300)
  void kernelEqualsDatapath(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int steps) {
    Random r = new Random(seed);
    BlockFmaParams p = B200.withProductsPerStep(new int[] {32, 16, 64}[steps]);
    FpFormat fa = FORMATS[r.nextInt(FORMATS.length)];
    FpFormat fb = r.nextBoolean() ? fa : FORMATS[r.nextInt(FORMATS.length)];
    int m = 1 + r.nextInt(r.nextBoolean() ? 4 : 70);
    int n = 1 + r.nextInt(r.nextInt(8) == 0 ? 1100 : r.nextBoolean() ? 20 : 300);
    int k = 1 + r.nextInt(r.nextBoolean() ? 70 : 300);
    int style = r.nextInt(4);
    byte[] a = codes(fa, m * k, style, r);
    byte[] b = codes(fb, n * k, style, r);
    int[] c = new int[m * n];
    for (int x = 0; x < c.length; x++) {
      c[x] = r.nextInt(3) == 0 ? FastKernelEquivalenceTest.accumulator(r) : 0;
    }
    BlockFmaDatapath datapath = new BlockFmaDatapath(fa, fb, p);
    assertTrue(TruncatedSumKernel.supports(p, fa, fb), p.describe());
    TruncatedSumKernel kernel = new TruncatedSumKernel(OperandView.ofCodes("A", fa, m, k, a),
        OperandView.ofCodes("B", fb, n, k, b), datapath);
    int[] got = KernelDriver.run(kernel, m, n, k, p.productsPerStep(), c, r);
    int[] want = KernelDriver.expected(datapath, a, b, m, n, k, c);
    for (int x = 0; x < got.length; x++) {
      int at = x;
      assertEquals(Integer.toHexString(want[x]), Integer.toHexString(got[x]),
          () -> fa + "x" + fb + " " + p.describe() + " at (" + at / n + ", " + at % n + ") k="
              + k + " c=" + Integer.toHexString(c[at]));
    }
  }

  /**
   * Codes in one of four styles: any code (NaN and Inf included), finite only, Gaussian, or
   * mostly zero (whole zero steps).
   */
  static byte[] codes(FpFormat f, int count, int style, Random r) {
    byte[] codes = new byte[count];
    for (int x = 0; x < count; x++) {
      codes[x] = (byte) switch (style) {
        case 0 -> anyCode(f, r);
        case 1 -> finite(f, r);
        case 2 -> f.encode(r.nextGaussian() * 4, Rounding.RNE, Overflow.SATFINITE);
        default -> r.nextInt(10) == 0 ? finite(f, r) : (r.nextBoolean() ? f.signMask() : 0);
      };
    }
    return codes;
  }

  /** A code biased toward zeros, subnormals and the extremes. */
  static int anyCode(FpFormat f, Random r) {
    int sign = r.nextBoolean() ? f.signMask() : 0;
    return switch (r.nextInt(6)) {
      case 0 -> sign;
      case 1 -> sign | (1 + r.nextInt((1 << f.mantissaBits()) - 1)); // subnormal
      case 2 -> sign | f.maxFiniteCode();
      default -> (int) r.nextLong(f.codeCount());
    };
  }

  static int finite(FpFormat f, Random r) {
    int code;
    do {
      code = anyCode(f, r);
    } while (!f.classify(code).isFinite());
    return code;
  }

  @Test
  void supportsOnlyWhatItReproduces() {
    assertTrue(TruncatedSumKernel.supports(B200, FpFormat.E4M3, FpFormat.E4M3));
    assertTrue(TruncatedSumKernel.supports(B200, FpFormat.E5M2, FpFormat.E4M3));
    // The variants and the old model go to the generic datapath.
    for (AccumulatorJoin j : AccumulatorJoin.values()) {
      assertEquals(j == AccumulatorJoin.AFTER_TRUNCATED_SUM,
          TruncatedSumKernel.supports(B200.withAccumulatorJoin(j), FpFormat.E4M3, FpFormat.E4M3),
          j.name());
    }
    assertFalse(TruncatedSumKernel.supports(B200.withAlignment(AlignmentMode.TRUNCATE)
        .withAlignmentBits(23), FpFormat.E4M3, FpFormat.E4M3));
    assertFalse(TruncatedSumKernel.supports(B200.withResultRounding(Rounding.RZ), FpFormat.E4M3,
        FpFormat.E4M3));
    assertFalse(TruncatedSumKernel.supports(B200, FpFormat.FP16, FpFormat.FP16));
  }
}

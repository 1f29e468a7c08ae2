package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.StepOrder;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The row-batch FP8 kernel (the GEMM's fast path for the H100 preset) is the generic
 * {@link BlockFmaDatapath}, bit for bit. Each try builds a small M x N x K problem of random codes
 * (zeros, subnormals, extremes, NaN and Inf, whole zero steps), random starting accumulators
 * (zero, -0, 13-bit values, subnormal, huge, Inf, NaN), and runs the kernel tile by tile as the
 * engine does, with K blocks, chunks of whole steps and column sub-ranges; every output must equal
 * {@link BlockFmaDatapath#dot} over the whole K from the same accumulator.
 */
class RowBatchKernelEquivalenceTest {

  private static final FpFormat[] FP8 = {FpFormat.E4M3, FpFormat.E5M2};

  static BlockFmaParams variant(int v) {
    BlockFmaParams h100 = FastKernelEquivalenceTest.H100;
    return switch (v) {
      case 0 -> h100;
      case 1 -> h100.withResultRounding(Rounding.RNE);
      case 2 -> BlockFmaParams.of(32, 13, Rounding.RZ, FpFormat.FP32); // all 23 bits kept
      case 3 -> BlockFmaParams.of(32, 13, Rounding.RNE, FpFormat.FP32);
      case 4 -> h100.withProductsPerStep(16).withAlignmentBits(8);
      case 5 -> h100.withProductsPerStep(64);
      case 6 -> h100.withAlignmentBits(0).withNormalisedMantissaBits(1);
      case 7 -> h100.withAlignmentExponentFloor(-32);
      // The Ada FP8 preset (AdaTensorCore.FP8_FP32): steps of 16, 13 alignment and kept bits.
      case 9 -> BlockFmaParams.of(16, 13, Rounding.RZ, FpFormat.FP32)
          .withNormalisedMantissaBits(13);
      default -> h100.withAlignmentExponentFloor(BlockFmaParams.NO_FLOOR);
    };
  }

  @Property(tries = 400)
  void rowBatchKernelEqualsDatapath(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 9) int variant) {
    Random r = new Random(seed);
    BlockFmaParams p = variant(variant);
    FpFormat fa = FP8[r.nextInt(2)];
    FpFormat fb = FP8[r.nextInt(2)];
    int m = 1 + r.nextInt(r.nextBoolean() ? 4 : 70);
    int n = 1 + r.nextInt(r.nextBoolean() ? 20 : 300);
    int k = 1 + r.nextInt(r.nextBoolean() ? 70 : 400);
    int style = r.nextInt(4);
    byte[] a = codes(fa, m, k, style, r);
    byte[] b = codes(fb, n, k, style, r);
    int[] c = new int[m * n];
    for (int x = 0; x < c.length; x++) {
      c[x] = r.nextInt(3) == 0 ? FastKernelEquivalenceTest.accumulator(r) : 0;
    }
    BlockFmaDatapath datapath = new BlockFmaDatapath(fa, fb, p);
    assertTrue(RowBatchFp8Kernel.supports(p, fa, fb), p.describe());
    RowBatchFp8Kernel kernel = new RowBatchFp8Kernel(OperandView.ofCodes("A", fa, m, k, a),
        OperandView.ofCodes("B", fb, n, k, b), datapath);
    int[] got = KernelDriver.run(kernel, m, n, k, p.productsPerStep(), c, r);
    int[] rowA = new int[k];
    int[] rowB = new int[k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        for (int t = 0; t < k; t++) {
          rowA[t] = a[i * k + t] & 0xFF;
          rowB[t] = b[j * k + t] & 0xFF;
        }
        int expected = datapath.dot(rowA, rowB, k, c[i * n + j]);
        int x = i * n + j;
        assertEquals(Integer.toHexString(expected), Integer.toHexString(got[x]),
            () -> fa + "x" + fb + " " + p.describe() + " at (" + x / n + ", " + x % n
                + ") k=" + k + " c=" + Integer.toHexString(c[x]));
      }
    }
  }

  /** Codes in one of four styles: the biased mix, finite only, Gaussian, or mostly zero. */
  private static byte[] codes(FpFormat f, int outer, int k, int style, Random r) {
    byte[] codes = new byte[outer * k];
    for (int x = 0; x < codes.length; x++) {
      codes[x] = (byte) switch (style) {
        case 0 -> FastKernelEquivalenceTest.code(r, f);
        case 1 -> finite(f, r);
        case 2 -> f.encode(r.nextGaussian() * 4, Rounding.RNE,
            org.tcsim.core.format.Overflow.SATFINITE);
        default -> r.nextInt(10) == 0 ? finite(f, r) : (r.nextBoolean() ? 0x80 : 0);
      };
    }
    return codes;
  }

  private static int finite(FpFormat f, Random r) {
    int code;
    do {
      code = FastKernelEquivalenceTest.code(r, f);
    } while (!f.classify(code).isFinite());
    return code;
  }

  /** H100 hardware samples: the row-batch kernel gives the hardware's bits on every row. */
  @Test
  void rowBatchKernelReproducesH100Samples() throws IOException {
    int rows = 0;
    for (FastKernelEquivalenceTest.Sample s : FastKernelEquivalenceTest.h100Samples()) {
      byte[] a = new byte[s.k()];
      byte[] b = new byte[s.k()];
      for (int t = 0; t < s.k(); t++) {
        a[t] = (byte) s.a()[t];
        b[t] = (byte) s.b()[t];
      }
      BlockFmaDatapath datapath = new BlockFmaDatapath(s.fa(), s.fb(),
          FastKernelEquivalenceTest.H100);
      RowBatchFp8Kernel kernel = new RowBatchFp8Kernel(OperandView.ofCodes("A", s.fa(), 1, s.k(),
          a), OperandView.ofCodes("B", s.fb(), 1, s.k(), b), datapath);
      int[] d = KernelDriver.run(kernel, 1, 1, s.k(), 32, new int[] {s.c()}, new Random(rows));
      assertEquals(Integer.toHexString(s.d()), Integer.toHexString(d[0]), s.line());
      rows++;
    }
    assertEquals(800, rows);
  }

  /** The SIMD finish's leading power of two, for every integer it can meet. */
  @Test
  void powerFloorIsTheLeadingPowerOfTwoOfEveryIntegerBelow2To22() {
    for (int a = 1; a < 1 << 22; a++) {
      float p = ColumnLoops.powerFloor(a);
      if (p != Integer.highestOneBit(a)) {
        assertEquals(Integer.highestOneBit(a), p, "powerFloor(" + a + ")");
      }
    }
  }

  /**
   * The SIMD finish's envelope flags exactly the steps outside it, for every largest product power
   * and result power (each power of two, +0, Inf and NaN) and sums of 0, 1 and more: the flags the
   * exact path relies on, including those FP8 operands with an in-range accumulator never reach
   * (a result of 2^101 or more, or a nonzero one below 2^-126).
   */
  @Test
  void envelopeFlagsExactlyTheStepsOutside() {
    List<Float> powers = new ArrayList<>();
    for (int e = -149; e <= 127; e++) {
      powers.add(Math.scalb(1f, e));
    }
    powers.add(Float.POSITIVE_INFINITY);
    powers.add(Float.NaN);
    List<Float> results = new ArrayList<>(powers);
    results.add(0f);
    float[] sums = {0f, 1f, 7f, (1 << 22) - 1};
    int n = powers.size() * results.size() * sums.length;
    float[] lp = new float[n];
    float[] rp = new float[n];
    float[] m = new float[n];
    int x = 0;
    for (float p : powers) {
      for (float q : results) {
        for (float t : sums) {
          lp[x] = p;
          rp[x] = q;
          m[x++] = t;
        }
      }
    }
    float[] status = new float[n];
    ColumnLoops.envelope(lp, rp, m, status, 0, n);
    for (int i = 0; i < n; i++) {
      boolean outside = !(lp[i] >= 0x1p-40f && lp[i] < 0x1p40f) || !(rp[i] < 0x1p101f)
          || (m[i] >= 1f && !(rp[i] >= 0x1p-126f));
      if (outside == (status[i] < 1f)) {
        assertEquals(outside, !(status[i] < 1f),
            "largest power " + lp[i] + ", result power " + rp[i] + ", |sum| " + m[i] + ": status " + status[i]);
      }
    }
  }

  @Test
  void supportsOnlyWhatItReproduces() {
    BlockFmaParams h100 = FastKernelEquivalenceTest.H100;
    assertTrue(RowBatchFp8Kernel.supports(h100, FpFormat.E4M3, FpFormat.E4M3));
    assertTrue(RowBatchFp8Kernel.supports(h100, FpFormat.E5M2, FpFormat.E4M3));
    // 14 or more alignment bits break the exactness of the float truncation: the older kernel.
    assertFalse(RowBatchFp8Kernel.supports(h100.withAlignmentBits(14), FpFormat.E4M3,
        FpFormat.E4M3));
    assertTrue(TruncatingFp8Kernel.supports(h100.withAlignmentBits(14), FpFormat.E4M3,
        FpFormat.E4M3));
    assertFalse(RowBatchFp8Kernel.supports(h100.withProductsPerStep(128), FpFormat.E4M3,
        FpFormat.E4M3));
    assertFalse(RowBatchFp8Kernel.supports(h100.withResultRounding(Rounding.RU), FpFormat.E4M3,
        FpFormat.E4M3));
    assertFalse(RowBatchFp8Kernel.supports(h100, FpFormat.FP16, FpFormat.FP16));
    // Steps that take k out of order (the FP16 HMMA pairs) go to the generic datapath.
    BlockFmaParams pairs = h100.withStepOrder(StepOrder.PAIRS_BY_K_MOD_4);
    assertFalse(RowBatchFp8Kernel.supports(pairs, FpFormat.E4M3, FpFormat.E4M3));
    assertFalse(TruncatingFp8Kernel.supports(pairs, FpFormat.E4M3, FpFormat.E4M3));
  }
}

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
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.StepOrder;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * The FP16-accumulator kernel (FP8 {@code mma.sync} into FP16 on H100 and B200) is the generic
 * {@link BlockFmaDatapath}, bit for bit: each try builds a small M x N x K problem of random FP8
 * codes (zeros, subnormals, extremes, NaN and Inf, zero steps) and FP16 starting accumulators
 * (zero, -0, subnormal, the largest, Inf, NaN), runs the kernel tile by tile as the engine does
 * with MMA instructions of K 32 (or another K), and compares every output with the datapath's
 * dot product instruction by instruction from the same accumulator.
 */
class HalfAccumulatorKernelEquivalenceTest {

  /** The H100 and B200 FP8-into-FP16 preset values (HopperTensorCore.FP8_FP16). */
  static final BlockFmaParams MMA_SYNC_FP16 = BlockFmaParams.of(16, 25, Rounding.RNE,
      FpFormat.FP16).toBuilder().stepOrder(StepOrder.PAIRS_BY_K_MOD_4)
      .accumulatorJoin(AccumulatorJoin.AFTER_ALL_STEPS).build();

  /** Ada's FP8-into-FP16 preset values (AdaTensorCore.FP8_FP16): C joins the first step. */
  static final BlockFmaParams ADA_FP16 = BlockFmaParams.of(16, 13, Rounding.RNE, FpFormat.FP16);

  private static final FpFormat[] FP8 = {FpFormat.E4M3, FpFormat.E5M2};

  @Property(tries = 400)
  void kernelEqualsDatapathInstructionByInstruction(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 7) int variant) {
    Random r = new Random(seed);
    BlockFmaParams p = switch (variant) {
      case 0, 1 -> MMA_SYNC_FP16;
      case 2 -> MMA_SYNC_FP16.withStepOrder(StepOrder.SEQUENTIAL);
      case 3 -> MMA_SYNC_FP16.withAlignmentBits(13);
      case 4 -> MMA_SYNC_FP16.withProductsPerStep(8);
      case 5 -> ADA_FP16;
      case 6 -> ADA_FP16.withProductsPerStep(32); // HopperTensorCore.WGMMA_FP8_FP16
      default -> ADA_FP16.withAlignmentBits(25); // C joins the first step, exact-sum steps
    };
    int instruction = switch (variant) {
      case 1 -> new int[] {16, 48, 64}[r.nextInt(3)];
      case 6 -> 32 * (1 + r.nextInt(2));
      default -> 32;
    };
    // Variant 0 and half of variant 2 are E4M3 x E4M3, the formats of the bounded steps.
    boolean e4m3 = variant == 0 || (variant == 2 && r.nextBoolean());
    FpFormat fa = e4m3 ? FpFormat.E4M3 : FP8[r.nextInt(2)];
    FpFormat fb = e4m3 ? FpFormat.E4M3 : FP8[r.nextInt(2)];
    int m = 1 + r.nextInt(r.nextBoolean() ? 4 : 70);
    int n = 1 + r.nextInt(r.nextInt(8) == 0 ? 600 : r.nextBoolean() ? 20 : 200);
    int k = 1 + r.nextInt(r.nextBoolean() ? 70 : 300);
    int style = r.nextInt(9);
    int[] roles = roles(k, r);
    int e = 2 + r.nextInt(4);
    int negative = r.nextInt(3);
    byte[] a = style < 6 ? codes(fa, m, k, style, r)
        : style < 8 ? tieCodes(fa, m, k, roles, style == 7, r)
        : pileCodes(fa, m, k, roles, e, negative, r);
    byte[] b = style < 6 ? codes(fb, n, k, style, r)
        : style < 8 ? tieCodes(fb, n, k, roles, false, r)
        : pileCodes(fb, n, k, roles, e, negative, r);
    int[] c = new int[m * n];
    for (int x = 0; x < c.length; x++) {
      c[x] = r.nextInt(style < 6 ? 3 : 2) == 0 ? accumulator(r)
          : style == 5 && r.nextBoolean() ? 0x8000 : 0;
    }
    BlockFmaDatapath datapath = new BlockFmaDatapath(fa, fb, p);
    assertTrue(HalfAccumulatorKernel.supports(p, fa, fb), p.describe());
    TileKernel kernel = new HalfAccumulatorKernel(OperandView.ofCodes("A", fa, m, k, a),
        OperandView.ofCodes("B", fb, n, k, b), datapath).instructions(instruction);
    int[] got = KernelDriver.run(kernel, m, n, k, instruction, c, r);
    int[] want = KernelDriver.expected(datapath, a, b, m, n, k, c, instruction);
    for (int x = 0; x < got.length; x++) {
      int at = x;
      assertEquals(Integer.toHexString(want[x]), Integer.toHexString(got[x]),
          () -> fa + "x" + fb + " " + p.describe() + " instructions of " + instruction + " at ("
              + at / n + ", " + at % n + ") k=" + k + " c=" + Integer.toHexString(c[at]));
    }
  }

  /**
   * Codes in the four styles of the other kernel tests, or: tiny and huge by k mod 4 (the first
   * step of an instruction far below the second, or above it), so that the first step's FP16
   * result is aligned deep into the second step's window; or only subnormals and zeros, so that
   * steps round to zero.
   */
  private static byte[] codes(FpFormat f, int outer, int k, int style, Random r) {
    if (style < 4) {
      return TruncatedSumKernelEquivalenceTest.codes(f, outer * k, style, r);
    }
    byte[] codes = new byte[outer * k];
    for (int o = 0; o < outer; o++) {
      boolean tinyFirst = r.nextBoolean();
      for (int t = 0; t < k; t++) {
        boolean tiny = style == 5 || ((t % 4 < 2) == tinyFirst);
        int sign = r.nextBoolean() ? 0x80 : 0;
        int mantissa = r.nextInt(1 << f.mantissaBits());
        int exponent = tiny ? r.nextInt(2) : (1 << f.exponentBits()) - 3 + r.nextInt(2);
        codes[o * k + t] = (byte) (sign | (exponent << f.mantissaBits()) | mantissa);
      }
    }
    return codes;
  }

  /**
   * Per k, its role in {@link #tieCodes}: 0 zero, 1 big, 2 half, 3 tiny, drawn with odds of their
   * own for k mod 4 in {0, 1} and in {2, 3} (the two steps of an {@code mma.sync} instruction),
   * so that one step may hold only tiny products and the next a big one, or the reverse.
   */
  private static int[] roles(int k, Random r) {
    int[][] odds = new int[2][];
    for (int h = 0; h < 2; h++) {
      odds[h] = new int[] {r.nextInt(2), 2 * r.nextInt(2), 2 * r.nextInt(3)};
    }
    int[] roles = new int[k];
    for (int t = 0; t < k; t++) {
      int[] o = odds[t % 4 < 2 ? 0 : 1];
      int x = r.nextInt(16);
      roles[t] = x < o[0] ? 1 : x < o[0] + o[1] ? 2 : x < o[0] + o[1] + o[2] ? 3 : 0;
    }
    return roles;
  }

  /**
   * Powers of two (times 1 or 1.5 for the big ones) whose products near-tie in FP16: per k a role
   * shared by A and B, a product of 2^14 for a big one, 2^3 (half of FP16's spacing at 2^14) for
   * a half one and 2^-10 .. 2^-18 for a tiny one, each operand row or column shifted down by 0 to 2
   * binades, random signs. A tie broken or not by a tiny product below the step's window, whose
   * largest exponent may be the accumulator's (a big product in an earlier step), tells a kernel
   * that keeps the tiny product from the datapath, which truncates it. With {@code rowShift}
   * false the whole operand takes one shift.
   */
  private static byte[] tieCodes(FpFormat f, int outer, int k, int[] roles, boolean rowShift,
      Random r) {
    byte[] codes = new byte[outer * k];
    int shared = r.nextInt(3);
    for (int o = 0; o < outer; o++) {
      int shift = rowShift ? r.nextInt(3) : shared;
      for (int t = 0; t < k; t++) {
        double v = switch (roles[t]) {
          case 0 -> 0.0;
          case 1 -> Math.scalb(r.nextBoolean() ? 1.0 : 1.5, 7 - shift);
          case 2 -> Math.scalb(1.0, r.nextInt(2) + 1 - shift);
          default -> Math.scalb(1.0, -5 - r.nextInt(3) - shift);
        };
        codes[o * k + t] = (byte) f.encode(r.nextBoolean() ? -v : v);
      }
    }
    return codes;
  }

  /**
   * Large values of one binade 2^e (e from 2 to 5 per try, random significands, negative with
   * odds of 0, 1/4 or 1/2) where roles[k] is 1 or 2, tiny ones (2^-6 to 2^-9) where it is 3, zeros
   * elsewhere: large x large products whose step sums reach up to 2^6 times their largest power,
   * or overflow FP16 and may come back, and tiny x tiny ones; so the accumulator, not a product,
   * sets the next step's window, which drops tiny x tiny products that a window set by the
   * products alone would keep, and the large products' sums often tie in FP16.
   */
  private static byte[] pileCodes(FpFormat f, int outer, int k, int[] roles, int e, int negative,
      Random r) {
    byte[] codes = new byte[outer * k];
    for (int x = 0; x < codes.length; x++) {
      double v = switch (roles[x % k]) {
        case 0 -> 0.0;
        case 1, 2 -> Math.scalb(1 + r.nextInt(8) / 8.0, e);
        default -> Math.scalb(1 + r.nextInt(8) / 8.0, -6 - r.nextInt(4));
      };
      boolean minus = r.nextInt(4) < negative;
      codes[x] = (byte) f.encode(minus ? -v : v, Rounding.RNE, Overflow.SATFINITE);
    }
    return codes;
  }

  /** An FP16 accumulator: zero, -0, subnormal, ordinary, the largest, Inf or NaN. */
  private static int accumulator(Random r) {
    int sign = r.nextBoolean() ? 0x8000 : 0;
    return switch (r.nextInt(7)) {
      case 0 -> sign;
      case 1 -> sign | (1 + r.nextInt(0x3FF));
      case 2 -> sign | 0x7BFF;
      case 3 -> sign | 0x7C00;
      case 4 -> 0x7E00 | r.nextInt(0x100);
      default -> sign | ((1 + r.nextInt(30)) << 10) | r.nextInt(0x400);
    };
  }

  /**
   * A hand-made instruction where the first step's FP16 result is aligned 26 bits below the
   * second step's largest product and ends in ten 1 bits, so its truncation in the window must not
   * round up. E5M2 codes, b = 1 unless stated. First step (k mod 4 in {0, 1}): products 2^-11 ..
   * 2^-21 (a = 2^-11 .. 2^-14, then a = 2^-14 times b = 2^-1 .. 2^-7), exact sum
   * 2^-10 - 2^-21 = (2 - 2^-10) * 2^-11, an FP16 value, s1. Second step: products 2^15 and 16;
   * the largest exponent is 15, the window's last bit 2^-10, so s1 / 2^-10 = 1 - 2^-11 truncates
   * to 0 and the sum is 32768 + 16: a tie at FP16's spacing of 32 there, which RNE keeps at 32768
   * (0x7800). Rounding s1's share up to one unit would give 32800.
   */
  @Test
  void theAccumulatorIsTruncatedInTheWindowLikeAProduct() {
    FpFormat e5m2 = FpFormat.E5M2;
    int one = e5m2.encode(1.0);
    int[] a = new int[32];
    int[] b = new int[32];
    java.util.Arrays.fill(b, one);
    int[] lo = {0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20};
    for (int t = 0; t < 4; t++) {
      a[lo[t]] = e5m2.encode(Math.scalb(1.0, -11 - t));
    }
    for (int t = 4; t < 11; t++) {
      a[lo[t]] = e5m2.encode(0x1p-14);
      b[lo[t]] = e5m2.encode(Math.scalb(1.0, 3 - t));
    }
    a[2] = e5m2.encode(32768.0);
    a[3] = e5m2.encode(16.0);
    BlockFmaDatapath datapath = new BlockFmaDatapath(e5m2, e5m2, MMA_SYNC_FP16);
    assertEquals(0x7800, datapath.dot(a, b, 32, 0));
    byte[] pa = new byte[32];
    byte[] pb = new byte[32];
    for (int t = 0; t < 32; t++) {
      pa[t] = (byte) a[t];
      pb[t] = (byte) b[t];
    }
    TileKernel kernel = new HalfAccumulatorKernel(OperandView.ofCodes("A", e5m2, 1, 32, pa),
        OperandView.ofCodes("B", e5m2, 1, 32, pb), datapath).instructions(32);
    assertEquals(0x7800, KernelDriver.run(kernel, 1, 1, 32, 32, new int[] {0}, new Random(1))[0]);
  }

  @Test
  void fp16CodesOfEveryFiniteValue() {
    for (int code = 0; code < 0x10000; code++) {
      if (FpFormat.FP16.classify(code).isFinite()) {
        assertEquals(code, HalfAccumulatorKernel.code(FpFormat.FP16.decode(code)),
            FpFormat.FP16.hex(code));
      }
    }
  }

  /** v / lowBit(v) is an odd integer: the lowest set bit, for every finite nonzero FP16 value. */
  @Test
  void lowestSetBitOfEveryFp16Value() {
    for (int code = 0; code < 0x10000; code++) {
      double got = HalfAccumulatorKernel.lowBit16(code);
      switch (FpFormat.FP16.classify(code)) {
        case ZERO -> assertTrue(got >= 0x1p40, FpFormat.FP16.hex(code));
        case NAN, INFINITE -> assertTrue(Double.isNaN(got), FpFormat.FP16.hex(code));
        case NORMAL, SUBNORMAL -> {
          double q = Math.abs(FpFormat.FP16.decode(code)) / got;
          assertTrue(q == Math.rint(q) && q % 2 == 1, FpFormat.FP16.hex(code) + " " + got);
          assertEquals(got, TruncatedSumKernel.lowestSetBit(FpFormat.FP16.decode(code)));
        }
      }
    }
  }

  /**
   * The B bounds by magnitude code: the ulp of a larger code is never smaller, and never above
   * any larger value's lowest set bit; the power (the datapath's alignment power) never smaller.
   */
  @Test
  void magnitudeCodesOrderUlpsAndPowers() {
    for (FpFormat f : FP8) {
      double[] ulps = HalfAccumulatorKernel.ulps(f);
      double[] powers = HalfAccumulatorKernel.powers(f);
      assertTrue(ulps[0xFF] >= 0x1p40);
      for (int m = 1; m < 0x80 && f.classify(m).isFinite(); m++) {
        double ulp = ulps[m - 1];
        for (int larger = m; larger < 0x80 && f.classify(larger).isFinite(); larger++) {
          double v = f.decode(larger);
          double q = v / ulp;
          assertTrue(q == Math.rint(q), f + " " + f.hex(m) + " " + f.hex(larger));
          assertTrue(powers[larger] >= powers[m], f + " " + f.hex(m) + " " + f.hex(larger));
        }
      }
      int top = 0x7F;
      assertTrue(Double.isNaN(powers[top]) && Double.isNaN(ulps[top - 1]), f.toString());
    }
  }

  @Test
  void supportsOnlyWhatItReproduces() {
    assertTrue(HalfAccumulatorKernel.supports(MMA_SYNC_FP16, FpFormat.E4M3, FpFormat.E5M2));
    assertTrue(HalfAccumulatorKernel.supports(ADA_FP16, FpFormat.E4M3, FpFormat.E4M3));
    assertFalse(HalfAccumulatorKernel.supports(MMA_SYNC_FP16.withAccumulatorJoin(
        AccumulatorJoin.AFTER_PRODUCTS), FpFormat.E4M3, FpFormat.E4M3));
    assertFalse(HalfAccumulatorKernel.supports(MMA_SYNC_FP16.withAlignmentBits(26),
        FpFormat.E4M3, FpFormat.E4M3));
    assertFalse(HalfAccumulatorKernel.supports(MMA_SYNC_FP16.withResultRounding(Rounding.RZ),
        FpFormat.E4M3, FpFormat.E4M3));
    assertFalse(HalfAccumulatorKernel.supports(MMA_SYNC_FP16, FpFormat.FP16, FpFormat.FP16));
  }
}

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
import org.tcsim.core.quant.ScaleMode;

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
    assertTrue(TruncatedSumKernel.supports(p, fa, fb), p.describe());
    assertKernelEqualsDatapath(p, fa, fb, a, b, m, n, k, r, p.describe());
  }

  /**
   * Runs the kernel on A (m x k codes of fa) and B (n x k of fb) from random starting
   * accumulators, tile by tile as the engine does, and checks every output against
   * {@link BlockFmaDatapath#dot} over the whole K; {@code what} names the case in a failure.
   */
  static void assertKernelEqualsDatapath(BlockFmaParams p, FpFormat fa, FpFormat fb, byte[] a,
      byte[] b, int m, int n, int k, Random r, String what) {
    int[] c = new int[m * n];
    for (int x = 0; x < c.length; x++) {
      c[x] = r.nextInt(3) == 0 ? FastKernelEquivalenceTest.accumulator(r) : 0;
    }
    BlockFmaDatapath datapath = new BlockFmaDatapath(fa, fb, p);
    TruncatedSumKernel kernel = new TruncatedSumKernel(OperandView.ofCodes("A", fa, m, k, a),
        OperandView.ofCodes("B", fb, n, k, b), datapath);
    int[] got = KernelDriver.run(kernel, m, n, k, p.productsPerStep(), c, r);
    int[] want = KernelDriver.expected(datapath, a, b, m, n, k, c);
    for (int x = 0; x < got.length; x++) {
      int at = x;
      assertEquals(Integer.toHexString(want[x]), Integer.toHexString(got[x]),
          () -> fa + "x" + fb + " " + what + " at (" + at / n + ", " + at % n + ") k=" + k
              + " c=" + Integer.toHexString(c[at]));
    }
  }

  /**
   * With block scales inside the MMA (MXFP8 and MXFP4: E8M0 per 32, or a what-if block; NVFP4:
   * UE4M3 per 16): every output equals {@link BlockFmaDatapath#dotScaled} over the whole K.
   * Scales reach E8M0's ends (2^-127, 2^127) and its NaN, and UE4M3's zero, subnormals, largest
   * value and NaN, so that P leaves FP32's range both ways and those columns are redone.
   */
  @Property(tries = 300)
  void blockScaledKernelEqualsDatapath(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 5) int kind) {
    Random r = new Random(seed);
    FpFormat scale = kind < 3 ? FpFormat.E8M0 : FpFormat.UE4M3;
    int block = switch (kind) {
      case 0 -> 32;
      case 1 -> new int[] {8, 16, 64}[r.nextInt(3)];
      case 2 -> 32;
      default -> 16;
    };
    int step = r.nextBoolean() ? 32 : 64;
    BlockFmaParams p = B200.withProductsPerStep(step);
    FpFormat fa = kind == 5 ? FpFormat.E4M3 : scale == FpFormat.UE4M3 || kind == 2 ? FpFormat.E2M1
        : FORMATS[r.nextInt(FORMATS.length)];
    FpFormat fb = kind == 2 || kind >= 3 ? fa : r.nextBoolean() ? fa
        : FORMATS[r.nextInt(FORMATS.length)];
    if (!TruncatedSumKernel.supportsScaled(p, fa, fb, scale, block)) {
      return; // the generic block-scaled kernel takes it (supportsScaledCoversThePresets)
    }
    int m = 1 + r.nextInt(r.nextBoolean() ? 4 : 40);
    int n = 1 + r.nextInt(r.nextInt(8) == 0 ? 1100 : r.nextBoolean() ? 20 : 200);
    int k = block * (1 + r.nextInt(r.nextBoolean() ? 3 : 12));
    int style = r.nextInt(4);
    byte[] a = codes(fa, m * k, style, r);
    byte[] b = codes(fb, n * k, style, r);
    int grid = k / block;
    int[] sa = scales(scale, m * grid, r);
    int[] sb = scales(scale, n * grid, r);
    int[] c = new int[m * n];
    for (int x = 0; x < c.length; x++) {
      c[x] = r.nextInt(3) == 0 ? FastKernelEquivalenceTest.accumulator(r) : 0;
    }
    ScaleMode mode = scale == FpFormat.E8M0 ? ScaleMode.VEC32_UE8M0 : ScaleMode.VEC16_UE4M3;
    BlockFmaDatapath datapath = new BlockFmaDatapath(fa, fb, p);
    TruncatedSumKernel kernel = new TruncatedSumKernel(
        OperandView.ofScaledCodes("A", fa, m, k, a, mode, block, sa),
        OperandView.ofScaledCodes("B", fb, n, k, b, mode, block, sb), datapath, scale, block);
    int[] got = KernelDriver.run(kernel, m, n, k, step, c, r);
    int[] rowA = new int[k];
    int[] rowB = new int[k];
    for (int i = 0; i < m; i++) {
      for (int t = 0; t < k; t++) {
        rowA[t] = a[i * k + t] & 0xFF;
      }
      int[] scalesA = java.util.Arrays.copyOfRange(sa, i * grid, (i + 1) * grid);
      for (int j = 0; j < n; j++) {
        for (int t = 0; t < k; t++) {
          rowB[t] = b[j * k + t] & 0xFF;
        }
        int[] scalesB = java.util.Arrays.copyOfRange(sb, j * grid, (j + 1) * grid);
        int x = i * n + j;
        int want = datapath.dotScaled(rowA, scalesA, rowB, scalesB, scale, block, k, c[x]);
        assertEquals(Integer.toHexString(want), Integer.toHexString(got[x]),
            () -> fa + "x" + fb + " " + scale + "/" + block + " step " + step + " at (" + x / n
                + ", " + x % n + ") k=" + k + " c=" + Integer.toHexString(c[x]));
      }
    }
  }

  /** Scale codes: mostly moderate, sometimes the format's ends, zero or NaN. */
  private static int[] scales(FpFormat f, int count, Random r) {
    int[] s = new int[count];
    for (int x = 0; x < count; x++) {
      s[x] = switch (r.nextInt(12)) {
        case 0 -> f == FpFormat.E8M0 ? 0 : 0; // 2^-127; UE4M3 zero
        case 1 -> f == FpFormat.E8M0 ? 254 : 0x7E; // the largest
        case 2 -> f == FpFormat.E8M0 ? 0xFF : 0x7F; // NaN
        case 3 -> f == FpFormat.E8M0 ? r.nextInt(255) : 1 + r.nextInt(7); // anywhere; subnormal
        default -> f == FpFormat.E8M0 ? 110 + r.nextInt(35) : 0x20 + r.nextInt(0x40);
      };
    }
    return s;
  }

  @Test
  void supportsScaledCoversThePresets() {
    // MXFP8 (E8M0 per 32, steps of 32), MXFP4 (E2M1, E8M0 per 32, steps of 64), NVFP4 (E2M1,
    // UE4M3 per 16, steps of 32 or 64), E5M2 with E8M0: all on the fast kernel.
    assertTrue(TruncatedSumKernel.supportsScaled(B200, FpFormat.E4M3, FpFormat.E4M3,
        FpFormat.E8M0, 32));
    assertTrue(TruncatedSumKernel.supportsScaled(B200, FpFormat.E5M2, FpFormat.E4M3,
        FpFormat.E8M0, 32));
    assertTrue(TruncatedSumKernel.supportsScaled(B200.withProductsPerStep(64), FpFormat.E2M1,
        FpFormat.E2M1, FpFormat.E8M0, 32));
    assertTrue(TruncatedSumKernel.supportsScaled(B200.withProductsPerStep(64), FpFormat.E2M1,
        FpFormat.E2M1, FpFormat.UE4M3, 16));
    assertTrue(TruncatedSumKernel.supportsScaled(B200, FpFormat.E2M1, FpFormat.E2M1,
        FpFormat.UE4M3, 16));
    // Four E8M0 blocks in one step cannot be joined in two doubles; UE4M3 scales on E5M2 sums
    // are not exact; the other placement and the variants go to the generic kernel.
    assertFalse(TruncatedSumKernel.supportsScaled(B200, FpFormat.E4M3, FpFormat.E4M3,
        FpFormat.E8M0, 8));
    assertFalse(TruncatedSumKernel.supportsScaled(B200, FpFormat.E5M2, FpFormat.E5M2,
        FpFormat.UE4M3, 16));
    assertFalse(TruncatedSumKernel.supportsScaled(B200.withScalePlacement(
        org.tcsim.core.datapath.ScalePlacement.BLOCK_RESULT), FpFormat.E4M3, FpFormat.E4M3,
        FpFormat.E8M0, 32));
    assertFalse(TruncatedSumKernel.supportsScaled(GemmReferenceTest.ONE_ROUNDING, FpFormat.E4M3,
        FpFormat.E4M3, FpFormat.E8M0, 32));
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

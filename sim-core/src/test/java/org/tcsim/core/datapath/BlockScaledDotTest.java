package org.tcsim.core.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.tcsim.core.exact.Dyadic;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/** Block-scaled dot products (MX, NVFP4) against exact arithmetic and hand-derived cases. */
class BlockScaledDotTest {

  private static final BlockFmaParams EXACT_RNE = BlockFmaParams.of(32, 25, Rounding.RNE,
      FpFormat.FP32).withAlignment(AlignmentMode.EXACT);

  @Property(tries = 800)
  void withExactAlignmentTheScaledDotIsTheCorrectlyRoundedExactValue(
      @ForAll @IntRange(min = 1, max = 96) int k, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 4) int kind) {
    FpFormat element = switch (kind) {
      case 0 -> FpFormat.E4M3;
      case 1 -> FpFormat.E5M2;
      case 2 -> FpFormat.E2M1;
      case 3 -> FpFormat.E3M2;
      default -> FpFormat.E2M3;
    };
    FpFormat scaleFormat = kind == 2 && seed % 2 == 0 ? FpFormat.UE4M3 : FpFormat.E8M0;
    int block = scaleFormat == FpFormat.UE4M3 ? 16 : 32;
    SplittableRandom r = new SplittableRandom(seed);
    int[] a = new int[k];
    int[] b = new int[k];
    for (int i = 0; i < k; i++) {
      a[i] = finite(element, r);
      b[i] = finite(element, r);
    }
    int blocks = (k + block - 1) / block;
    int[] sa = new int[blocks];
    int[] sb = new int[blocks];
    for (int i = 0; i < blocks; i++) {
      // E8M0 scales within 2^-20..2^20; UE4M3 any finite non-NaN code.
      sa[i] = scaleFormat == FpFormat.E8M0 ? 107 + r.nextInt(41) : r.nextInt(0x7F);
      sb[i] = scaleFormat == FpFormat.E8M0 ? 107 + r.nextInt(41) : r.nextInt(0x7F);
    }
    int c = Float.floatToRawIntBits((float) (r.nextGaussian() * 4));
    BlockFmaDatapath dp = new BlockFmaDatapath(element, element, EXACT_RNE.withProductsPerStep(128));
    int got = dp.dotScaled(a, sa, b, sb, scaleFormat, block, k, c);
    Dyadic sum = Dyadic.of(FpFormat.FP32, c);
    for (int i = 0; i < k; i++) {
      sum = sum.add(Dyadic.of(element, a[i]).multiply(Dyadic.of(scaleFormat, sa[i / block]))
          .multiply(Dyadic.of(element, b[i])).multiply(Dyadic.of(scaleFormat, sb[i / block])));
    }
    int want = sum.roundTo(FpFormat.FP32, Rounding.RNE, Overflow.IEEE);
    if (sum.signum() == 0) {
      assertEquals(0, got & 0x7FFFFFFF);
    } else {
      assertEquals(Integer.toHexString(want), Integer.toHexString(got));
    }
  }

  private static int finite(FpFormat f, SplittableRandom r) {
    while (true) {
      int code = r.nextInt((int) f.codeCount());
      if (f.classify(code).isFinite()) {
        return code;
      }
    }
  }

  @Test
  void whereTheScaleEntersMattersOnATruncatingDatapath() {
    // Two blocks of 16 in one 32-product step, 13 alignment bits, truncation, RZ into FP32.
    BlockFmaParams truncating = BlockFmaParams.of(32, 13, Rounding.RZ, FpFormat.FP32);
    int[] a = new int[32];
    int[] b = new int[32];
    a[0] = 0x38;  // block 0: 1.0 * 1.0, scaled by 2^10 * 2^0
    b[0] = 0x38;
    a[16] = 0x01; // block 1: 2^-9 * 1.0, scaled by 1
    b[16] = 0x38;
    int[] sa = {127 + 10, 127};
    int[] sb = {127, 127};
    // PRODUCT: the step's largest exponent is 10, the window ends at 2^-3, 2^-9 is lost: 1024.
    int product = new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E4M3, truncating)
        .dotScaled(a, sa, b, sb, FpFormat.E8M0, 16, 32, 0);
    assertEquals(Float.floatToRawIntBits(1024f), product);
    // BLOCK_RESULT: each block is reduced on its own (1.0 and 2^-9 exactly), scaled, and added
    // with one rounding: 1024 + 2^-9 fits FP32.
    int blockResult = new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E4M3,
        truncating.withScalePlacement(ScalePlacement.BLOCK_RESULT))
        .dotScaled(a, sa, b, sb, FpFormat.E8M0, 16, 32, 0);
    assertEquals(Float.floatToRawIntBits(1024f + 0x1p-9f), blockResult);
  }

  @Test
  void nanAndZeroScales() {
    BlockFmaDatapath dp = new BlockFmaDatapath(FpFormat.E2M1, FpFormat.E2M1,
        EXACT_RNE.withProductsPerStep(64));
    int[] ones = new int[16];
    java.util.Arrays.fill(ones, 0x2); // E2M1 1.0
    // UE4M3 0x7F is NaN; 0x00 is zero; 0x38 is 1.0.
    assertEquals(0x7FFFFFFF, dp.dotScaled(ones, new int[] {0x7F}, ones, new int[] {0x38},
        FpFormat.UE4M3, 16, 16, 0));
    assertEquals(Float.floatToRawIntBits(3f), dp.dotScaled(ones, new int[] {0x00}, ones,
        new int[] {0x38}, FpFormat.UE4M3, 16, 16, Float.floatToRawIntBits(3f)));
    // E8M0 0xFF is NaN.
    assertEquals(0x7FFFFFFF, dp.dotScaled(ones, new int[] {0xFF}, ones, new int[] {127},
        FpFormat.E8M0, 16, 16, 0));
    // 16 * (1 * 2^1) * (1 * 2^-3) = 4.
    assertEquals(Float.floatToRawIntBits(4f), dp.dotScaled(ones, new int[] {128}, ones,
        new int[] {124}, FpFormat.E8M0, 16, 16, 0));
  }

  @Test
  void badScaleArgumentsAreRefused() {
    BlockFmaDatapath dp = new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E4M3, EXACT_RNE);
    int[] x = new int[64];
    assertThrows(IllegalArgumentException.class,
        () -> dp.dotScaled(x, new int[1], x, new int[2], FpFormat.E8M0, 32, 64, 0));
    assertThrows(IllegalArgumentException.class,
        () -> dp.dotScaled(x, new int[2], x, new int[2], FpFormat.E4M3, 32, 64, 0));
    assertThrows(IllegalArgumentException.class,
        () -> dp.dotScaled(x, new int[2], x, new int[2], FpFormat.E8M0, 0, 64, 0));
  }
}

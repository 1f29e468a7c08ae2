package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;

/**
 * The truncated-sum kernel's one-double sum for rows of split formats (E4M3 x E5M2) whose codes
 * span little ({@link TruncatedSumKernel#narrow}): the bound at its edge, and the kernel equal to
 * the generic {@link BlockFmaDatapath} bit for bit on operands built to sit right at the bound,
 * one power of two either side, and with a NaN or an infinity among them.
 */
class TruncatedSumNarrowSpanTest {

  @Test
  void boundAtItsEdge() {
    // 32 products of E4M3's largest (448 = 7 x 2^6) and E5M2's largest (57344 = 7 x 2^13):
    // 32 x 448 x 57344 = 49 x 2^24 = 822083584. 2^53 x 2^-23 = 2^30 = 1073741824 holds it,
    // 2^53 x 2^-24 = 2^29 = 536870912 does not.
    assertTrue(TruncatedSumKernel.narrow(32, 448, 57344, 0x1p-9, 0x1p-14));
    assertFalse(TruncatedSumKernel.narrow(32, 448, 57344, 0x1p-9, 0x1p-15));
    assertFalse(TruncatedSumKernel.narrow(64, 448, 57344, 0x1p-9, 0x1p-14));
    // NaN or infinite codes fail (their lowest bit is NaN, their magnitude NaN or infinite).
    assertFalse(TruncatedSumKernel.narrow(32, Double.NaN, 1, 1, 1));
    assertFalse(TruncatedSumKernel.narrow(32, 1, Double.POSITIVE_INFINITY, 1, Double.NaN));
    assertFalse(TruncatedSumKernel.narrow(32, 0, Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY, Double.NaN));
    // A row of zeros against finite codes: every product is zero.
    assertTrue(TruncatedSumKernel.narrow(32, 0, 57344, Double.POSITIVE_INFINITY, 0x1p-16));
  }

  /**
   * One step that one double cannot hold, just past the bound: 31 products of the largest codes,
   * 448 x 57344 = 49 x 2^19 each, L = 1519 x 2^19 = 796393472 in [2^29, 2^30), and one product
   * -2^-9 x 2^-15 = -2^-24. The exact sum L - 2^-24 truncates to L's 24-bit neighbour below,
   * L - 2^(29 - 23) = 796393408; in one double L - 2^-24 is a tie between L and L - 2^-23 and
   * rounds to L (even), whose truncation is L. So the kernel must take the split sum here. At the
   * bound (-2^-9 x 2^-14 = -2^-23, exact in one double) the truncation is the same.
   */
  @Test
  void stepJustPastTheBoundTruncates() {
    for (int lowB : new int[] {0x02, 0x04}) { // E5M2 2^-15, 2^-14
      byte[] a = new byte[32];
      byte[] b = new byte[32];
      java.util.Arrays.fill(a, (byte) 0x7E); // E4M3 448
      java.util.Arrays.fill(b, (byte) 0x7B); // E5M2 57344
      a[31] = (byte) 0x81; // E4M3 -2^-9
      b[31] = (byte) lowB;
      BlockFmaParams p = TruncatedSumKernelEquivalenceTest.B200;
      BlockFmaDatapath datapath = new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E5M2, p);
      TruncatedSumKernel kernel = new TruncatedSumKernel(
          OperandView.ofCodes("A", FpFormat.E4M3, 1, 32, a),
          OperandView.ofCodes("B", FpFormat.E5M2, 1, 32, b), datapath);
      int[] got = KernelDriver.run(kernel, 1, 1, 32, 32, new int[1], new Random(1));
      assertEquals(796393408f, Float.intBitsToFloat(got[0]), "B's low code " + lowB);
    }
  }

  @Test
  void lowestSetBits() {
    assertEquals(0x1p6, TruncatedSumKernel.lowestSetBit(448)); // 1.11b x 2^8
    assertEquals(0x1p-16, TruncatedSumKernel.lowestSetBit(-0x1p-16)); // E5M2's least subnormal
    assertEquals(0x1p-9, TruncatedSumKernel.lowestSetBit(0x1.8p-8)); // 3 x 2^-9
    assertEquals(Double.MIN_VALUE, TruncatedSumKernel.lowestSetBit(3 * Double.MIN_VALUE));
    assertEquals(Double.POSITIVE_INFINITY, TruncatedSumKernel.lowestSetBit(-0.0));
    assertTrue(Double.isNaN(TruncatedSumKernel.lowestSetBit(Double.NEGATIVE_INFINITY)));
    assertTrue(Double.isNaN(TruncatedSumKernel.lowestSetBit(Double.NaN)));
  }

  /**
   * Operands whose span sits at the bound: every row of A holds its format's largest code and
   * codes whose lowest set bit is 2^la, B likewise with 2^lb, the other codes in between, with
   * la + lb from -25 to -22: the bound holds from -23 on ({@link #boundAtItsEdge}). Long runs of
   * the largest codes with the smallest among them make sums that need every bit of a double.
   */
  @Property(tries = 200)
  void kernelEqualsDatapathAtTheBound(@ForAll long seed) {
    Random r = new Random(seed);
    boolean swap = r.nextBoolean();
    FpFormat fa = swap ? FpFormat.E5M2 : FpFormat.E4M3;
    FpFormat fb = swap ? FpFormat.E4M3 : FpFormat.E5M2;
    int e4;
    int e5;
    do { // la + lb from -25 to -22; E4M3's lowest bits start at 2^-9, E5M2's at 2^-16
      e5 = -16 + r.nextInt(3);
      e4 = -25 + r.nextInt(4) - e5;
    } while (e4 < -9);
    int la = swap ? e5 : e4;
    int lb = swap ? e4 : e5;
    int m = 1 + r.nextInt(r.nextBoolean() ? 4 : 70);
    int n = 1 + r.nextInt(r.nextInt(8) == 0 ? 1100 : 300);
    int k = 1 + r.nextInt(r.nextBoolean() ? 70 : 300);
    byte[] a = spanCodes(fa, la, m, k, r);
    byte[] b = spanCodes(fb, lb, n, k, r);
    if (r.nextInt(4) == 0) {
      byte[] into = r.nextBoolean() ? a : b;
      FpFormat f = into == a ? fa : fb;
      into[r.nextInt(into.length)] = (byte) nonFinite(f, r);
    }
    TruncatedSumKernelEquivalenceTest.assertKernelEqualsDatapath(
        TruncatedSumKernelEquivalenceTest.B200, fa, fb, a, b, m, n, k, r,
        "2^" + la + " x 2^" + lb);
  }

  /**
   * Rows of {@code k} codes of f: a third the largest finite code, a third codes whose lowest
   * set bit is 2^low, the rest zeros or codes whose lowest set bit is above 2^low; random signs.
   */
  private static byte[] spanCodes(FpFormat f, int low, int rows, int k, Random r) {
    List<Integer> edge = new ArrayList<>();
    List<Integer> above = new ArrayList<>();
    for (int code = 0; code < f.codeCount(); code++) {
      double v = f.decode(code);
      if (!Double.isFinite(v) || v <= 0) {
        continue;
      }
      int bit = Math.getExponent(TruncatedSumKernel.lowestSetBit(v));
      if (bit == low) {
        edge.add(code);
      } else if (bit > low) {
        above.add(code);
      }
    }
    byte[] codes = new byte[rows * k];
    for (int x = 0; x < codes.length; x++) {
      int code = switch (r.nextInt(6)) {
        case 0, 1 -> f.maxFiniteCode();
        case 2, 3 -> edge.get(r.nextInt(edge.size()));
        case 4 -> 0;
        default -> above.get(r.nextInt(above.size()));
      };
      codes[x] = (byte) (code | (r.nextBoolean() ? f.signMask() : 0));
    }
    return codes;
  }

  /** A NaN or infinite code of f. */
  private static int nonFinite(FpFormat f, Random r) {
    int code;
    do {
      code = (int) r.nextLong(f.codeCount());
    } while (Double.isFinite(f.decode(code)));
    return code;
  }
}

package org.tcsim.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The model's up-front count of block steps, and its refusal of problems that would run for hours. */
class GemmTimingLimitsTest {

  private static final KernelConfig TILE = new KernelConfig(128, 128, 128, 4, 1, 1, 2);

  /** The count against exact BigInteger arithmetic: ceil-divided factors, saturating, never wrapping. */
  @Property(tries = 200)
  void blockStepsIsTheExactProductOrSaturates(@ForAll @LongRange(min = 1, max = 1L << 50) long m,
      @ForAll @LongRange(min = 1, max = 1L << 50) long n,
      @ForAll @LongRange(min = 1, max = 1L << 50) long k,
      @ForAll @LongRange(min = 1, max = 1 << 10) long g) {
    GemmProblem p = new GemmProblem(m, n, k, (int) g, 2, ScalingRecipe.parse("blockwise"));
    BigInteger b128 = BigInteger.valueOf(128);
    BigInteger exact = BigInteger.valueOf(g)
        .multiply(ceil(BigInteger.valueOf(m), b128))
        .multiply(ceil(BigInteger.valueOf(n), b128))
        .multiply(ceil(BigInteger.valueOf(k), b128));
    long expected = exact.bitLength() < 64 ? exact.longValueExact() : Long.MAX_VALUE;
    assertEquals(expected, GemmTimingModel.blockSteps(p, TILE));
  }

  private static BigInteger ceil(BigInteger a, BigInteger b) {
    return a.add(b).subtract(BigInteger.ONE).divide(b);
  }

  @Property(tries = 20)
  void aProblemOverTheLimitIsRefusedBeforeAnythingIsAllocated(
      @ForAll @LongRange(min = 1L << 22, max = 1L << 45) long m) {
    GemmProblem p = new GemmProblem(m, m, m, 1, 2, ScalingRecipe.parse("blockwise"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GemmTimingModel.predict(FifoServerAndSpecTest.sample(), p, TILE));
    assertTrue(e.getMessage().contains(m + "x" + m + "x" + m)
        && e.getMessage().contains("limit of " + GemmTimingModel.MAX_BLOCK_STEPS), e.getMessage());
  }
}

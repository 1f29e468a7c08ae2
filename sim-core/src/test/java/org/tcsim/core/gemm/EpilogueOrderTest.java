package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcsim.core.gemm.ExactFloat.exact;
import static org.tcsim.core.gemm.ExactFloat.mul;
import static org.tcsim.core.gemm.ExactFloat.round;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.RowwiseScaling;

/**
 * The epilogue orders against an exact re-computation (every product as a BigDecimal, rounded to
 * FP32 by {@link ExactFloat}), alone and through whole row-wise scaled GEMMs, and the size of the
 * difference PyTorch's order makes: the last FP32 bit of about a third of the outputs
 * (docs/hardware-facts.md, torch._scaled_mm).
 */
class EpilogueOrderTest {

  static final BlockFmaParams H100 = FastKernelEquivalenceTest.H100;

  private static void assertBits(float expected, float actual, String what) {
    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
        () -> what + ": expected " + expected + " got " + actual);
  }

  @Test
  void eachOrderIsItsFormulaRoundedStepByStep() {
    Random r = new Random(11);
    for (int t = 0; t < 20_000; t++) {
      float acc = (float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(40) - 20));
      float sa = (float) Math.exp(r.nextGaussian() * 4);
      float sb = (float) Math.exp(r.nextGaussian() * 4);
      float alpha = t % 3 == 0 ? 1f : (float) r.nextGaussian();
      String what = "acc " + acc + " sA " + sa + " sB " + sb + " alpha " + alpha;
      assertBits(mul(mul(mul(alpha, sa), sb), acc),
          EpilogueOrder.SCALES_THEN_ACC.apply(alpha, sa, sb, acc), what);
      assertBits(mul(mul(alpha, sb), mul(sa, acc)),
          EpilogueOrder.ROW_SCALE_FIRST.apply(alpha, sa, sb, acc), what);
      assertBits(mul(mul(alpha, sa), mul(sb, acc)),
          EpilogueOrder.COLUMN_SCALE_FIRST.apply(alpha, sa, sb, acc), what);
    }
  }

  /** With C, the last product and the addition of beta * C are rounded once, exactly. */
  @Test
  void withCTheLastProductAndTheAdditionAreOneRounding() {
    Random r = new Random(12);
    int differFromTwoRoundings = 0;
    for (int t = 0; t < 20_000; t++) {
      float acc = (float) (r.nextGaussian() * 1000);
      float sa = (float) Math.exp(r.nextGaussian());
      float sb = (float) Math.exp(r.nextGaussian());
      float alpha = (float) r.nextGaussian();
      float addend = (float) (r.nextGaussian() * 1000);
      String what = "acc " + acc + " sA " + sa + " sB " + sb + " alpha " + alpha + " + " + addend;
      float s = mul(mul(alpha, sa), sb);
      float fused = EpilogueOrder.SCALES_THEN_ACC.applyFused(alpha, sa, sb, acc, addend);
      assertBits(round(exact(s).multiply(exact(acc)).add(exact(addend))), fused, what);
      assertBits(round(exact(mul(alpha, sb)).multiply(exact(mul(sa, acc))).add(exact(addend))),
          EpilogueOrder.ROW_SCALE_FIRST.applyFused(alpha, sa, sb, acc, addend), what);
      assertBits(round(exact(mul(alpha, sa)).multiply(exact(mul(sb, acc))).add(exact(addend))),
          EpilogueOrder.COLUMN_SCALE_FIRST.applyFused(alpha, sa, sb, acc, addend), what);
      differFromTwoRoundings += fused != mul(s, acc) + addend ? 1 : 0;
    }
    // The fused form is a different rule, not a renaming: it changes the last bit of some results.
    assertTrue(differFromTwoRoundings > 1000, differFromTwoRoundings + " differ");
  }

  /**
   * Row-wise scaled GEMMs of normal data: the accumulator does not depend on scales that are
   * constant along K, so a run with every scale 1 gives it; each order's D is then re-computed
   * exactly from it and the scales. About a third of the FP32 outputs differ in the last bit
   * between cuBLASLt's order and PyTorch's; after rounding to BF16 almost none do.
   */
  @Test
  void torchRowwiseOrderChangesTheLastBitOfAboutAThird() {
    Random r = new Random(2024);
    int m = 64;
    int n = 96;
    int k = 256;
    QuantizedTensor a = new RowwiseScaling(FpFormat.E4M3).quantize(Operands.normal(m, k, r),
        KAxis.ALONG_ROWS);
    QuantizedTensor b = new RowwiseScaling(FpFormat.E4M3).quantize(Operands.normal(n, k, r),
        KAxis.ALONG_ROWS);
    GemmConfig cfg = GemmConfig.hopper().withThreads(2);
    GemmResult acc = Gemm.run(H100, cfg, unitScales(a), unitScales(b));
    GemmResult ours = Gemm.run(H100, cfg, a, b);
    GemmResult torch = Gemm.run(H100, cfg.withEpilogueOrder(EpilogueOrder.ROW_SCALE_FIRST), a, b);
    GemmResult transposed = Gemm.run(H100,
        cfg.withEpilogueOrder(EpilogueOrder.COLUMN_SCALE_FIRST), a, b);
    int differ = 0;
    for (int i = 0; i < m; i++) {
      float sa = (float) a.blockScale(a.blockIndex(i, 0));
      for (int j = 0; j < n; j++) {
        float sb = (float) b.blockScale(b.blockIndex(j, 0));
        float x = acc.fp32(i, j);
        String at = "(" + i + ", " + j + ")";
        assertBits(mul(mul(mul(1f, sa), sb), x), ours.fp32(i, j), at);
        assertBits(mul(sb, mul(sa, x)), torch.fp32(i, j), at);
        assertBits(mul(sa, mul(sb, x)), transposed.fp32(i, j), at);
        if (ours.fp32(i, j) != torch.fp32(i, j)) {
          differ++;
          // Two roundings of half an ulp each on either side: at most two ulps apart.
          int ulps = Math.abs(Float.floatToRawIntBits(ours.fp32(i, j))
              - Float.floatToRawIntBits(torch.fp32(i, j)));
          assertTrue(ulps <= 2, at + " differs by " + ulps + " ulps");
        }
      }
    }
    double fraction = differ / (double) (m * n);
    System.out.printf("FP32 outputs differing between the orders: %d of %d (%.3f)%n", differ,
        m * n, fraction);
    assertTrue(fraction > 0.20 && fraction < 0.45, "fraction differing " + fraction);

    GemmConfig bf16 = cfg.withOutput(FpFormat.BF16, 1f);
    int[] oursBf16 = Gemm.run(H100, bf16, a, b).d().codes();
    int[] torchBf16 = Gemm.run(H100, bf16.withEpilogueOrder(EpilogueOrder.ROW_SCALE_FIRST), a, b)
        .d().codes();
    int differBf16 = 0;
    for (int x = 0; x < oursBf16.length; x++) {
      differBf16 += oursBf16[x] != torchBf16[x] ? 1 : 0;
    }
    System.out.printf("BF16 outputs differing: %d of %d%n", differBf16, m * n);
    assertTrue(differBf16 < m * n / 100, differBf16 + " BF16 outputs differ");
  }

  @Test
  void theDescriptionNamesTheOrder() {
    GemmConfig cfg = GemmConfig.hopper().withEpilogueOrder(EpilogueOrder.ROW_SCALE_FIRST);
    assertTrue(cfg.describe().contains("epilogue fma(alpha*sB, sA*acc, beta*C)"), cfg.describe());
  }

  private static QuantizedTensor unitScales(QuantizedTensor t) {
    float[] ones = new float[t.blockCount()];
    Arrays.fill(ones, 1f);
    return new QuantizedTensor(t.rows(), t.cols(), t.kAxis(), t.mode(), t.elementFormat(),
        t.block(), t.codes(), ones, null, 1f);
  }
}

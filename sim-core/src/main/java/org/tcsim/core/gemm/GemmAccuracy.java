package org.tcsim.core.gemm;

import java.util.Random;
import org.tcsim.core.exact.Dyadic;
import org.tcsim.core.exact.ErrorMetrics;
import org.tcsim.core.exact.ExactResult;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;

/**
 * Compares a GEMM's output with the exact {@code alpha * (deq(A) deq(B)) + beta * C + bias}
 * computed in {@link Dyadic} arithmetic (no rounding anywhere), element by element. A scaled
 * narrow output is compared in its codes' terms: the exact value times scaleD, and for a
 * block-scaled D also times the block's FP32 conversion factor 1/S. The exact sum
 * costs O(K) big-integer operations per element, so large GEMMs are compared on a seeded random
 * sample of elements (the summary says so).
 */
public final class GemmAccuracy {
  private GemmAccuracy() {}

  /**
   * The exact value of D(i, j) before scaleD and the output conversion. K is cut where either
   * operand's scale changes; each piece's sum of code products is an exact integer
   * ({@link CodeDot}), multiplied by the piece's two scales in {@link Dyadic} arithmetic; the
   * per-tensor scales (NVFP4's) multiply the whole. A dequantised element is the product of its
   * code's value and its scales, exact in a double ({@link QuantizedTensor#dequantize}), so the
   * factoring changes nothing.
   */
  public static Dyadic exact(QuantizedTensor a, QuantizedTensor b, CodeMatrix c, GemmConfig cfg,
      int i, int j) {
    int k = a.kAxis().kExtent(a.rows(), a.cols());
    Dyadic sum = Dyadic.ZERO;
    for (int k0 = 0, k1; k0 < k; k0 = k1) {
      k1 = Math.min(k, Math.min(nextBlock(a, k0), nextBlock(b, k0)));
      Dyadic codes = CodeDot.exact(a, i, b, j, k0, k1);
      if (codes.signum() != 0) {
        sum = sum.add(codes.multiply(Dyadic.of(blockScale(a, i, k0)))
            .multiply(Dyadic.of(blockScale(b, j, k0))));
      }
    }
    sum = sum.multiply(Dyadic.of(a.tensorScale())).multiply(Dyadic.of(b.tensorScale()));
    Dyadic d = Dyadic.of(cfg.alpha()).multiply(sum);
    if (cfg.beta() != 0f) {
      d = d.add(Dyadic.of(cfg.beta()).multiply(Dyadic.of(c.value(i, j))));
    }
    float[] bias = cfg.biasView();
    if (bias != null) {
      d = d.add(Dyadic.of(bias[j]));
    }
    return d;
  }

  /**
   * |computed - exact| / |exact| as ErrorMetrics defines it (0 when both are zero, +Inf when only
   * the exact one is), with the exact difference and the exact value each rounded once to a
   * double before dividing: a relative error good to 2^-52 relative, in a fraction of the time
   * of a decimal division, for a summary printed with three digits.
   */
  static double relativeError(FpFormat format, int code, Dyadic exact) {
    Dyadic diff = Dyadic.of(format, code).subtract(exact).abs();
    if (exact.signum() == 0) {
      return diff.signum() == 0 ? 0.0 : Double.POSITIVE_INFINITY;
    }
    return diff.toDouble() / exact.abs().toDouble();
  }

  /** The first k after k0 where the operand's scale block changes. */
  private static int nextBlock(QuantizedTensor t, int k0) {
    int along = t.kAxis() == KAxis.ALONG_ROWS ? t.block().cols() : t.block().rows();
    return (k0 / along + 1) * along;
  }

  /** The block scale of element (outer o, k kk). */
  private static double blockScale(QuantizedTensor t, int o, int kk) {
    return t.kAxis() == KAxis.ALONG_ROWS ? t.blockScale(t.blockIndex(o, kk))
        : t.blockScale(t.blockIndex(kk, o));
  }

  /**
   * Compares all of D when it has at most {@code maxElements} elements, else a random sample of
   * that many (seeded, so reproducible).
   */
  public static AccuracySummary compare(GemmResult r, QuantizedTensor a, QuantizedTensor b,
      CodeMatrix c, int maxElements, long seed) {
    CodeMatrix d = r.d();
    long total = (long) d.rows() * d.cols();
    long count = Math.min(total, maxElements);
    Random random = new Random(seed);
    FpFormat out = d.format();
    boolean fp8 = out.isFp8();
    Dyadic scaleD = Dyadic.of(r.config().scaleD());
    double maxRel = 0;
    double sumRel = 0;
    long relCount = 0;
    long zeroExactNonZero = 0;
    long nonFinite = 0;
    long[] histogram = new long[UlpBins.ERROR_LABELS.size()];
    for (long e = 0; e < count; e++) {
      long index = count == total ? e : (long) (random.nextDouble() * total);
      int i = (int) (index / d.cols());
      int j = (int) (index % d.cols());
      Dyadic exact = exact(a, b, c, r.config(), i, j);
      DBlockScales blocks = r.dScales();
      if (blocks != null) {
        // In the codes' own terms: the exact D times scale_D^in and the block's conversion factor.
        float factor = blocks.conversionFactorAt(i, j);
        if (!Float.isFinite(factor)) {
          nonFinite++;
          continue;
        }
        exact = exact.multiply(scaleD).multiply(Dyadic.of(factor));
      } else if (fp8) {
        exact = exact.multiply(scaleD);
      }
      ExactResult ref = ExactResult.finite(exact);
      int code = d.code(i, j);
      if (!out.classify(code).isFinite()) {
        nonFinite++;
        continue;
      }
      double rel = relativeError(out, code, exact);
      if (Double.isInfinite(rel)) {
        zeroExactNonZero++;
      } else {
        maxRel = Math.max(maxRel, rel);
        sumRel += rel;
        relCount++;
      }
      double ulp = Math.abs(ErrorMetrics.ulpError(out, code, ref));
      histogram[UlpBins.errorBin(ulp)]++;
    }
    return new AccuracySummary(count, total, maxRel, relCount == 0 ? 0 : sumRel / relCount,
        zeroExactNonZero, histogram, r.saturated(), nonFinite);
  }
}

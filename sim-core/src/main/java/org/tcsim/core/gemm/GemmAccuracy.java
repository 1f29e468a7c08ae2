package org.tcsim.core.gemm;

import java.util.Random;
import org.tcsim.core.exact.Dyadic;
import org.tcsim.core.exact.ErrorMetrics;
import org.tcsim.core.exact.ExactResult;
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

  /** The exact value of D(i, j) before scaleD and the output conversion. */
  public static Dyadic exact(QuantizedTensor a, QuantizedTensor b, CodeMatrix c, GemmConfig cfg,
      int i, int j) {
    int k = a.kAxis().kExtent(a.rows(), a.cols());
    Dyadic sum = Dyadic.ZERO;
    for (int kk = 0; kk < k; kk++) {
      double x = a.kAxis() == KAxis.ALONG_ROWS ? a.dequantize(i, kk) : a.dequantize(kk, i);
      if (x == 0) {
        continue;
      }
      double y = b.kAxis() == KAxis.ALONG_ROWS ? b.dequantize(j, kk) : b.dequantize(kk, j);
      sum = sum.add(Dyadic.of(x).multiply(Dyadic.of(y)));
    }
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
    boolean fp8 = GemmConfig.isFp8(out);
    Dyadic scaleD = Dyadic.of(r.config().scaleD());
    double maxRel = 0;
    double sumRel = 0;
    long relCount = 0;
    long zeroExactNonZero = 0;
    long nonFinite = 0;
    long[] histogram = new long[AccuracySummary.ULP_BINS.length];
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
      double rel = ErrorMetrics.relativeError(out, code, ref);
      if (Double.isInfinite(rel)) {
        zeroExactNonZero++;
      } else {
        maxRel = Math.max(maxRel, rel);
        sumRel += rel;
        relCount++;
      }
      double ulp = Math.abs(ErrorMetrics.ulpError(out, code, ref));
      for (int bin = 0; bin < histogram.length; bin++) {
        if (ulp <= AccuracySummary.ULP_BINS[bin]) {
          histogram[bin]++;
          break;
        }
      }
    }
    return new AccuracySummary(count, total, maxRel, relCount == 0 ? 0 : sumRel / relCount,
        zeroExactNonZero, histogram, r.saturated(), nonFinite);
  }
}

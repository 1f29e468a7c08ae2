package org.tcsim.core.gemm;

import java.util.Random;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.BlockShape;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;

/** Building operands for the GEMM tests from codes. */
final class Operands {
  private Operands() {}

  static QuantizedTensor perTensor(FpFormat f, int rows, int cols, KAxis k, byte[] codes,
      float scale) {
    return new QuantizedTensor(rows, cols, k, ScaleMode.SCALAR_32F, f,
        ScaleMode.SCALAR_32F.blockShape(rows, cols, k), codes, new float[] {scale}, null, 1f);
  }

  static QuantizedTensor withScales(FpFormat f, int rows, int cols, KAxis k, ScaleMode mode,
      byte[] codes, float[] scales) {
    BlockShape shape = mode.blockShape(rows, cols, k);
    return new QuantizedTensor(rows, cols, k, mode, f, shape, codes, scales, null, 1f);
  }

  static byte[] filled(int n, int code) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) code);
    return b;
  }

  /** Random finite codes (no NaN / Inf), zeros and subnormals included. */
  static byte[] random(FpFormat f, int n, Random r) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      int code;
      do {
        code = FastKernelEquivalenceTest.code(r, f);
      } while (!f.classify(code).isFinite());
      b[i] = (byte) code;
    }
    return b;
  }

  /** Standard normal FP32 values, rows x cols, for the quantisation recipes. */
  static org.tcsim.core.quant.Matrix normal(int rows, int cols, Random r) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return new org.tcsim.core.quant.Matrix(rows, cols, v);
  }

  /** Random finite codes of moderate magnitude (Gaussian-like values). */
  static byte[] gaussian(FpFormat f, int n, Random r) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) f.encode(r.nextGaussian(), org.tcsim.core.format.Rounding.RNE,
          org.tcsim.core.format.Overflow.SATFINITE);
    }
    return b;
  }
}

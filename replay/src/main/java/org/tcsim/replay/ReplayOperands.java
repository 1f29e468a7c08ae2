package org.tcsim.replay;

import java.util.Objects;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.CodeMatrix;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;

/**
 * The inputs of one GEMM product, ready for the engine, with what its output is compared with.
 * A is M x K and B is N x K, both with K along rows (the storage layout of the trace does not
 * change a single output bit: every element of D is one dot product over K, see
 * {@link org.tcsim.core.gemm.Gemm}).
 *
 * @param a A, M x K
 * @param b B, N x K
 * @param c C (M x N) when beta is not 0, else null
 * @param alpha FP32 alpha
 * @param beta FP32 beta
 * @param out D's format
 * @param scaleD the FP8 output scale (1 for other outputs)
 * @param fastAccum no promotion
 * @param expected the GPU's D (M x N codes of {@code out}, row-major) or null
 * @param goldenId the golden case the expected D comes from, or null
 * @param note what was done to the inputs that the user should know (e.g. FP32 data quantised
 *     to FP8), or empty
 */
public record ReplayOperands(QuantizedTensor a, QuantizedTensor b, CodeMatrix c, float alpha,
    float beta, FpFormat out, float scaleD, boolean fastAccum, int[] expected, String goldenId,
    String note) {

  public ReplayOperands {
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(a, "A");
    Objects.requireNonNull(b, "B");
    if (a.kAxis() != KAxis.ALONG_ROWS || b.kAxis() != KAxis.ALONG_ROWS) {
      throw new IllegalArgumentException("replay operands are held with K along rows");
    }
    if (a.cols() != b.cols()) {
      throw new IllegalArgumentException("A has K=" + a.cols() + ", B has K=" + b.cols());
    }
    if (expected != null && expected.length != (long) a.rows() * b.rows()) {
      throw new IllegalArgumentException("expected D has " + expected.length + " codes, D is "
          + a.rows() + "x" + b.rows());
    }
  }

  public int m() {
    return a.rows();
  }

  public int n() {
    return b.rows();
  }

  public int k() {
    return a.cols();
  }
}

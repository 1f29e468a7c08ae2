package org.tcsim.studies.whatif;

import java.util.Objects;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.gemm.Gemm;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.GemmResult;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.Matrix;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.Recipe;

/**
 * One matrix product D = A B of FP32 matrices as a chosen recipe computes it on the simulated
 * tensor cores: quantise both operands (K padded with zeros to the recipe's block multiple, as
 * DeepGEMM pads), then {@link Gemm#run} bit for bit; or, for the baselines, BF16-rounded operands
 * through the BF16 datapath, or plain FP32 (products summed in double, rounded once).
 *
 * @param recipe the recipe
 * @param fp8Datapath the FP8 datapath (H100's for FP32-scaled recipes; an exact-sum datapath such
 *     as B200's for block scales inside the MMA)
 * @param bf16Datapath the BF16-into-FP32 datapath used by {@link QuantRecipe#BF16}
 * @param config the kernel choices (promotion interval, threads); its output must be FP32
 * @param blockSize a what-if scale block along K for the recipes that take one (0 = the recipe's
 *     own); K is padded to a multiple of it
 */
public record SimulatedMatmul(QuantRecipe recipe, BlockFmaParams fp8Datapath,
    BlockFmaParams bf16Datapath, GemmConfig config, int blockSize) {

  /** With the recipe's own block size. */
  public SimulatedMatmul(QuantRecipe recipe, BlockFmaParams fp8Datapath,
      BlockFmaParams bf16Datapath, GemmConfig config) {
    this(recipe, fp8Datapath, bf16Datapath, config, 0);
  }

  public SimulatedMatmul {
    Objects.requireNonNull(recipe, "recipe");
    Objects.requireNonNull(fp8Datapath, "fp8Datapath");
    Objects.requireNonNull(bf16Datapath, "bf16Datapath");
    Objects.requireNonNull(config, "config");
    if (config.outputFormat() != FpFormat.FP32) {
      throw new IllegalArgumentException("simulated matmuls produce FP32, got "
          + config.outputFormat());
    }
    if (blockSize != 0) {
      recipe.requireBlockSize(blockSize);
    }
  }

  /**
   * The product and the operand values it multiplied.
   *
   * @param d m x n, row-major
   * @param m rows of D
   * @param n columns of D
   * @param k the reduction length after padding
   * @param aValues A's values as the GEMM saw them (dequantised, BF16-rounded or FP32), m x k
   *     row-major with K contiguous
   * @param bValues B's values likewise, n x k
   */
  public record Product(float[] d, int m, int n, int k, double[] aValues, double[] bValues) {}

  /**
   * D = A B, where A holds K along {@code aK} (an M x K or a K x M matrix) and B along {@code bK}
   * (N x K or K x N). {@code qa} and {@code qb} are the quantisers (null for the baselines).
   */
  public Product multiply(Matrix a, KAxis aK, Recipe qa, Matrix b, KAxis bK, Recipe qb) {
    int k = aK.kExtent(a.rows(), a.cols());
    if (k != bK.kExtent(b.rows(), b.cols())) {
      throw new IllegalArgumentException("K of A (" + k + ") and of B ("
          + bK.kExtent(b.rows(), b.cols()) + ") differ");
    }
    int m = aK.outerExtent(a.rows(), a.cols());
    int n = bK.outerExtent(b.rows(), b.cols());
    int multiple = recipe.kMultiple(blockSize);
    int kp = (k + multiple - 1) / multiple * multiple;
    return switch (recipe) {
      case FP32 -> fp32(a, aK, b, bK, m, n, k);
      case BF16 -> bf16(a, aK, b, bK, m, n, k);
      default -> fp8(padK(a, aK, kp), aK, Objects.requireNonNull(qa, "qa"), padK(b, bK, kp), bK,
          Objects.requireNonNull(qb, "qb"), m, n, kp);
    };
  }

  private Product fp8(Matrix a, KAxis aK, Recipe qa, Matrix b, KAxis bK, Recipe qb, int m, int n,
      int k) {
    QuantizedTensor ta = qa.quantize(a, aK);
    QuantizedTensor tb = qb.quantize(b, bK);
    GemmResult r = Gemm.run(fp8Datapath, config, ta, tb);
    return new Product(r.dFp32(), m, n, k, dequantised(ta, aK, m, k), dequantised(tb, bK, n, k));
  }

  private Product bf16(Matrix a, KAxis aK, Matrix b, KAxis bK, int m, int n, int k) {
    int[] ac = bf16Codes(a, aK, m, k);
    int[] bc = bf16Codes(b, bK, n, k);
    BlockFmaDatapath datapath = new BlockFmaDatapath(FpFormat.BF16, FpFormat.BF16, bf16Datapath);
    FpFormat out = bf16Datapath.outputFormat();
    float[] d = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int code = datapath.dot(ac, i * k, 1, bc, j * k, 1, k, 0, null);
        d[i * n + j] = (float) out.decode(code);
      }
    }
    return new Product(d, m, n, k, decode(ac), decode(bc));
  }

  private static Product fp32(Matrix a, KAxis aK, Matrix b, KAxis bK, int m, int n, int k) {
    double[] av = values(a, aK, m, k);
    double[] bv = values(b, bK, n, k);
    float[] d = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int x = 0; x < k; x++) {
          s += av[i * k + x] * bv[j * k + x];
        }
        d[i * n + j] = (float) s;
      }
    }
    return new Product(d, m, n, k, av, bv);
  }

  /** The values of a matrix as outer x K, K contiguous. */
  public static double[] values(Matrix x, KAxis axis, int outer, int k) {
    double[] v = new double[outer * k];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < k; i++) {
        v[o * k + i] = axis == KAxis.ALONG_ROWS ? x.get(o, i) : x.get(i, o);
      }
    }
    return v;
  }

  private static double[] dequantised(QuantizedTensor t, KAxis axis, int outer, int k) {
    double[] v = new double[outer * k];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < k; i++) {
        v[o * k + i] = axis == KAxis.ALONG_ROWS ? t.dequantize(o, i) : t.dequantize(i, o);
      }
    }
    return v;
  }

  private static int[] bf16Codes(Matrix x, KAxis axis, int outer, int k) {
    double[] v = values(x, axis, outer, k);
    int[] codes = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      codes[i] = FpFormat.BF16.encode(v[i], Rounding.RNE, Overflow.IEEE);
    }
    return codes;
  }

  private static double[] decode(int[] bf16) {
    double[] v = new double[bf16.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = FpFormat.BF16.decode(bf16[i]);
    }
    return v;
  }

  /** The matrix with K padded with zeros to {@code kp} (itself when no padding is needed). */
  static Matrix padK(Matrix x, KAxis axis, int kp) {
    int k = axis.kExtent(x.rows(), x.cols());
    if (k == kp) {
      return x;
    }
    int rows = axis == KAxis.ALONG_ROWS ? x.rows() : kp;
    int cols = axis == KAxis.ALONG_ROWS ? kp : x.cols();
    float[] v = new float[rows * cols];
    for (int r = 0; r < x.rows(); r++) {
      for (int c = 0; c < x.cols(); c++) {
        v[r * cols + c] = x.get(r, c);
      }
    }
    return new Matrix(rows, cols, v);
  }
}

package org.tcsim.junit;

import org.tcsim.gpu.GemmRecipe;
import org.tcsim.gpu.GemmWorkload;
import org.tcsim.gpu.Library;
import java.util.Objects;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;

/**
 * The operands and settings of one FP8 GEMM {@code D = alpha * scaleA * scaleB * (A B)} as a
 * kernel author's test holds them: A as M x K codes (row-major, K contiguous) and B as N x K codes
 * (each of B's N columns contiguous along K: cuBLASLt's "TN" FP8 layout), one byte per code.
 *
 * @param a A with K along rows
 * @param b B (N x K) with K along rows
 * @param out D's format
 * @param alpha FP32 alpha
 * @param fastAccumulation the library's fast-accumulation flag (cuBLASLt FAST_ACCUM, torch
 *     {@code use_fast_accum})
 * @param library the library whose kernel is the reference: its promotion, epilogue order and
 *     rules on the GPU come from the GPU catalogue (cuBLASLt unless set)
 */
public record TensorCoreGemm(QuantizedTensor a, QuantizedTensor b, FpFormat out, float alpha,
    boolean fastAccumulation, Library library) {

  public TensorCoreGemm {
    Objects.requireNonNull(a, "A");
    Objects.requireNonNull(b, "B");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(library, "library");
    if (a.kAxis() != KAxis.ALONG_ROWS || b.kAxis() != KAxis.ALONG_ROWS || a.cols() != b.cols()) {
      throw new IllegalArgumentException("A must be M x K and B N x K, K along rows; got " + a
          + " and " + b);
    }
  }

  /** E4M3 x E4M3, scales 1, FP32 output, alpha 1, with promotion. */
  public static TensorCoreGemm e4m3(int m, int n, int k, byte[] aCodes, byte[] bCodes) {
    return of(FpFormat.E4M3, FpFormat.E4M3, m, n, k, aCodes, bCodes);
  }

  /** A and B in the given FP8 formats, scales 1, FP32 output, alpha 1, with promotion. */
  public static TensorCoreGemm of(FpFormat aFormat, FpFormat bFormat, int m, int n, int k,
      byte[] aCodes, byte[] bCodes) {
    return new TensorCoreGemm(tensor(aFormat, m, k, aCodes, 1f, "A"),
        tensor(bFormat, n, k, bCodes, 1f, "B"), FpFormat.FP32, 1f, false, Library.CUBLASLT);
  }

  private static QuantizedTensor tensor(FpFormat f, int rows, int k, byte[] codes, float scale,
      String what) {
    if (codes.length != (long) rows * k) {
      throw new IllegalArgumentException(what + " has " + codes.length + " codes, expected "
          + rows + "x" + k);
    }
    return new QuantizedTensor(rows, k, KAxis.ALONG_ROWS, ScaleMode.SCALAR_32F, f,
        ScaleMode.SCALAR_32F.blockShape(rows, k, KAxis.ALONG_ROWS), codes, new float[] {scale},
        null, 1f);
  }

  /** Per-tensor FP32 decode scales of A and B (cuBLASLt SCALAR_32F scaleA / scaleB). */
  public TensorCoreGemm scales(float scaleA, float scaleB) {
    return new TensorCoreGemm(tensor(a.elementFormat(), a.rows(), a.cols(), a.codes(), scaleA, "A"),
        tensor(b.elementFormat(), b.rows(), b.cols(), b.codes(), scaleB, "B"), out, alpha,
        fastAccumulation, library);
  }

  /**
   * Row-wise FP32 decode scales: one per row of A (M values) and one per row of B's N x K storage
   * (N values), as {@code torch._scaled_mm}'s row-wise {@code scale_a} / {@code scale_b} and
   * cuBLASLt's OUTER_VEC_32F take them.
   */
  public TensorCoreGemm rowwiseScales(float[] scaleA, float[] scaleB) {
    return new TensorCoreGemm(rowwise(a, scaleA, "A"), rowwise(b, scaleB, "B"), out, alpha,
        fastAccumulation, library);
  }

  private static QuantizedTensor rowwise(QuantizedTensor t, float[] scales, String what) {
    if (scales.length != t.rows()) {
      throw new IllegalArgumentException(what + " has " + t.rows() + " rows but " + scales.length
          + " row-wise scales");
    }
    return new QuantizedTensor(t.rows(), t.cols(), KAxis.ALONG_ROWS, ScaleMode.OUTER_VEC_32F,
        t.elementFormat(), ScaleMode.OUTER_VEC_32F.blockShape(t.rows(), t.cols(), KAxis.ALONG_ROWS),
        t.codes(), scales, null, 1f);
  }

  /** D in another format: FP32, BF16 or FP16 (FP8 where the library allows it). */
  public TensorCoreGemm output(FpFormat format) {
    return new TensorCoreGemm(a, b, format, alpha, fastAccumulation, library);
  }

  public TensorCoreGemm alpha(float value) {
    return new TensorCoreGemm(a, b, out, value, fastAccumulation, library);
  }

  /** The library's fast-accumulation flag (what it does on each GPU is in the catalogue). */
  public TensorCoreGemm withFastAccumulation() {
    return new TensorCoreGemm(a, b, out, alpha, true, library);
  }

  /** The library whose kernel is the reference: cublaslt (default), torch, deepgemm, cutlass. */
  public TensorCoreGemm library(Library value) {
    return new TensorCoreGemm(a, b, out, alpha, fastAccumulation, value);
  }

  /** The same by name ({@code "torch"}, {@code "torch._scaled_mm"}, {@code "deepgemm"}, ...). */
  public TensorCoreGemm library(String name) {
    return library(Library.parse(name));
  }

  public int m() {
    return a.rows();
  }

  public int n() {
    return b.rows();
  }

  /** The workload both models see: shape, formats, recipe (from A's scale mode), library. */
  public GemmWorkload workload() {
    return new GemmWorkload(m(), n(), a.cols(), 1, a.elementFormat(), b.elementFormat(),
        GemmRecipe.of(a.mode(), a.elementFormat()), fastAccumulation, library, out);
  }
}

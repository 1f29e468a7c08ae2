package org.tcsim.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.BlockShape;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.gpu.GemmRecipe;
import org.tcsim.gpu.GemmWorkload;
import org.tcsim.gpu.Library;
import org.tcsim.replay.NpyOperand;

/**
 * The operands and settings of one scaled GEMM {@code D = alpha * scaleA * scaleB * (A B)} as a
 * kernel author's test holds them: A as M x K codes (row-major, K contiguous) and B as N x K codes
 * (each of B's N columns contiguous along K: cuBLASLt's "TN" FP8 layout), one byte per code, with
 * per-tensor, row-wise, 1x128/128x128 block, MX (E8M0) or NVFP4 (UE4M3) scales; or all of it read
 * from {@code .npy} files as {@code tcsim check} reads them ({@link #fromNpy}).
 *
 * <p>Scales are decode scales (value = code * scale, as {@code torch._scaled_mm} and cuBLASLt
 * take them), row-major in the orientation of their operand: A's are M x (K / block), B's
 * N x (K / block) here, since B is held N x K.
 *
 * @param a A with K along rows
 * @param b B (N x K) with K along rows
 * @param out D's format
 * @param alpha FP32 alpha (NVFP4: fold the two FP32 tensor scales into it)
 * @param fastAccumulation the library's fast-accumulation flag (cuBLASLt FAST_ACCUM, torch
 *     {@code use_fast_accum})
 * @param library the library whose kernel is the reference: its promotion, epilogue order and
 *     rules on the GPU come from the GPU catalogue and {@code org.tcsim.gpu.LibraryRules}
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
    if (GemmRecipe.of(a.mode(), a.elementFormat()).bMode() != b.mode()) {
      throw new IllegalArgumentException("A is scaled " + a.mode() + " and B " + b.mode()
          + ": no recipe scales them so");
    }
  }

  /** E4M3 x E4M3, scales 1, FP32 output, alpha 1, with promotion, cuBLASLt. */
  public static TensorCoreGemm e4m3(int m, int n, int k, byte[] aCodes, byte[] bCodes) {
    return of(FpFormat.E4M3, FpFormat.E4M3, m, n, k, aCodes, bCodes);
  }

  /** A and B in the given FP8 (or FP6/FP4) formats, scales 1, FP32 output, alpha 1, cuBLASLt. */
  public static TensorCoreGemm of(FpFormat aFormat, FpFormat bFormat, int m, int n, int k,
      byte[] aCodes, byte[] bCodes) {
    return new TensorCoreGemm(tensor(aFormat, m, k, aCodes, ScaleMode.SCALAR_32F,
        new float[] {1f}, null, "A"), tensor(bFormat, n, k, bCodes, ScaleMode.SCALAR_32F,
        new float[] {1f}, null, "B"), FpFormat.FP32, 1f, false, Library.CUBLASLT);
  }

  /**
   * A GEMM read from {@code .npy} files as {@code tcsim check} reads them: A is M x K and B is
   * K x N (as in {@code a @ b}), one byte per element (uint8 codes or ml_dtypes arrays); scales
   * in the shapes of {@code torch._scaled_mm} and cuBLASLt (per-tensor: one value; row-wise:
   * M x 1 and 1 x N; block: M x ceil(K/128) and ceil(K/128) x ceil(N/128); MX: M x ceil(K/32) and
   * ceil(K/32) x N E8M0 codes; NVFP4: per 16, UE4M3 codes).
   *
   * @param aFormat A's element format (NVFP4 and MXFP4 fix E2M1)
   * @param scaling the recipe
   * @param scaleA A's scales, or null for per-tensor scaling with scale 1
   * @param scaleB B's scales, or null likewise
   */
  public static TensorCoreGemm fromNpy(Path aNpy, FpFormat aFormat, Path bNpy, FpFormat bFormat,
      GemmRecipe scaling, Path scaleA, Path scaleB, FpFormat out) {
    FpFormat fa = scaling.elementFormat(aFormat);
    FpFormat fb = scaling.elementFormat(bFormat);
    try {
      QuantizedTensor a = NpyOperand.read(new NpyOperand.Request(NpyOperand.Role.A, aNpy, fa,
          true, mode(scaling, scaling.aMode(), scaleA), scaleA));
      QuantizedTensor b = NpyOperand.read(new NpyOperand.Request(NpyOperand.Role.B_KN, bNpy, fb,
          true, mode(scaling, scaling.bMode(), scaleB), scaleB));
      if (a.cols() != b.cols()) {
        throw new IllegalArgumentException(aNpy + " is M x K with K = " + a.cols() + " but "
            + bNpy + " is K x N with K = " + b.cols());
      }
      return new TensorCoreGemm(a, b, out, 1f, false, Library.CUBLASLT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** E4M3 x E4M3 from {@code .npy}, as {@link #fromNpy(Path, FpFormat, Path, FpFormat, GemmRecipe, Path, Path, FpFormat)}. */
  public static TensorCoreGemm fromNpy(Path aNpy, Path bNpy, GemmRecipe scaling, Path scaleA,
      Path scaleB, FpFormat out) {
    return fromNpy(aNpy, FpFormat.E4M3, bNpy, FpFormat.E4M3, scaling, scaleA, scaleB, out);
  }

  private static ScaleMode mode(GemmRecipe scaling, ScaleMode mode, Path scale) {
    return scaling == GemmRecipe.TENSOR && scale == null ? null : mode;
  }

  private static QuantizedTensor tensor(FpFormat f, int rows, int k, byte[] codes,
      ScaleMode mode, float[] scales, byte[] scaleCodes, String what) {
    if (codes.length != (long) rows * k) {
      throw new IllegalArgumentException(what + " has " + codes.length + " codes, expected "
          + rows + "x" + k);
    }
    BlockShape block = mode.blockShape(rows, k, KAxis.ALONG_ROWS);
    int blocks = block.gridRows(rows) * block.gridCols(k);
    int given = scales != null ? scales.length : scaleCodes.length;
    if (given != blocks) {
      throw new IllegalArgumentException(what + " has " + given + " " + mode + " scales, expected "
          + block.gridRows(rows) + " x " + block.gridCols(k) + " = " + blocks);
    }
    return new QuantizedTensor(rows, k, KAxis.ALONG_ROWS, mode, f, block, codes, scales,
        scaleCodes, 1f);
  }

  private TensorCoreGemm scaled(ScaleMode mode, float[] sa, float[] sb, byte[] ca, byte[] cb) {
    return new TensorCoreGemm(tensor(a.elementFormat(), a.rows(), a.cols(), a.codes(), mode, sa,
        ca, "A"), tensor(b.elementFormat(), b.rows(), b.cols(), b.codes(), mode, sb, cb, "B"), out,
        alpha, fastAccumulation, library);
  }

  /** Per-tensor FP32 decode scales of A and B (cuBLASLt SCALAR_32F scaleA / scaleB). */
  public TensorCoreGemm scales(float scaleA, float scaleB) {
    return scaled(ScaleMode.SCALAR_32F, new float[] {scaleA}, new float[] {scaleB}, null, null);
  }

  /**
   * Row-wise FP32 scales: one per row of A (M) and one per column of B (N) (cuBLASLt
   * OUTER_VEC_32F, PyTorch row-wise {@code _scaled_mm}).
   */
  public TensorCoreGemm rowwiseScales(float[] scaleA, float[] scaleB) {
    return scaled(ScaleMode.OUTER_VEC_32F, scaleA, scaleB, null, null);
  }

  /**
   * DeepSeek-V3 block scales: A's per 1 x 128 group, M x ceil(K/128); B's per 128 x 128 block,
   * ceil(N/128) x ceil(K/128) (cuBLASLt VEC128_32F and BLK128x128_32F), row-major.
   */
  public TensorCoreGemm blockScales(float[] scaleA, float[] scaleB) {
    return new TensorCoreGemm(tensor(a.elementFormat(), a.rows(), a.cols(), a.codes(),
        ScaleMode.VEC128_32F, scaleA, null, "A"), tensor(b.elementFormat(), b.rows(), b.cols(),
        b.codes(), ScaleMode.BLK128x128_32F, scaleB, null, "B"), out, alpha, fastAccumulation,
        library);
  }

  /**
   * MX scales: E8M0 codes per 32 elements along K, M x ceil(K/32) for A and N x ceil(K/32) for B
   * (OCP MX v1.0, cuBLASLt VEC32_UE8M0), row-major.
   */
  public TensorCoreGemm mxScales(byte[] scaleA, byte[] scaleB) {
    return scaled(ScaleMode.VEC32_UE8M0, null, null, scaleA, scaleB);
  }

  /**
   * NVFP4 scales: UE4M3 codes per 16 E2M1 elements along K, M x ceil(K/16) for A and N x
   * ceil(K/16) for B (cuBLASLt VEC16_UE4M3); fold the FP32 tensor scales into {@link #alpha}.
   */
  public TensorCoreGemm nvfp4Scales(byte[] scaleA, byte[] scaleB) {
    return scaled(ScaleMode.VEC16_UE4M3, null, null, scaleA, scaleB);
  }

  /** D in another format: FP32, BF16, FP16, E4M3 or E5M2. */
  public TensorCoreGemm output(FpFormat format) {
    return new TensorCoreGemm(a, b, format, alpha, fastAccumulation, library);
  }

  public TensorCoreGemm alpha(float value) {
    return new TensorCoreGemm(a, b, out, value, fastAccumulation, library);
  }

  /** The library's fast-accumulation flag (cuBLASLt FAST_ACCUM: no promotion on Hopper). */
  public TensorCoreGemm withFastAccumulation() {
    return new TensorCoreGemm(a, b, out, alpha, true, library);
  }

  /** The kernel of another library: its promotion interval and rule on the GPU. */
  public TensorCoreGemm library(Library l) {
    return new TensorCoreGemm(a, b, out, alpha, fastAccumulation, l);
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

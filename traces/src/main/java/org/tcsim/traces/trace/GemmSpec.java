package org.tcsim.traces.trace;

import org.tcsim.gpu.GemmRecipe;
import org.tcsim.gpu.GemmWorkload;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Library;
import java.util.Objects;
import java.util.Set;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;

/**
 * One FP8 GEMM of a trace: {@code groups} independent products
 * {@code D[m x n] = alpha * (A[m x k] * B[k x n]) + beta * C}, with the operand formats, layouts
 * and scale modes a kernel would see. Everything is checked on construction, so a spec that
 * exists can be replayed.
 *
 * @param name a label for reports (for example {@code layer0.q_proj})
 * @param gpu the GPU to replay on, any name the GPU catalogue knows; held as its canonical id
 * @param m rows of A and D
 * @param n columns of B and D
 * @param k the inner dimension
 * @param groups independent products of this shape (a grouped GEMM, e.g. MoE experts)
 * @param aFormat A's element format, E4M3 or E5M2
 * @param bFormat B's element format, E4M3 or E5M2
 * @param aLayout how A (m x k) is stored
 * @param bLayout how B (k x n) is stored
 * @param scaling the scale modes of A and B, or none
 * @param outFormat D's format: FP32, BF16, FP16, E4M3 or E5M2
 * @param fastAccum the library's fast-accumulation flag (cuBLASLt {@code FAST_ACCUM}, torch
 *     {@code use_fast_accum}): no promotion of the tensor-core partial sums where it has an effect
 * @param library the library whose kernel ran the GEMM (cuBLASLt unless the trace says otherwise):
 *     its promotion, epilogue order and rules apply on replay
 * @param alpha the scale of the product
 * @param beta the scale of C (0: C is not read)
 * @param data where the operands come from
 * @param source free-form provenance (the log line it was imported from, the model config, ...)
 */
public record GemmSpec(String name, String gpu, long m, long n, long k, int groups,
    FpFormat aFormat, FpFormat bFormat, Layout aLayout, Layout bLayout, Scaling scaling,
    FpFormat outFormat, boolean fastAccum, Library library, double alpha, double beta,
    OperandData data, String source) {

  /** FP8 input formats (OCP OFP8; docs/hardware-facts.md, Number formats). */
  public static final Set<FpFormat> INPUT_FORMATS = Set.of(FpFormat.E4M3, FpFormat.E5M2);

  /** Output formats of an FP8 GEMM (cuBLASLt FP8 matmul D types). */
  public static final Set<FpFormat> OUTPUT_FORMATS =
      Set.of(FpFormat.FP32, FpFormat.BF16, FpFormat.FP16, FpFormat.E4M3, FpFormat.E5M2);

  public GemmSpec {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.chars().anyMatch(c -> c == '\n' || c == '\r')) {
      throw new IllegalArgumentException("name must be a non-empty single line, got '" + name + "'");
    }
    Objects.requireNonNull(gpu, "gpu");
    if (gpu.isBlank()) {
      throw new IllegalArgumentException("gpu must not be empty");
    }
    gpu = GpuCatalog.byName(gpu).id();
    if (m < 1 || n < 1 || k < 1) {
      throw new IllegalArgumentException("m, n, k must be at least 1, got m=" + m + " n=" + n
          + " k=" + k);
    }
    if (groups < 1) {
      throw new IllegalArgumentException("groups must be at least 1, got " + groups);
    }
    checkSizes(m, n, k, groups);
    Objects.requireNonNull(aFormat, "aFormat");
    Objects.requireNonNull(bFormat, "bFormat");
    if (!INPUT_FORMATS.contains(aFormat) || !INPUT_FORMATS.contains(bFormat)) {
      throw new IllegalArgumentException("A and B must be FP8 (e4m3 or e5m2), got " + aFormat
          + " and " + bFormat);
    }
    Objects.requireNonNull(aLayout, "aLayout");
    Objects.requireNonNull(bLayout, "bLayout");
    Objects.requireNonNull(scaling, "scaling");
    checkScaling(scaling);
    Objects.requireNonNull(outFormat, "outFormat");
    if (!OUTPUT_FORMATS.contains(outFormat)) {
      throw new IllegalArgumentException("out format must be fp32, bf16, fp16, e4m3 or e5m2, got "
          + outFormat);
    }
    Objects.requireNonNull(library, "library");
    if (!Double.isFinite(alpha) || !Double.isFinite(beta)) {
      throw new IllegalArgumentException("alpha and beta must be finite, got alpha=" + alpha
          + " beta=" + beta);
    }
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(source, "source");
  }

  /**
   * Refuses shapes whose element counts or FLOP count overflow a {@code long}: such a spec could
   * never be replayed and would print nonsense totals.
   */
  private static void checkSizes(long m, long n, long k, int groups) {
    try {
      Math.multiplyExact(Math.multiplyExact(m, k), (long) groups);
      Math.multiplyExact(Math.multiplyExact(k, n), (long) groups);
      Math.multiplyExact(Math.multiplyExact(m, n), (long) groups);
      Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(m, n), k),
          (long) groups), 2L);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("GEMM too large: " + groups + " x " + m + "x" + n + "x"
          + k + " overflows a 64-bit element or FLOP count");
    }
  }

  /**
   * Pairs of scale modes cuBLASLt accepts for FP8 (docs/hardware-facts.md, Scale modes): per-tensor
   * and outer-vector
   * (row-wise) FP32 scales; DeepSeek-style 1x128 / 128x128 FP32 blocks; MXFP8 E8M0 blocks of 32,
   * which must be on both operands since the MMA applies both (block-scaled MMA;
   * docs/hardware-facts.md, Block scaling).
   * UE4M3 blocks of 16 are NVFP4's and need E2M1 data, not FP8.
   */
  static void checkScaling(Scaling s) {
    if (s.isNone()) {
      return;
    }
    int fa = family(s.a());
    int fb = family(s.b());
    if (fa < 0 || fb < 0) {
      throw new IllegalArgumentException("scale mode VEC16_UE4M3 is NVFP4's (E2M1 data), not"
          + " usable with FP8 operands");
    }
    if (fa != fb) {
      throw new IllegalArgumentException("scale modes " + s.a() + " (A) and " + s.b()
          + " (B) do not go together");
    }
  }

  private static int family(ScaleMode mode) {
    return switch (mode) {
      case SCALAR_32F, OUTER_VEC_32F -> 0;
      case VEC128_32F, BLK128x128_32F -> 1;
      case VEC32_UE8M0 -> 2;
      case VEC16_UE4M3 -> -1;
    };
  }

  /**
   * The workload both models see, with the spec's library. Unscaled operands (scaling
   * {@code none}) are per-tensor scaled with scales of 1.
   */
  public GemmWorkload workload() {
    GemmRecipe recipe = scaling.isNone() ? GemmRecipe.TENSOR : GemmRecipe.of(scaling.a(), aFormat);
    return new GemmWorkload(m, n, k, groups, aFormat, bFormat, recipe, fastAccum, library,
        outFormat);
  }

  /** Useful floating-point operations, {@code 2 m n k groups} (cannot overflow, see above). */
  public long flops() {
    return 2L * m * n * k * groups;
  }

  /** The shape as {@code groups x MxNxK}, or {@code MxNxK} for one group. */
  public String shape() {
    return (groups > 1 ? groups + " x " : "") + m + "x" + n + "x" + k;
  }

  /** A builder with the defaults of a trace file: see {@link Builder}. */
  public static Builder builder(String name, String gpu, long m, long n, long k) {
    return new Builder(name, gpu, m, n, k);
  }

  /**
   * Builds a spec from the trace defaults: one group, E4M3 x E4M3, A row-major and B
   * column-major (K-major, see {@link Layout}), no scaling, BF16 out, no fast accumulation,
   * cuBLASLt, alpha 1, beta 0, seed 0, empty source.
   */
  public static final class Builder {
    private final String name;
    private final String gpu;
    private final long m;
    private final long n;
    private final long k;
    private int groups = 1;
    private FpFormat aFormat = FpFormat.E4M3;
    private FpFormat bFormat = FpFormat.E4M3;
    private Layout aLayout = Layout.ROW;
    private Layout bLayout = Layout.COL;
    private Scaling scaling = Scaling.NONE;
    private FpFormat outFormat = FpFormat.BF16;
    private boolean fastAccum;
    private Library library = Library.CUBLASLT;
    private double alpha = 1;
    private double beta;
    private OperandData data = new OperandData.Seeded(0);
    private String source = "";

    private Builder(String name, String gpu, long m, long n, long k) {
      this.name = name;
      this.gpu = gpu;
      this.m = m;
      this.n = n;
      this.k = k;
    }

    public Builder groups(int v) {
      groups = v;
      return this;
    }

    public Builder formats(FpFormat a, FpFormat b) {
      aFormat = a;
      bFormat = b;
      return this;
    }

    public Builder layouts(Layout a, Layout b) {
      aLayout = a;
      bLayout = b;
      return this;
    }

    public Builder scaling(Scaling v) {
      scaling = v;
      return this;
    }

    public Builder outFormat(FpFormat v) {
      outFormat = v;
      return this;
    }

    public Builder fastAccum(boolean v) {
      fastAccum = v;
      return this;
    }

    public Builder library(Library v) {
      library = v;
      return this;
    }

    public Builder alpha(double v) {
      alpha = v;
      return this;
    }

    public Builder beta(double v) {
      beta = v;
      return this;
    }

    public Builder data(OperandData v) {
      data = v;
      return this;
    }

    public Builder source(String v) {
      source = v;
      return this;
    }

    public GemmSpec build() {
      return new GemmSpec(name, gpu, m, n, k, groups, aFormat, bFormat, aLayout, bLayout,
          scaling, outFormat, fastAccum, library, alpha, beta, data, source);
    }
  }
}

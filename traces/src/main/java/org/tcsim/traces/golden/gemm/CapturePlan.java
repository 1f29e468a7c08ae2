package org.tcsim.traces.golden.gemm;

import java.util.ArrayList;
import java.util.List;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;

/**
 * The GEMMs to capture on a Hopper GPU, chosen to separate hypotheses about cuBLASLt's FP8
 * numerics rather than to sample random data (issue 7; docs/hardware-facts.md, Library GEMM
 * semantics and Open questions):
 * <ul>
 *   <li>{@code ks_*}: K = 32 .. 8192 with fast accumulation off and on, on the same operands:
 *       where the tensor core's truncating 13-fractional-bit accumulator is promoted to FP32 (CUTLASS
 *       {@code mma_promotion_interval} = 4 wgmma k32, i.e. every 128) shows as the K where the two
 *       begin to differ; positive products make the accumulator grow, so truncation bites harder;
 *   <li>{@code carry_*}, {@code cancel_*}: data built so that a truncating alignment and a
 *       rounding one give different answers (small terms under a large one; cancelling pairs that
 *       leave a residual);
 *   <li>{@code subn_*}: subnormal inputs (E4M3 and E5M2), where the published data is silent;
 *   <li>{@code outlier_*}: ±448 among small values, the case per-tensor scaling handles worst;
 *   <li>{@code out_*}, {@code ovf_*}: every output format (FP32, BF16, FP16, E4M3 with and
 *       without a non-power-of-two scaleD), and overflow into FP16 and E4M3;
 *   <li>{@code scale_*}: per-tensor (SCALAR_32F) and row-wise (OUTER_VEC_32F) scales that are
 *       not powers of two, so the order of the scale multiplications shows in the rounding;
 *   <li>{@code ab_*}: alpha and beta with a C input;
 *   <li>{@code fmt_*}: E4M3 x E5M2 and E5M2 x E4M3 (cuBLASLt has no E5M2 x E5M2);
 *   <li>{@code splitk_*}: m = n = 64, k = 8192, where cuBLASLt's heuristic may split K;
 *   <li>{@code sanity_ones}: all ones, whose exact answer (K) checks the kit's layouts.
 * </ul>
 * Shapes are multiples of 16 (cuBLASLt's FP8 alignment rule). The operands come from
 * {@link OperandSpec}s with seeds derived from one plan seed, so the plan is reproducible.
 */
public final class CapturePlan {

  /** The default plan seed (any value works; this one is recorded in every generator). */
  public static final long DEFAULT_SEED = 0x7C5A_2026_0007L;

  private static final int[] K_SWEEP = {32, 64, 128, 256, 512, 1024, 4096, 8192};

  private final long seed;
  private final List<GoldenGemmCase> cases = new ArrayList<>();

  private CapturePlan(long seed) {
    this.seed = seed;
  }

  /** The plan's cases, in capture order. */
  public static List<GoldenGemmCase> build(long seed) {
    CapturePlan p = new CapturePlan(seed);
    p.addAll();
    return List.copyOf(p.cases);
  }

  private void addAll() {
    FpFormat e4 = FpFormat.E4M3;
    FpFormat e5 = FpFormat.E5M2;
    FpFormat f32 = FpFormat.FP32;
    FpFormat bf16 = FpFormat.BF16;
    FpFormat f16 = FpFormat.FP16;
    gemm("sanity_ones", "layout check: all ones so D = K exactly", 16, 16, 128, e4, e4, f32,
        OperandSpec.of(0, "ones"), OperandSpec.of(0, "ones"), false);
    for (int k : K_SWEEP) {
      OperandSpec a = OperandSpec.uniform(seed("ks_pos", k, 'a'), -6, 2, true);
      OperandSpec b = OperandSpec.uniform(seed("ks_pos", k, 'b'), -6, 2, true);
      for (boolean fast : new boolean[] {false, true}) {
        gemm("ks_pos_k" + k + "_fa" + (fast ? 1 : 0), "promotion interval: positive products "
            + "K=" + k, 16, 16, k, e4, e4, f32, a, b, fast);
      }
    }
    for (int k : new int[] {128, 1024}) {
      OperandSpec a = OperandSpec.uniform(seed("ks_mix", k, 'a'), -4, 4, false);
      OperandSpec b = OperandSpec.uniform(seed("ks_mix", k, 'b'), -4, 4, false);
      for (boolean fast : new boolean[] {false, true}) {
        gemm("ks_mix_k" + k + "_fa" + (fast ? 1 : 0), "promotion interval: mixed signs K=" + k,
            16, 16, k, e4, e4, f32, a, b, fast);
      }
    }
    for (int k : new int[] {32, 256, 4096}) {
      OperandSpec a = OperandSpec.of(seed("carry", k, 'a'), "carry");
      for (boolean fast : new boolean[] {false, true}) {
        gemm("carry_k" + k + "_fa" + (fast ? 1 : 0), "truncating alignment and carries: small "
            + "terms under a large one (B = 1)", 16, 16, k, e4, e4, f32, a,
            OperandSpec.of(0, "ones"), fast);
      }
    }
    OperandSpec carryA = OperandSpec.of(seed("carry_rand", 256, 'a'), "carry");
    OperandSpec carryB = OperandSpec.uniform(seed("carry_rand", 256, 'b'), 0, 0, true);
    for (boolean fast : new boolean[] {false, true}) {
      gemm("carry_rand_k256_fa" + (fast ? 1 : 0), "carries with B in [1 2)", 16, 16, 256, e4, e4,
          f32, carryA, carryB, fast);
    }
    OperandSpec cancelA = OperandSpec.of(seed("cancel", 256, 'a'), "cancel");
    for (boolean fast : new boolean[] {false, true}) {
      gemm("cancel_k256_fa" + (fast ? 1 : 0), "cancelling pairs leave a small residual (B = 1)",
          16, 16, 256, e4, e4, f32, cancelA, OperandSpec.of(0, "ones"), fast);
    }
    gemm("subn_e4m3_k64", "subnormal x subnormal E4M3", 16, 16, 64, e4, e4, f32,
        OperandSpec.of(seed("subn", 64, 'a'), "subnormal"),
        OperandSpec.of(seed("subn", 64, 'b'), "subnormal"), false);
    gemm("subn_mixed_k64", "subnormal E4M3 x normal E4M3", 16, 16, 64, e4, e4, f32,
        OperandSpec.of(seed("subn_mixed", 64, 'a'), "subnormal"),
        OperandSpec.uniform(seed("subn_mixed", 64, 'b'), -2, 2, false), false);
    gemm("subn_e4m3_e5m2_k64", "subnormal E4M3 x subnormal E5M2", 16, 16, 64, e4, e5, f32,
        OperandSpec.of(seed("subn_e5", 64, 'a'), "subnormal"),
        OperandSpec.of(seed("subn_e5", 64, 'b'), "subnormal"), false);
    OperandSpec outA = OperandSpec.outlier(seed("outlier", 1024, 'a'), -4, 2, 5);
    OperandSpec outB = OperandSpec.uniform(seed("outlier", 1024, 'b'), -4, 2, false);
    for (boolean fast : new boolean[] {false, true}) {
      gemm("outlier_k1024_fa" + (fast ? 1 : 0), "outliers (+-448 at 0.5%) among small values",
          16, 16, 1024, e4, e4, bf16, outA, outB, fast);
    }
    OperandSpec outFmtA = OperandSpec.uniform(seed("out", 256, 'a'), -3, 3, false);
    OperandSpec outFmtB = OperandSpec.uniform(seed("out", 256, 'b'), -3, 3, false);
    for (FpFormat d : new FpFormat[] {f32, bf16, f16, e4}) {
      gemm("out_" + d + "_k256", "output format " + d, 32, 32, 256, e4, e4, d, outFmtA, outFmtB,
          false);
    }
    add(new Spec("out_e4m3_sd_k256", "E4M3 output with scaleD = 0.3 (rounding of D*scaleD)", 32,
        32, 256, e4, e4, e4, outFmtA, outFmtB, false).scaleD(0.3f));
    OperandSpec all = OperandSpec.of(seed("ovf", 64, 'a'), "allcodes");
    OperandSpec allB = OperandSpec.of(seed("ovf", 64, 'b'), "allcodes");
    gemm("ovf_fp16_k64", "overflow into FP16 (all codes: huge products)", 16, 16, 64, e4, e4, f16,
        all, allB, false);
    gemm("ovf_e4m3_k64", "saturation into E4M3 (all codes)", 16, 16, 64, e4, e4, e4, all, allB,
        false);
    OperandSpec sA = OperandSpec.uniform(seed("scale", 512, 'a'), -4, 4, false);
    OperandSpec sB = OperandSpec.uniform(seed("scale", 512, 'b'), -4, 4, false);
    for (FpFormat d : new FpFormat[] {f32, bf16}) {
      add(new Spec("scale_tensor_k512_" + d, "per-tensor scales 0.3 and 1.7 (not powers of two)",
          16, 16, 512, e4, e4, d, sA, sB, false).tensorScales(0.3f, 1.7f));
      add(new Spec("scale_row_k512_" + d, "row-wise scales (OUTER_VEC_32F)", 16, 16, 512, e4, e4,
          d, sA, sB, false).rowScales(OperandSpec.uniform(seed("scale_row", 512, 'a'), -3, 3,
          true), OperandSpec.uniform(seed("scale_row", 512, 'b'), -3, 3, true)));
    }
    add(new Spec("ab_fp32_k256", "alpha 0.7 and beta 1 with an FP32 C", 16, 16, 256, e4, e4, f32,
        outFmtA, outFmtB, false).alphaBeta(0.7f, 1f,
        OperandSpec.uniform(seed("ab", 256, 'c'), -2, 4, false)));
    add(new Spec("ab_bf16_k256", "beta 0.5 with a BF16 C", 16, 16, 256, e4, e4, bf16, outFmtA,
        outFmtB, false).alphaBeta(1f, 0.5f,
        OperandSpec.uniform(seed("ab_bf16", 256, 'c'), -2, 4, false)));
    gemm("fmt_e4m3_e5m2_k256", "E4M3 x E5M2", 16, 16, 256, e4, e5, f32,
        OperandSpec.uniform(seed("fmt45", 256, 'a'), -4, 4, false),
        OperandSpec.uniform(seed("fmt45", 256, 'b'), -8, 8, false), false);
    gemm("fmt_e5m2_e4m3_k256", "E5M2 x E4M3", 16, 16, 256, e5, e4, f32,
        OperandSpec.uniform(seed("fmt54", 256, 'a'), -8, 8, false),
        OperandSpec.uniform(seed("fmt54", 256, 'b'), -4, 4, false), false);
    OperandSpec skA = OperandSpec.uniform(seed("splitk", 8192, 'a'), -4, 4, false);
    OperandSpec skB = OperandSpec.uniform(seed("splitk", 8192, 'b'), -4, 4, false);
    for (boolean fast : new boolean[] {false, true}) {
      gemm("splitk_m64n64k8192_fa" + (fast ? 1 : 0), "split-K-prone shape", 64, 64, 8192, e4, e4,
          f32, skA, skB, fast);
    }
  }

  /** A per-operand seed: the plan seed mixed with the family, K and role (String.hashCode is specified). */
  private long seed(String family, int k, char role) {
    return new SplitMix64(seed ^ ((family + "/" + k + "/" + role).hashCode() * 0x9E3779B97F4A7C15L))
        .next();
  }

  private void gemm(String id, String purpose, int m, int n, int k, FpFormat af, FpFormat bf,
      FpFormat df, OperandSpec a, OperandSpec b, boolean fast) {
    add(new Spec(id, purpose, m, n, k, af, bf, df, a, b, fast));
  }

  private void add(Spec s) {
    cases.add(s.toCase());
  }

  /** A case under construction (defaults: unit scales, alpha 1, beta 0, no C). */
  private static final class Spec {
    final String id;
    final String purpose;
    final int m;
    final int n;
    final int k;
    final FpFormat af;
    final FpFormat bf;
    final FpFormat df;
    final OperandSpec a;
    final OperandSpec b;
    final boolean fast;
    ScaleMode mode = ScaleMode.SCALAR_32F;
    float[] scaleA = {1f};
    float[] scaleB = {1f};
    OperandSpec scaleAGen;
    OperandSpec scaleBGen;
    float scaleD = 1f;
    float alpha = 1f;
    float beta = 0f;
    OperandSpec c;

    Spec(String id, String purpose, int m, int n, int k, FpFormat af, FpFormat bf, FpFormat df,
        OperandSpec a, OperandSpec b, boolean fast) {
      this.id = id;
      this.purpose = purpose;
      this.m = m;
      this.n = n;
      this.k = k;
      this.af = af;
      this.bf = bf;
      this.df = df;
      this.a = a;
      this.b = b;
      this.fast = fast;
    }

    Spec scaleD(float v) {
      scaleD = v;
      return this;
    }

    Spec tensorScales(float sa, float sb) {
      scaleA = new float[] {sa};
      scaleB = new float[] {sb};
      return this;
    }

    Spec rowScales(OperandSpec sa, OperandSpec sb) {
      mode = ScaleMode.OUTER_VEC_32F;
      scaleAGen = sa;
      scaleBGen = sb;
      scaleA = HexMatrix.toFloats(sa.generate(FpFormat.FP32, m, 1));
      scaleB = HexMatrix.toFloats(sb.generate(FpFormat.FP32, n, 1));
      return this;
    }

    Spec alphaBeta(float al, float be, OperandSpec cSpec) {
      alpha = al;
      beta = be;
      c = cSpec;
      return this;
    }

    /** cuBLASLt's C type: the output type, except BF16 beside an FP8 output. */
    FpFormat cFormat() {
      return df == FpFormat.E4M3 || df == FpFormat.E5M2 ? FpFormat.BF16 : df;
    }

    GoldenGemmCase toCase() {
      FpFormat cf = cFormat();
      return new GoldenGemmCase(id, purpose, m, n, k, af, bf, cf, df, mode, scaleA, scaleB,
          scaleD, alpha, beta, fast, HexMatrix.toBytes(a.generate(af, m, k)), HexMatrix.toBytes(b.generate(bf, n, k)),
          c == null ? null : c.generate(cf, m, n), null, "planned",
          new GoldenGemmCase.Generators(a.text(), b.text(), c == null ? "-" : c.text(),
              scaleAGen == null ? "-" : scaleAGen.text(),
              scaleBGen == null ? "-" : scaleBGen.text()),
          GemmProvenance.none());
    }


  }
}

package org.tcsim.gpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.CurrentScaling;
import org.tcsim.core.quant.ElementRounding;
import org.tcsim.core.quant.GroupScaling;
import org.tcsim.core.quant.MxScaleRule;
import org.tcsim.core.quant.MxScaling;
import org.tcsim.core.quant.Nvfp4Scaling;
import org.tcsim.core.quant.Recipe;
import org.tcsim.core.quant.RowwiseScaling;
import org.tcsim.core.quant.ScaleMode;

/**
 * How a GEMM's operands are scaled, by the names every command uses, with Transformer Engine's
 * recipe names as aliases (Transformer Engine {@code transformer_engine.common.recipe}) and the
 * cuBLASLt scale modes each one runs as ({@code CUBLASLT_MATMUL_DESC_A_SCALE_MODE}).
 */
public enum GemmRecipe {
  /** One FP32 scale per tensor (cuBLASLt SCALAR_32F). */
  TENSOR("tensor", ScaleMode.SCALAR_32F, ScaleMode.SCALAR_32F, "per-tensor",
      "Float8CurrentScaling", "DelayedScaling"),
  /** One FP32 scale per row of A and per column of B (cuBLASLt OUTER_VEC_32F). */
  ROWWISE("rowwise", ScaleMode.OUTER_VEC_32F, ScaleMode.OUTER_VEC_32F, "row-wise", "per-row",
      "outer-vec"),
  /** 1x128 FP32 groups on A, 128x128 FP32 blocks on B (DeepSeek-V3; cuBLASLt VEC128_32F x BLK128x128_32F). */
  BLOCK("block", ScaleMode.VEC128_32F, ScaleMode.BLK128x128_32F, "blockwise", "deepseek",
      "Float8BlockScaling"),
  /** OCP MXFP8: one E8M0 scale per 32 elements along K (cuBLASLt VEC32_UE8M0). */
  MXFP8("mxfp8", ScaleMode.VEC32_UE8M0, ScaleMode.VEC32_UE8M0, "mx", "MXFP8BlockScaling"),
  /** NVFP4: E2M1 elements, one UE4M3 scale per 16 and an FP32 tensor scale (cuBLASLt VEC16_UE4M3). */
  NVFP4("nvfp4", ScaleMode.VEC16_UE4M3, ScaleMode.VEC16_UE4M3, "NVFP4BlockScaling"),
  /** OCP MXFP4: E2M1 elements, one E8M0 scale per 32 (cuBLASLt VEC32_UE8M0 with E2M1 data). */
  MXFP4("mxfp4", ScaleMode.VEC32_UE8M0, ScaleMode.VEC32_UE8M0);

  private final String id;
  private final ScaleMode aMode;
  private final ScaleMode bMode;
  private final String[] aliases;

  GemmRecipe(String id, ScaleMode aMode, ScaleMode bMode, String... aliases) {
    this.id = id;
    this.aMode = aMode;
    this.bMode = bMode;
    this.aliases = aliases;
  }

  public String id() {
    return id;
  }

  /** Every name {@link #parse} takes for this recipe: its id, then its aliases. */
  public List<String> names() {
    List<String> names = new ArrayList<>(List.of(id));
    names.addAll(List.of(aliases));
    return List.copyOf(names);
  }

  /** The scale mode of A. */
  public ScaleMode aMode() {
    return aMode;
  }

  /** The scale mode of B. */
  public ScaleMode bMode() {
    return bMode;
  }

  /** Whether the block scales are applied inside the MMA (MX and NVFP4: Blackwell block-scaled kinds). */
  public boolean scalesInMma() {
    return switch (this) {
      case TENSOR, ROWWISE, BLOCK -> false;
      case MXFP8, NVFP4, MXFP4 -> true;
    };
  }

  /** The element format of both operands when the recipe fixes it (FP4 recipes), else {@code given}. */
  public FpFormat elementFormat(FpFormat given) {
    return switch (this) {
      case TENSOR, ROWWISE, BLOCK, MXFP8 -> given;
      case NVFP4, MXFP4 -> FpFormat.E2M1;
    };
  }

  /**
   * The quantiser of one operand: per-tensor current scaling, row-wise, 1x128 groups (A) and
   * 128x128 blocks (B), MX with NVIDIA's RCEIL scale rule (Transformer Engine, Blackwell
   * {@code cvt.rp.satfinite.ue8m0x2.f32}), NVFP4's two-level scales.
   */
  public Recipe quantiser(FpFormat format, boolean isA) {
    return switch (this) {
      case TENSOR -> new CurrentScaling(format);
      case ROWWISE -> new RowwiseScaling(format);
      case BLOCK -> new GroupScaling(format, isA ? aMode : bMode);
      case MXFP8 -> new MxScaling(format, MxScaleRule.RCEIL, ElementRounding.RNE);
      case NVFP4 -> new Nvfp4Scaling();
      case MXFP4 -> new MxScaling(FpFormat.E2M1, MxScaleRule.RCEIL, ElementRounding.RNE);
    };
  }

  /** The recipe whose scale modes these are (A's mode decides); none for unscaled operands. */
  public static GemmRecipe of(ScaleMode a, FpFormat elementFormat) {
    return switch (a) {
      case SCALAR_32F -> TENSOR;
      case OUTER_VEC_32F -> ROWWISE;
      case VEC128_32F, BLK128x128_32F -> BLOCK;
      case VEC32_UE8M0 -> elementFormat == FpFormat.E2M1 ? MXFP4 : MXFP8;
      case VEC16_UE4M3 -> NVFP4;
    };
  }

  /** Looks a recipe up by name or alias, case-insensitively ({@code MXFP8BlockScaling}, {@code mxfp8}). */
  public static GemmRecipe parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (GemmRecipe r : values()) {
      if (r.id.equals(n) || Arrays.stream(r.aliases).anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(n))) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown recipe '" + name + "'; known: "
        + Arrays.stream(values()).map(r -> r.id + (r.aliases.length == 0 ? ""
            : " (" + String.join(", ", r.aliases) + ")")).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}

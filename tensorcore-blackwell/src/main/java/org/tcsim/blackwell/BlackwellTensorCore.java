package org.tcsim.blackwell;

import static org.tcsim.core.format.FpFormat.BF16;
import static org.tcsim.core.format.FpFormat.E4M3;
import static org.tcsim.core.format.FpFormat.E5M2;
import static org.tcsim.core.format.FpFormat.FP16;
import static org.tcsim.core.format.FpFormat.FP32;
import static org.tcsim.core.format.FpFormat.TF32;

import java.util.List;
import java.util.Set;
import org.tcsim.core.datapath.AccumulatorJoin;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.datapath.Evidence;
import org.tcsim.core.datapath.ScalePlacement;
import org.tcsim.core.datapath.StepOrder;
import org.tcsim.core.datapath.TensorCoreModel;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The Blackwell (sm_100a, B200) tensor core. FP16/BF16/TF32 follow the published model
 * (Khattak &amp; Mikaitis, ACM TACO, doi 10.1145/3830409, {@code B200TC}); for FP8 the published
 * model does not match the B200 golden samples, and round-to-nearest-even of the exact sum plus C
 * does (docs/hardware-facts.md, B200 FP8; inferred; those samples are too benign to fix the
 * alignment width, so EXACT
 * alignment is the simplest parameter set that explains them).
 */
public final class BlackwellTensorCore implements TensorCoreModel {

  public static final BlackwellTensorCore INSTANCE = new BlackwellTensorCore();

  private static final String PAPER = "Khattak & Mikaitis, ACM TACO, doi 10.1145/3830409 (B200TC)";
  private static final Set<FpFormat> FP8 = Set.of(E4M3, E5M2);

  /** FP8 into FP32: the exact sum of 32 products plus C, rounded once to nearest even. */
  public static final BlockFmaParams FP8_FP32 = BlockFmaParams.of(32, 25, Rounding.RNE, FP32)
      .withAlignment(AlignmentMode.EXACT);

  /**
   * FP8 into FP16 ({@code mma.sync}): as on Hopper, two FP16 HMMA k16 steps from a zero
   * accumulator over k mod 4 in {0, 1} then {2, 3}, and C added last with RNE into FP16. Reproduces
   * all 5000 B200 samples (tcsim finding, an open question before; docs/hardware-facts.md, FP8 into
   * FP16).
   */
  public static final BlockFmaParams FP8_FP16 = BlockFmaParams.of(16, 25, Rounding.RNE, FP16)
      .toBuilder().stepOrder(StepOrder.PAIRS_BY_K_MOD_4)
      .accumulatorJoin(AccumulatorJoin.AFTER_ALL_STEPS).build();

  /** FP16 and BF16 into FP32: 16 products per step, 25 alignment bits, RZ. */
  public static final BlockFmaParams HALF_FP32 = BlockFmaParams.of(16, 25, Rounding.RZ, FP32);

  /** FP16 into FP16: round to nearest even into FP16. */
  public static final BlockFmaParams HALF_FP16 = BlockFmaParams.of(16, 25, Rounding.RNE, FP16);

  /** TF32 into FP32: 4 products per step, 25 alignment bits, RZ. */
  public static final BlockFmaParams TF32_FP32 = BlockFmaParams.of(4, 25, Rounding.RZ, FP32);

  /**
   * Block-scaled kinds ({@code tcgen05.mma ... .block_scale}, kinds mxf8f6f4, mxf4, mxf4nvf4): the
   * same exact-sum datapath, each product multiplied by its block's two scales before alignment
   * ({@link ScalePlacement#PRODUCT}). No hardware samples exist for these kinds; see
   * {@link ScalePlacement} for why this placement is the default. The FP4 kinds have K=64 per
   * instruction, so 64 products per step.
   */
  public static final BlockFmaParams MX_FP32 = FP8_FP32.withScalePlacement(ScalePlacement.PRODUCT);

  /** The FP4 block-scaled kinds: 64 products per step (K of one mxf4/mxf4nvf4 instruction). */
  public static final BlockFmaParams MXF4_FP32 = MX_FP32.withProductsPerStep(64);

  private static final String MX_SOURCE = "hypothesis: exact sum with scales applied to each product"
      + " (docs/hardware-facts.md, Open questions: where the scale enters is not public); no"
      + " hardware samples";
  private static final Set<FpFormat> F8F6F4 = Set.of(E4M3, E5M2, FpFormat.E2M3, FpFormat.E3M2,
      FpFormat.E2M1);

  private static final List<DatapathPreset> PRESETS = List.of(
      new DatapathPreset("b200.mxf8f6f4.fp32", F8F6F4, F8F6F4, MX_FP32, Evidence.HYPOTHESIS,
          MX_SOURCE, new DatapathPreset.BlockScaling(FpFormat.E8M0, 32)),
      new DatapathPreset("b200.mxf4.fp32", Set.of(FpFormat.E2M1), Set.of(FpFormat.E2M1), MXF4_FP32,
          Evidence.HYPOTHESIS, MX_SOURCE, new DatapathPreset.BlockScaling(FpFormat.E8M0, 32)),
      new DatapathPreset("b200.mxf4nvf4.e8m0.fp32", Set.of(FpFormat.E2M1), Set.of(FpFormat.E2M1),
          MXF4_FP32, Evidence.HYPOTHESIS, MX_SOURCE,
          new DatapathPreset.BlockScaling(FpFormat.E8M0, 16)),
      new DatapathPreset("b200.nvf4.fp32", Set.of(FpFormat.E2M1), Set.of(FpFormat.E2M1), MXF4_FP32,
          Evidence.HYPOTHESIS, MX_SOURCE, new DatapathPreset.BlockScaling(FpFormat.UE4M3, 16)),
      new DatapathPreset("b200.fp8.fp32", FP8, FP8, FP8_FP32, Evidence.MATCHES_HARDWARE,
          "docs/hardware-facts.md, B200 FP8: RNE of the exact sum plus C matches every shipped"
              + " B200 FP8 sample"),
      new DatapathPreset("b200.fp8.fp16", FP8, FP8, FP8_FP16, Evidence.MATCHES_HARDWARE,
          "tcsim finding: two FP16 HMMA k16 steps over k mod 4 in {0,1} then {2,3}, C added last"),
      new DatapathPreset("b200.fp16.fp32", Set.of(FP16), Set.of(FP16), HALF_FP32,
          Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("b200.fp16.fp16", Set.of(FP16), Set.of(FP16), HALF_FP16,
          Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("b200.bf16.fp32", Set.of(BF16), Set.of(BF16), HALF_FP32,
          Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("b200.tf32.fp32", Set.of(TF32), Set.of(TF32), TF32_FP32,
          Evidence.MATCHES_HARDWARE, PAPER));

  private BlackwellTensorCore() {}

  @Override
  public String name() {
    return "b200";
  }


  @Override
  public String description() {
    return "NVIDIA Blackwell (sm_100a: B200) tcgen05 tensor core; " + PAPER;
  }

  @Override
  public List<DatapathPreset> presets() {
    return PRESETS;
  }
}

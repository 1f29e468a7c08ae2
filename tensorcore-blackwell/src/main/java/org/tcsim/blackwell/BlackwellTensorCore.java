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
 * model does not match the B200 hardware rows, and this project's analysis of 10,000 of them
 * (docs/hardware-facts.md, B200 FP8) found the datapath {@link #FP8_FP32}: the exact sum of the
 * products, truncated to FP32, plus C in one IEEE addition. The rows cannot tell it from the
 * variants kept here as what-if parameters ({@link #FP8_FP32_STICKY}, {@link #FP8_FP32_HALVES},
 * {@link #FP8_FP32_WINDOW_23}); they do reject the model shipped before
 * ({@link #FP8_FP32_ONE_ROUNDING}) and the published ones ({@link #FP8_FP32_PUBLISHED}).
 */
public final class BlackwellTensorCore implements TensorCoreModel {

  public static final BlackwellTensorCore INSTANCE = new BlackwellTensorCore();

  private static final String PAPER = "Khattak & Mikaitis, ACM TACO, doi 10.1145/3830409 (B200TC)";
  private static final Set<FpFormat> FP8 = Set.of(E4M3, E5M2);

  /**
   * FP8 into FP32: D = RNE_fp32(RZ_24(exact sum of the 32 products) + C). The products are summed
   * exactly, the sum is normalised and truncated toward zero to 24 significant bits (an FP32 value
   * P), and P + C is an ordinary IEEE FP32 addition with round to nearest even; C keeps its full
   * precision and takes no part in the products' alignment. Reproduces all 10,000 B200 FP8 rows of
   * this project's analysis of {@code mma.sync} m16n8k32 (5,000 of them released by Khattak &amp;
   * Mikaitis; docs/hardware-facts.md, B200 FP8).
   */
  public static final BlockFmaParams FP8_FP32 = BlockFmaParams.of(32, 25, Rounding.RNE, FP32)
      .toBuilder().alignment(AlignmentMode.EXACT)
      .accumulatorJoin(AccumulatorJoin.AFTER_TRUNCATED_SUM).build();

  /**
   * The FP8 model shipped before: the exact sum of the 32 products plus C, rounded once to nearest
   * even. It matches 9,999 of the 10,000 rows; the one it fails (E5M2, docs/hardware-facts.md,
   * B200 FP8) needs the products' sum truncated before C is added. Kept for comparison.
   */
  public static final BlockFmaParams FP8_FP32_ONE_ROUNDING = BlockFmaParams.of(32, 25,
      Rounding.RNE, FP32).withAlignment(AlignmentMode.EXACT);

  /**
   * What-if, as {@link #FP8_FP32} but the truncated product sum carries a sticky bit into the
   * final addition ({@link AccumulatorJoin#AFTER_TRUNCATED_SUM_STICKY}); the rows cannot tell the
   * two apart.
   */
  public static final BlockFmaParams FP8_FP32_STICKY = FP8_FP32.withAccumulatorJoin(
      AccumulatorJoin.AFTER_TRUNCATED_SUM_STICKY);

  /**
   * What-if, as {@link #FP8_FP32} but two halves of 16 products, each truncated to 24 bits, then
   * their sum truncated again ({@link AccumulatorJoin#AFTER_TRUNCATED_HALVES}); the rows cannot
   * tell the two apart.
   */
  public static final BlockFmaParams FP8_FP32_HALVES = FP8_FP32.withAccumulatorJoin(
      AccumulatorJoin.AFTER_TRUNCATED_HALVES);

  /**
   * What-if, as {@link #FP8_FP32} but the products aligned to their largest exponent in a window
   * of 23 bits, truncated, instead of summed exactly; the rows cannot tell any window of 23 bits
   * or more from the exact sum.
   */
  public static final BlockFmaParams FP8_FP32_WINDOW_23 = FP8_FP32.toBuilder()
      .alignment(AlignmentMode.TRUNCATE).alignmentBits(23).build();

  /**
   * The published B200 model (Khattak &amp; Mikaitis, {@code B200TC}): C inside the step, 25
   * alignment bits, truncation, RZ. It matches only part of the FP8 rows (RNE in its place does
   * not match them all either).
   */
  public static final BlockFmaParams FP8_FP32_PUBLISHED = BlockFmaParams.of(32, 25, Rounding.RZ,
      FP32);

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
   * same datapath as {@link #FP8_FP32} (the exact sum truncated to FP32, then C added with RNE),
   * each product multiplied by its block's two scales before it is summed
   * ({@link ScalePlacement#PRODUCT}). A hypothesis: no hardware rows exist for these kinds, and the
   * FP8 rows are the only evidence of how this tensor core sums, so the block-scaled kinds follow
   * them; see {@link ScalePlacement} for the placement. The FP4 kinds have K=64 per instruction,
   * so 64 products per step.
   */
  public static final BlockFmaParams MX_FP32 = FP8_FP32.withScalePlacement(ScalePlacement.PRODUCT);

  /** The FP4 block-scaled kinds: 64 products per step (K of one mxf4/mxf4nvf4 instruction). */
  public static final BlockFmaParams MXF4_FP32 = MX_FP32.withProductsPerStep(64);

  private static final String MX_SOURCE = "hypothesis: the B200 FP8 datapath (exact sum truncated"
      + " to FP32, then C with RNE) with scales applied to each product (docs/hardware-facts.md,"
      + " Open questions: where the scale enters is not public); no hardware samples";
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
          "docs/hardware-facts.md, B200 FP8: RNE(RZ_24(exact product sum) + C) matches all 10,000"
              + " rows of this project's analysis"),
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

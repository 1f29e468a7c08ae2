package org.tcsim.h100;

import static org.tcsim.core.format.FpFormat.BF16;
import static org.tcsim.core.format.FpFormat.E4M3;
import static org.tcsim.core.format.FpFormat.E5M2;
import static org.tcsim.core.format.FpFormat.FP16;
import static org.tcsim.core.format.FpFormat.FP32;
import static org.tcsim.core.format.FpFormat.TF32;

import java.util.List;
import java.util.Set;
import org.tcsim.core.datapath.AccumulatorJoin;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.datapath.Evidence;
import org.tcsim.core.datapath.StepOrder;
import org.tcsim.core.datapath.TensorCoreModel;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The Hopper (sm_90a) tensor core: H100, H200 and H800 share it. The datapath values are those of
 * Khattak &amp; Mikaitis, "Accurate Models of NVIDIA Tensor Cores" (ACM TACO, doi 10.1145/3830409,
 * model {@code H100TC}), summarised in docs/hardware-facts.md, Datapaths, except FP8 into FP16,
 * which is tcsim's own
 * finding; every preset reproduces every H100 golden sample shipped in {@code traces}
 * (see GoldenMmaTest).
 */
public final class HopperTensorCore implements TensorCoreModel {

  public static final HopperTensorCore INSTANCE = new HopperTensorCore();

  private static final String PAPER = "Khattak & Mikaitis, ACM TACO, doi 10.1145/3830409 (H100TC)";
  private static final Set<FpFormat> FP8 = Set.of(E4M3, E5M2);

  /**
   * FP8 into FP32: 32 products per step, 13 bits kept below the largest exponent (neab = -10),
   * truncation, and the sum normalised to 13 mantissa bits and truncated (RZ): the low 10 bits of
   * an FP32 result are always zero. The "around 14 bits" of DeepSeek-V3 and the "FP22" of
   * SageAttention2 describe the same adder (docs/hardware-facts.md, Hopper FP8).
   */
  public static final BlockFmaParams FP8_FP32 = BlockFmaParams.of(32, 13, Rounding.RZ, FP32)
      .withNormalisedMantissaBits(13);

  /**
   * FP8 into FP16, as {@code mma.sync.m16n8k32...f16.e4m3.e4m3.f16} computes it: the FP16 HMMA
   * datapath ({@link #HALF_FP16}) run twice from a zero accumulator, first over the products with
   * k mod 4 in {0, 1}, then over those with k mod 4 in {2, 3}, and C added last with one more
   * round-to-nearest-even into FP16. These rows were an open question (docs/hardware-facts.md,
   * FP8 into FP16; the
   * published model, fma 32 with 13 alignment bits, matches 64%); this reproduces all 10000 H100
   * samples. Inferred by tcsim from the data, not from SASS; see {@link StepOrder}.
   */
  public static final BlockFmaParams FP8_FP16 = BlockFmaParams.of(16, 25, Rounding.RNE, FP16)
      .toBuilder().stepOrder(StepOrder.PAIRS_BY_K_MOD_4)
      .accumulatorJoin(AccumulatorJoin.AFTER_ALL_STEPS).build();

  /**
   * FP8 into FP16 through {@code wgmma.mma_async} (the native FP8 datapath, not the FP16 HMMA
   * emulation that {@code mma.sync} uses): the FP8 datapath of {@link #FP8_FP32} with
   * round-to-nearest-even into FP16, the published model's choice: the 32 products and C aligned
   * to the largest exponent (C's included) on a grid 13 bits below it, each truncated, summed, and
   * rounded once to FP16, with no 13-bit normalisation before. It reproduces all 2,560 outputs of
   * {@code wgmma.mma_async.m64n8k32} with FP16 accumulators measured on an H200 (random,
   * subnormal, carry and E5M2 data, non-zero C; golden file h200_wgmma.csv), which the
   * {@code mma.sync} model matches in 1,895.
   */
  public static final BlockFmaParams WGMMA_FP8_FP16 = BlockFmaParams.of(32, 13, Rounding.RNE, FP16);

  /** The published model's FP8-into-FP16 parameters, kept for comparison (64% of the samples). */
  public static final BlockFmaParams FP8_FP16_PUBLISHED = BlockFmaParams.of(32, 13, Rounding.RNE,
      FP16);

  /** FP16 and BF16 into FP32: 16 products per step, 25 alignment bits (neab = 2), RZ. */
  public static final BlockFmaParams HALF_FP32 = BlockFmaParams.of(16, 25, Rounding.RZ, FP32);

  /** FP16 into FP16: as into FP32, with round-to-nearest-even into FP16. */
  public static final BlockFmaParams HALF_FP16 = BlockFmaParams.of(16, 25, Rounding.RNE, FP16);

  /** TF32 into FP32: 8 products per step, 25 alignment bits, RZ. */
  public static final BlockFmaParams TF32_FP32 = BlockFmaParams.of(8, 25, Rounding.RZ, FP32);

  /**
   * wgmma FP8 into FP16 (not chosen by formats alone: {@link #preset(FpFormat, FpFormat, FpFormat,
   * String)} picks it for the wgmma family; listed last so that mma.sync's stays the formats' one).
   */
  private static final DatapathPreset WGMMA_FP8_FP16_PRESET = new DatapathPreset(
      "h100.wgmma.fp8.fp16", FP8, FP8, WGMMA_FP8_FP16, Evidence.MATCHES_HARDWARE,
      "published model (fma 32, neab -10, RNE into FP16) on the native wgmma FP8 datapath: 2,560 of"
          + " 2,560 wgmma outputs with FP16 accumulators measured on an H200 (tcsim capture kit)");

  private static final List<DatapathPreset> PRESETS = List.of(
      new DatapathPreset("h100.fp8.fp32", FP8, FP8, FP8_FP32, Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("h100.fp8.fp16", FP8, FP8, FP8_FP16, Evidence.MATCHES_HARDWARE,
          "tcsim finding: two FP16 HMMA k16 steps over k mod 4 in {0,1} then {2,3}, C added last"),
      new DatapathPreset("h100.fp16.fp32", Set.of(FP16), Set.of(FP16), HALF_FP32,
          Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("h100.fp16.fp16", Set.of(FP16), Set.of(FP16), HALF_FP16,
          Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("h100.bf16.fp32", Set.of(BF16), Set.of(BF16), HALF_FP32,
          Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("h100.tf32.fp32", Set.of(TF32), Set.of(TF32), TF32_FP32,
          Evidence.MATCHES_HARDWARE, PAPER),
      HopperTensorCore.WGMMA_FP8_FP16_PRESET);

  private HopperTensorCore() {}

  /**
   * {@code wgmma} FP8 with an FP16 accumulator runs the native FP8 datapath, unlike
   * {@code mma.sync}, whose measured FP16-output samples fit an FP16 HMMA emulation.
   */
  @Override
  public java.util.Optional<DatapathPreset> preset(FpFormat a, FpFormat b, FpFormat out,
      String family) {
    if ("wgmma.mma_async".equals(family) && out == FP16 && FP8.contains(a) && FP8.contains(b)) {
      return java.util.Optional.of(WGMMA_FP8_FP16_PRESET);
    }
    return preset(a, b, out);
  }

  @Override
  public String name() {
    return "h100";
  }


  @Override
  public String description() {
    return "NVIDIA Hopper (sm_90a: H100, H200, H800) wgmma tensor core; " + PAPER;
  }

  @Override
  public List<DatapathPreset> presets() {
    return PRESETS;
  }
}

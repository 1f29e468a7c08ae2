package org.tcsim.ada;

import static org.tcsim.core.format.FpFormat.BF16;
import static org.tcsim.core.format.FpFormat.E4M3;
import static org.tcsim.core.format.FpFormat.E5M2;
import static org.tcsim.core.format.FpFormat.FP16;
import static org.tcsim.core.format.FpFormat.FP32;
import static org.tcsim.core.format.FpFormat.TF32;

import java.util.List;
import java.util.Set;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.datapath.Evidence;
import org.tcsim.core.datapath.TensorCoreModel;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The Ada Lovelace (sm_89: L40S, L4, RTX 4090) tensor core, FP8 through {@code mma.sync}
 * m16n8k32. Values from Khattak &amp; Mikaitis (ACM TACO, doi 10.1145/3830409, {@code AdaTC});
 * both FP8 presets reproduce every Ada golden sample.
 */
public final class AdaTensorCore implements TensorCoreModel {

  public static final AdaTensorCore INSTANCE = new AdaTensorCore();

  private static final String PAPER = "Khattak & Mikaitis, ACM TACO, doi 10.1145/3830409 (AdaTC)";
  private static final Set<FpFormat> FP8 = Set.of(E4M3, E5M2);

  /**
   * FP8 into FP32: 16 products per step (a k32 MMA is two steps, the first result fed back as C),
   * 13 alignment bits, normalised to 13 mantissa bits, RZ.
   */
  public static final BlockFmaParams FP8_FP32 = BlockFmaParams.of(16, 13, Rounding.RZ, FP32)
      .withNormalisedMantissaBits(13);

  /**
   * FP8 into FP16: the same datapath with round-to-nearest-even into FP16 at each of the two k16
   * steps, the first step's FP16 result fed back as C. This was an open question (a lead matched
   * about 99%; docs/hardware-facts.md, Ada FP8); these parameters reproduce all 5000 Ada FP16-output
   * samples.
   */
  public static final BlockFmaParams FP8_FP16 = BlockFmaParams.of(16, 13, Rounding.RNE, FP16);

  /** FP16/BF16 into FP32: 8 products per step, 24 alignment bits (neab = 1), RZ. */
  public static final BlockFmaParams HALF_FP32 = BlockFmaParams.of(8, 24, Rounding.RZ, FP32);

  /** FP16 into FP16: round to nearest even. */
  public static final BlockFmaParams HALF_FP16 = BlockFmaParams.of(8, 24, Rounding.RNE, FP16);

  /** TF32 into FP32: 4 products per step. */
  public static final BlockFmaParams TF32_FP32 = BlockFmaParams.of(4, 24, Rounding.RZ, FP32);

  private static final List<DatapathPreset> PRESETS = List.of(
      new DatapathPreset("ada.fp8.fp32", FP8, FP8, FP8_FP32, Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("ada.fp8.fp16", FP8, FP8, FP8_FP16, Evidence.MATCHES_HARDWARE,
          PAPER + " values with RNE into FP16 at every k16 step (tcsim finding)"),
      new DatapathPreset("ada.fp16.fp32", Set.of(FP16), Set.of(FP16), HALF_FP32,
          Evidence.PUBLISHED_MODEL, PAPER),
      new DatapathPreset("ada.fp16.fp16", Set.of(FP16), Set.of(FP16), HALF_FP16,
          Evidence.PUBLISHED_MODEL, PAPER),
      new DatapathPreset("ada.bf16.fp32", Set.of(BF16), Set.of(BF16), HALF_FP32,
          Evidence.PUBLISHED_MODEL, PAPER),
      new DatapathPreset("ada.tf32.fp32", Set.of(TF32), Set.of(TF32), TF32_FP32,
          Evidence.PUBLISHED_MODEL, PAPER));

  private AdaTensorCore() {}

  @Override
  public String name() {
    return "ada";
  }


  @Override
  public String description() {
    return "NVIDIA Ada Lovelace (sm_89: L40S, L4) mma.sync tensor core; " + PAPER;
  }

  @Override
  public List<DatapathPreset> presets() {
    return PRESETS;
  }
}

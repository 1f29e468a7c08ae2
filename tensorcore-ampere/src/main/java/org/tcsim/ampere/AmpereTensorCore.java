package org.tcsim.ampere;

import static org.tcsim.core.format.FpFormat.BF16;
import static org.tcsim.core.format.FpFormat.FP16;
import static org.tcsim.core.format.FpFormat.FP32;
import static org.tcsim.core.format.FpFormat.TF32;

import java.util.List;
import java.util.Set;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.datapath.Evidence;
import org.tcsim.core.datapath.TensorCoreModel;
import org.tcsim.core.format.Rounding;

/**
 * The Ampere GA100 (sm_80: A100) tensor core, FP16, BF16 and TF32 through
 * {@code mma.sync}. The values are those of Khattak &amp; Mikaitis, "Accurate Models of NVIDIA
 * Tensor Cores" (ACM TACO, doi 10.1145/3830409), model {@code A100TC} (repository
 * north-numerical-computing/MATLAB-tensor-core, {@code models/A100TC.m}: {@code fma = 8},
 * {@code neab = 1}, {@code frmode = 'rz'}, {@code 'rne'} for FP16 output, {@code fma = 4} for TF32,
 * no sticky bit). Every preset reproduces all 10,000 released A100 rows shipped in {@code traces}
 * bit for bit (GoldenMmaTest); {@code AmpereGoldenTest} shows which near variants the rows reject
 * and which they cannot tell apart.
 *
 * <p>Why each value is what it is:
 *
 * <ul>
 *   <li><b>8 products per step for FP16/BF16, 4 for TF32.</b> The published model's {@code fma}.
 *       A physical reading (tcsim's inference): the A100 whitepaper's 312 dense FP16 TFLOPS on
 *       108 SMs at 1.41 GHz is 1024 FMA per clock per SM, 256 per tensor core, half of Hopper's
 *       512 with 16 products per step, so as many dot-product units each half as wide. TF32 runs
 *       at half the FP16 rate (156 TFLOPS) and takes a 32-bit register per element where FP16
 *       packs two (PTX ISA, "Matrix Fragments for mma.m16n8k4" and "for mma.m16n8k8": the same
 *       registers per thread carry k = 4 TF32 or k = 8 FP16 values), so the same operand bits
 *       carry half the products. The rows are single MMAs whose k equals the step (m16n8k8,
 *       m16n8k4): they reject half the step (two rounded steps) but cannot tell a wider one.
 *   <li><b>24 alignment bits (neab = 1), truncated, no sticky bit.</b> The published model: each
 *       term is shifted to the step's largest exponent keeping FP32's 23 fractional bits plus
 *       one; its maintainers confirm 1 extra bit on A100 against 2 on H100/H200/B200
 *       (MATLAB-tensor-core issue #2). The FP32-output rows reject every width from 20 to 28
 *       bits but 24 (Hopper's 25 included), a sticky bit, rounded terms and an exact sum. The
 *       FP16-output rows hide the adder's low bits and fit 25 bits as well; they share the
 *       FP32 path's adder.
 *   <li><b>C aligned with the products, one normalisation to the output's full precision and
 *       one rounding per step, steps in k order.</b> The published model (global alignment,
 *       recursive summation of steps). The FP32-output rows reject C added exactly after the
 *       products and Hopper FP8's 13-bit normalisation; all rows reject C added after rounding.
 *   <li><b>Round toward zero into FP32, to nearest even into FP16.</b> The published model; the
 *       rows of each output reject the other mode.
 *   <li><b>Subnormal inputs kept.</b> One FP16-to-FP32 row has a subnormal input that flushing
 *       would lose. Subnormal outputs, the alignment exponent floor of -133 and overflow to
 *       infinity are the published model's defaults ({@code models/tools/Generic_BFMA_TC.m}); no
 *       released row exercises them.
 * </ul>
 *
 * <p>These are the values of {@code AdaTC} for the same formats; the two modules stay separate
 * because they describe separate chips, measured separately.
 */
public final class AmpereTensorCore implements TensorCoreModel {

  public static final AmpereTensorCore INSTANCE = new AmpereTensorCore();

  private static final String PAPER = "Khattak & Mikaitis, ACM TACO, doi 10.1145/3830409 (A100TC)";

  /** Products per step for FP16 and BF16 (the model's {@code fma}). */
  public static final int HALF_PRODUCTS_PER_STEP = 8;

  /** Products per step for TF32: half of FP16's, at half the rate. */
  public static final int TF32_PRODUCTS_PER_STEP = 4;

  /** Fractional bits kept below a step's largest exponent: FP32's 23 plus neab = 1. */
  public static final int ALIGNMENT_BITS = 24;

  /** FP16/BF16 into FP32: 8 products per step, 24 alignment bits, truncation, RZ. */
  public static final BlockFmaParams HALF_FP32 =
      BlockFmaParams.of(HALF_PRODUCTS_PER_STEP, ALIGNMENT_BITS, Rounding.RZ, FP32);

  /** FP16 into FP16: the same adder, rounded to nearest even into FP16. */
  public static final BlockFmaParams HALF_FP16 =
      BlockFmaParams.of(HALF_PRODUCTS_PER_STEP, ALIGNMENT_BITS, Rounding.RNE, FP16);

  /** TF32 into FP32: 4 products per step, 24 alignment bits, truncation, RZ. */
  public static final BlockFmaParams TF32_FP32 =
      BlockFmaParams.of(TF32_PRODUCTS_PER_STEP, ALIGNMENT_BITS, Rounding.RZ, FP32);

  private static final List<DatapathPreset> PRESETS = List.of(
      new DatapathPreset("a100.fp16.fp32", Set.of(FP16), Set.of(FP16), HALF_FP32,
          Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("a100.fp16.fp16", Set.of(FP16), Set.of(FP16), HALF_FP16,
          Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("a100.bf16.fp32", Set.of(BF16), Set.of(BF16), HALF_FP32,
          Evidence.MATCHES_HARDWARE, PAPER),
      new DatapathPreset("a100.tf32.fp32", Set.of(TF32), Set.of(TF32), TF32_FP32,
          Evidence.MATCHES_HARDWARE, PAPER));

  private AmpereTensorCore() {}

  @Override
  public String name() {
    return "a100";
  }

  @Override
  public String description() {
    return "NVIDIA Ampere (sm_80: A100) mma.sync tensor core; " + PAPER;
  }

  @Override
  public List<DatapathPreset> presets() {
    return PRESETS;
  }
}

package org.tcsim.core.datapath;

import java.util.Objects;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The parameters of a block fused multiply-add (BFMA) datapath, named as a hardware designer would.
 *
 * <p>One step takes up to {@code productsPerStep} products a[i]*b[i] (each exact) and the accumulator
 * C, finds the largest exponent among them, shifts every term right to that exponent keeping
 * {@code alignmentBits} bits below it (losing the rest as {@code alignment} says), sums the aligned
 * terms in a wide integer adder, normalises the sum once and rounds it once to
 * {@code normalisedMantissaBits} mantissa bits ({@code resultRounding}) in the exponent range of
 * {@code outputFormat}. A dot product longer than one step is done step by step, each result fed
 * back as the next step's C. This is the model of Khattak &amp; Mikaitis (ACM TACO,
 * doi 10.1145/3830409), summarised in FACTS.md §3; their {@code neab} is
 * {@code alignmentBits - 23}.
 *
 * <p>Every what-if study is a change of these values (see the {@code with...} methods), never a
 * change of code.
 *
 * @param productsPerStep how many products one step sums with the accumulator (the model's
 *     {@code fma}); 32 for Hopper FP8, 16 for FP16/BF16, 8 for TF32
 * @param alignmentBits fractional bits kept below the largest exponent of a step (23 + neab); 13
 *     for Hopper FP8, 25 for FP16/BF16/TF32; ignored when {@code alignment} is EXACT
 * @param alignment how a term loses the bits shifted out of the window
 * @param alignmentExponentFloor the largest exponent of a step is never taken below this (the
 *     model's {@code min_exp_limit}, -133); {@link #NO_FLOOR} for none
 * @param accumulatorJoin where C enters the step
 * @param normalisedMantissaBits mantissa bits kept when the sum is normalised (13 for Hopper FP8
 *     into FP32: the low 10 bits of the result are always zero; otherwise the output's own)
 * @param resultRounding the single rounding of a step's normalised sum
 * @param outputFormat the accumulator and result format (FP32, FP16 or BF16)
 * @param inputSubnormals whether subnormal inputs are kept or flushed
 * @param outputSubnormals whether subnormal results are kept or flushed
 * @param overflowToInfinity whether a result beyond the largest finite number becomes ±Inf
 *     whatever the rounding (the published model's rule) rather than following IEEE 754 §7.4
 */
public record BlockFmaParams(
    int productsPerStep,
    int alignmentBits,
    AlignmentMode alignment,
    int alignmentExponentFloor,
    AccumulatorJoin accumulatorJoin,
    int normalisedMantissaBits,
    Rounding resultRounding,
    FpFormat outputFormat,
    SubnormalMode inputSubnormals,
    SubnormalMode outputSubnormals,
    boolean overflowToInfinity) {

  /** The value of {@code alignmentExponentFloor} that means "no floor". */
  public static final int NO_FLOOR = Integer.MIN_VALUE / 4;

  /** Widest alignment window the fast fixed-point adder supports (terms stay below 2^52). */
  public static final int MAX_ALIGNMENT_BITS = 40;

  public BlockFmaParams {
    Objects.requireNonNull(alignment, "alignment");
    Objects.requireNonNull(accumulatorJoin, "accumulatorJoin");
    Objects.requireNonNull(resultRounding, "resultRounding");
    Objects.requireNonNull(outputFormat, "outputFormat");
    Objects.requireNonNull(inputSubnormals, "inputSubnormals");
    Objects.requireNonNull(outputSubnormals, "outputSubnormals");
    if (productsPerStep < 1 || productsPerStep > 1024) {
      throw new IllegalArgumentException("productsPerStep must be 1..1024, got " + productsPerStep);
    }
    if (alignment != AlignmentMode.EXACT
        && (alignmentBits < 0 || alignmentBits > MAX_ALIGNMENT_BITS)) {
      throw new IllegalArgumentException(
          "alignmentBits must be 0.." + MAX_ALIGNMENT_BITS + ", got " + alignmentBits);
    }
    switch (outputFormat) {
      case FP32, FP16, BF16 -> { }
      default -> throw new IllegalArgumentException(
          "outputFormat must be fp32, fp16 or bf16, got " + outputFormat);
    }
    if (normalisedMantissaBits < 1 || normalisedMantissaBits > outputFormat.mantissaBits()) {
      throw new IllegalArgumentException("normalisedMantissaBits must be 1.."
          + outputFormat.mantissaBits() + " for " + outputFormat + ", got " + normalisedMantissaBits);
    }
  }

  /** The published-model parameters with the output's full precision and IEEE-style defaults. */
  public static BlockFmaParams of(int productsPerStep, int alignmentBits, Rounding resultRounding,
      FpFormat outputFormat) {
    return new BlockFmaParams(productsPerStep, alignmentBits, AlignmentMode.TRUNCATE, -133,
        AccumulatorJoin.WITH_PRODUCTS, outputFormat.mantissaBits(), resultRounding, outputFormat,
        SubnormalMode.KEEP, SubnormalMode.KEEP, true);
  }

  /** The model's {@code neab}: extra alignment bits beyond FP32's 23. */
  public int extraAlignmentBits() {
    return alignmentBits - 23;
  }

  public BlockFmaParams withProductsPerStep(int v) {
    return new BlockFmaParams(v, alignmentBits, alignment, alignmentExponentFloor, accumulatorJoin,
        normalisedMantissaBits, resultRounding, outputFormat, inputSubnormals, outputSubnormals,
        overflowToInfinity);
  }

  public BlockFmaParams withAlignmentBits(int v) {
    return new BlockFmaParams(productsPerStep, v, alignment, alignmentExponentFloor, accumulatorJoin,
        normalisedMantissaBits, resultRounding, outputFormat, inputSubnormals, outputSubnormals,
        overflowToInfinity);
  }

  public BlockFmaParams withAlignment(AlignmentMode v) {
    return new BlockFmaParams(productsPerStep, alignmentBits, v, alignmentExponentFloor,
        accumulatorJoin, normalisedMantissaBits, resultRounding, outputFormat, inputSubnormals,
        outputSubnormals, overflowToInfinity);
  }

  public BlockFmaParams withAlignmentExponentFloor(int v) {
    return new BlockFmaParams(productsPerStep, alignmentBits, alignment, v, accumulatorJoin,
        normalisedMantissaBits, resultRounding, outputFormat, inputSubnormals, outputSubnormals,
        overflowToInfinity);
  }

  public BlockFmaParams withAccumulatorJoin(AccumulatorJoin v) {
    return new BlockFmaParams(productsPerStep, alignmentBits, alignment, alignmentExponentFloor, v,
        normalisedMantissaBits, resultRounding, outputFormat, inputSubnormals, outputSubnormals,
        overflowToInfinity);
  }

  public BlockFmaParams withNormalisedMantissaBits(int v) {
    return new BlockFmaParams(productsPerStep, alignmentBits, alignment, alignmentExponentFloor,
        accumulatorJoin, v, resultRounding, outputFormat, inputSubnormals, outputSubnormals,
        overflowToInfinity);
  }

  public BlockFmaParams withResultRounding(Rounding v) {
    return new BlockFmaParams(productsPerStep, alignmentBits, alignment, alignmentExponentFloor,
        accumulatorJoin, normalisedMantissaBits, v, outputFormat, inputSubnormals, outputSubnormals,
        overflowToInfinity);
  }

  /** Another output format; the normalised precision follows it (capped at the new format's). */
  public BlockFmaParams withOutputFormat(FpFormat v) {
    int kept = normalisedMantissaBits == outputFormat.mantissaBits()
        ? v.mantissaBits() : Math.min(normalisedMantissaBits, v.mantissaBits());
    return new BlockFmaParams(productsPerStep, alignmentBits, alignment, alignmentExponentFloor,
        accumulatorJoin, kept, resultRounding, v, inputSubnormals, outputSubnormals,
        overflowToInfinity);
  }

  public BlockFmaParams withInputSubnormals(SubnormalMode v) {
    return new BlockFmaParams(productsPerStep, alignmentBits, alignment, alignmentExponentFloor,
        accumulatorJoin, normalisedMantissaBits, resultRounding, outputFormat, v, outputSubnormals,
        overflowToInfinity);
  }

  public BlockFmaParams withOutputSubnormals(SubnormalMode v) {
    return new BlockFmaParams(productsPerStep, alignmentBits, alignment, alignmentExponentFloor,
        accumulatorJoin, normalisedMantissaBits, resultRounding, outputFormat, inputSubnormals, v,
        overflowToInfinity);
  }

  public BlockFmaParams withOverflowToInfinity(boolean v) {
    return new BlockFmaParams(productsPerStep, alignmentBits, alignment, alignmentExponentFloor,
        accumulatorJoin, normalisedMantissaBits, resultRounding, outputFormat, inputSubnormals,
        outputSubnormals, v);
  }

  /** One line a hardware person reads at a glance. */
  public String describe() {
    String align = alignment == AlignmentMode.EXACT ? "exact alignment"
        : alignmentBits + " alignment bits (neab " + extraAlignmentBits() + "), "
            + alignment.name().toLowerCase(java.util.Locale.ROOT);
    return "BFMA: " + productsPerStep + " products/step, " + align + ", C joins "
        + accumulatorJoin.name().toLowerCase(java.util.Locale.ROOT) + ", normalise to "
        + normalisedMantissaBits + " mantissa bits, " + resultRounding + " into " + outputFormat
        + (inputSubnormals == SubnormalMode.FLUSH_TO_ZERO ? ", FTZ inputs" : "")
        + (outputSubnormals == SubnormalMode.FLUSH_TO_ZERO ? ", FTZ outputs" : "");
  }
}

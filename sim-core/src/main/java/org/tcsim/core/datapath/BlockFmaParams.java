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
 * doi 10.1145/3830409), summarised in docs/hardware-facts.md, The block FMA model; their
 * {@code neab} is
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
 * @param stepOrder which products go into which step when K spans several steps
 * @param scalePlacement where block scales enter, for block-scaled MMAs
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
    boolean overflowToInfinity,
    StepOrder stepOrder,
    ScalePlacement scalePlacement) {

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
    Objects.requireNonNull(stepOrder, "stepOrder");
    Objects.requireNonNull(scalePlacement, "scalePlacement");
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
        SubnormalMode.KEEP, SubnormalMode.KEEP, true, StepOrder.SEQUENTIAL, ScalePlacement.PRODUCT);
  }

  /** The model's {@code neab}: extra alignment bits beyond FP32's 23. */
  public int extraAlignmentBits() {
    return alignmentBits - 23;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public BlockFmaParams withProductsPerStep(int v) {
    return toBuilder().productsPerStep(v).build();
  }

  public BlockFmaParams withAlignmentBits(int v) {
    return toBuilder().alignmentBits(v).build();
  }

  public BlockFmaParams withAlignment(AlignmentMode v) {
    return toBuilder().alignment(v).build();
  }

  public BlockFmaParams withAlignmentExponentFloor(int v) {
    return toBuilder().alignmentExponentFloor(v).build();
  }

  public BlockFmaParams withAccumulatorJoin(AccumulatorJoin v) {
    return toBuilder().accumulatorJoin(v).build();
  }

  public BlockFmaParams withNormalisedMantissaBits(int v) {
    return toBuilder().normalisedMantissaBits(v).build();
  }

  public BlockFmaParams withResultRounding(Rounding v) {
    return toBuilder().resultRounding(v).build();
  }

  /** Another output format; the normalised precision follows it (capped at the new format's). */
  public BlockFmaParams withOutputFormat(FpFormat v) {
    int kept = normalisedMantissaBits == outputFormat.mantissaBits()
        ? v.mantissaBits() : Math.min(normalisedMantissaBits, v.mantissaBits());
    return toBuilder().outputFormat(v).normalisedMantissaBits(kept).build();
  }

  public BlockFmaParams withInputSubnormals(SubnormalMode v) {
    return toBuilder().inputSubnormals(v).build();
  }

  public BlockFmaParams withOutputSubnormals(SubnormalMode v) {
    return toBuilder().outputSubnormals(v).build();
  }

  public BlockFmaParams withOverflowToInfinity(boolean v) {
    return toBuilder().overflowToInfinity(v).build();
  }

  public BlockFmaParams withStepOrder(StepOrder v) {
    return toBuilder().stepOrder(v).build();
  }

  public BlockFmaParams withScalePlacement(ScalePlacement v) {
    return toBuilder().scalePlacement(v).build();
  }

  /** One line a hardware person reads at a glance. */
  public String describe() {
    String align = alignment == AlignmentMode.EXACT ? "exact alignment"
        : alignmentBits + " alignment bits (neab " + extraAlignmentBits() + "), "
            + alignment.name().toLowerCase(java.util.Locale.ROOT);
    return "BFMA: " + productsPerStep + " products/step"
        + (stepOrder == StepOrder.SEQUENTIAL ? "" : " (" + stepOrder.name().toLowerCase(
            java.util.Locale.ROOT) + ")")
        + ", " + align + ", C joins "
        + accumulatorJoin.name().toLowerCase(java.util.Locale.ROOT) + ", normalise to "
        + normalisedMantissaBits + " mantissa bits, " + resultRounding + " into " + outputFormat
        + (inputSubnormals == SubnormalMode.FLUSH_TO_ZERO ? ", FTZ inputs" : "")
        + (outputSubnormals == SubnormalMode.FLUSH_TO_ZERO ? ", FTZ outputs" : "");
  }

  /** Mutable copy of a parameter set, for changing several values at once. */
  public static final class Builder {
    private int productsPerStep;
    private int alignmentBits;
    private AlignmentMode alignment;
    private int alignmentExponentFloor;
    private AccumulatorJoin accumulatorJoin;
    private int normalisedMantissaBits;
    private Rounding resultRounding;
    private FpFormat outputFormat;
    private SubnormalMode inputSubnormals;
    private SubnormalMode outputSubnormals;
    private boolean overflowToInfinity;
    private StepOrder stepOrder;
    private ScalePlacement scalePlacement;

    private Builder(BlockFmaParams p) {
      productsPerStep = p.productsPerStep;
      alignmentBits = p.alignmentBits;
      alignment = p.alignment;
      alignmentExponentFloor = p.alignmentExponentFloor;
      accumulatorJoin = p.accumulatorJoin;
      normalisedMantissaBits = p.normalisedMantissaBits;
      resultRounding = p.resultRounding;
      outputFormat = p.outputFormat;
      inputSubnormals = p.inputSubnormals;
      outputSubnormals = p.outputSubnormals;
      overflowToInfinity = p.overflowToInfinity;
      stepOrder = p.stepOrder;
      scalePlacement = p.scalePlacement;
    }

    public Builder productsPerStep(int v) {
      productsPerStep = v;
      return this;
    }

    public Builder alignmentBits(int v) {
      alignmentBits = v;
      return this;
    }

    public Builder alignment(AlignmentMode v) {
      alignment = v;
      return this;
    }

    public Builder alignmentExponentFloor(int v) {
      alignmentExponentFloor = v;
      return this;
    }

    public Builder accumulatorJoin(AccumulatorJoin v) {
      accumulatorJoin = v;
      return this;
    }

    public Builder normalisedMantissaBits(int v) {
      normalisedMantissaBits = v;
      return this;
    }

    public Builder resultRounding(Rounding v) {
      resultRounding = v;
      return this;
    }

    public Builder outputFormat(FpFormat v) {
      outputFormat = v;
      return this;
    }

    public Builder inputSubnormals(SubnormalMode v) {
      inputSubnormals = v;
      return this;
    }

    public Builder outputSubnormals(SubnormalMode v) {
      outputSubnormals = v;
      return this;
    }

    public Builder overflowToInfinity(boolean v) {
      overflowToInfinity = v;
      return this;
    }

    public Builder stepOrder(StepOrder v) {
      stepOrder = v;
      return this;
    }

    public Builder scalePlacement(ScalePlacement v) {
      scalePlacement = v;
      return this;
    }

    public BlockFmaParams build() {
      return new BlockFmaParams(productsPerStep, alignmentBits, alignment, alignmentExponentFloor,
          accumulatorJoin, normalisedMantissaBits, resultRounding, outputFormat, inputSubnormals,
          outputSubnormals, overflowToInfinity, stepOrder, scalePlacement);
    }
  }
}

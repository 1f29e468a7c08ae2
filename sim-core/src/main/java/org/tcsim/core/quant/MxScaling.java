package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;

/**
 * OCP MX v1.0 block scaling ({@link ScaleMode#VEC32_UE8M0}; docs/hardware-facts.md, Block scaling):
 * 32 elements along K share
 * one E8M0 scale X = 2^E chosen by a {@link MxScaleRule}; each element is x / X (exact: a power of
 * two times an FP32 value fits a double) rounded to the element format, saturating. A K that 32
 * does not divide leaves a partial last block (microxcaling pads with zeros, which is the same).
 *
 * <p>{@code blockSize} is a what-if: OCP MX v1.0 fixes 32 and no hardware or cuBLASLt mode takes
 * another; other sizes (a power of two, 2..1024) quantise the same way with blocks of that many
 * elements along K, and the tensor keeps {@link ScaleMode#VEC32_UE8M0} with that block shape.
 *
 * @param elementFormat E4M3, E5M2 (MXFP8), E3M2, E2M3 (MXFP6) or E2M1 (MXFP4)
 * @param rule the scale rule
 * @param rounding the element rounding (RNE as TE/torchao/hardware; HALF_AWAY as microxcaling)
 * @param blockSize elements per scale block along K ({@link #BLOCK} = 32 as the spec)
 */
public record MxScaling(FpFormat elementFormat, MxScaleRule rule, ElementRounding rounding,
    int blockSize) implements Recipe {

  /** The OCP MX block size. */
  public static final int BLOCK = 32;

  public MxScaling {
    MxScaleRule.checkElement(elementFormat);
    java.util.Objects.requireNonNull(rule, "rule");
    java.util.Objects.requireNonNull(rounding, "rounding");
    checkBlockSize(blockSize);
  }

  /** OCP MX v1.0: blocks of 32. */
  public MxScaling(FpFormat elementFormat, MxScaleRule rule, ElementRounding rounding) {
    this(elementFormat, rule, rounding, BLOCK);
  }

  /** The same recipe with a what-if block size along K. */
  public MxScaling withBlockSize(int size) {
    return new MxScaling(elementFormat, rule, rounding, size);
  }

  /**
   * Throws unless {@code size} is a power of two in 2..1024: the what-if block sizes both MX and
   * the FP32 group recipes accept (powers of two tile the MMA K of 16/32 and the promotion chunk).
   */
  public static int checkBlockSize(int size) {
    if (size < 2 || size > 1024 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException(
          "block size must be a power of two from 2 to 1024, got " + size);
    }
    return size;
  }

  /** MXFP8 E4M3 with element RNE and the given scale rule. */
  public static MxScaling mxfp8(MxScaleRule rule) {
    return new MxScaling(FpFormat.E4M3, rule, ElementRounding.RNE);
  }

  @Override
  public ScaleMode mode() {
    return ScaleMode.VEC32_UE8M0;
  }

  @Override
  public QuantizedTensor quantize(Matrix m, KAxis k, NonFinite policy) {
    BlockShape shape = ScaleMode.VEC32_UE8M0.blockShape(m.rows(), m.cols(), k, blockSize);
    byte[] scaleCodes = new byte[shape.gridRows(m.rows()) * shape.gridCols(m.cols())];
    byte[] codes = new byte[m.rows() * m.cols()];
    Blocks.forEach(m, shape, (index, r0, r1, c0, c1) -> {
      float amax = Blocks.amax(m, r0, r1, c0, c1, policy);
      if (policy == NonFinite.PROPAGATE && Blocks.hasNonFinite(m, r0, r1, c0, c1)) {
        scaleCodes[index] = (byte) FpFormat.E8M0.canonicalNaN();
        return; // element codes stay 0; the NaN scale makes the whole block NaN
      }
      int code = rule.scaleCode(amax, elementFormat);
      scaleCodes[index] = (byte) code;
      int exponent = code - 127;
      Blocks.encode(m, codes, r0, r1, c0, c1,
          x -> rounding.encode(elementFormat, Math.scalb((double) x, -exponent)));
    });
    return new QuantizedTensor(m.rows(), m.cols(), k, ScaleMode.VEC32_UE8M0, elementFormat, shape,
        codes, null, scaleCodes, 1.0f);
  }
}

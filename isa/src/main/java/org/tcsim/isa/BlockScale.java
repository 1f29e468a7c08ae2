package org.tcsim.isa;

import java.util.Objects;
import org.tcsim.core.format.FpFormat;

/**
 * The block scaling of a block-scaled MMA: {@code (A * scale_A) * (B * scale_B) + D}, one scale
 * factor per {@code blockSize} consecutive K elements of a row of A or a column of B (PTX ISA 8.7,
 * §9.7.16.10.7; docs/hardware-facts.md, Block scaling).
 *
 * @param scaleVec the {@code .scale_vec::NX} qualifier (scales per row per MMA)
 * @param scaleFormat E8M0 (PTX {@code ue8m0}, the OCP MX scale) or UE4M3 (the NVFP4 scale)
 * @param blockSize K elements that share one scale: 32 or 16
 */
public record BlockScale(ScaleVec scaleVec, FpFormat scaleFormat, int blockSize) {

  public BlockScale {
    Objects.requireNonNull(scaleVec, "scaleVec");
    Objects.requireNonNull(scaleFormat, "scaleFormat");
    if (scaleFormat != FpFormat.E8M0 && scaleFormat != FpFormat.UE4M3) {
      throw new IllegalArgumentException(
          "block scale format must be e8m0 (ue8m0) or ue4m3, got " + scaleFormat.shortName());
    }
    if (blockSize != 16 && blockSize != 32) {
      throw new IllegalArgumentException("block size must be 16 or 32, got " + blockSize);
    }
  }

  /** The PTX name of the scale type: {@code ue8m0} or {@code ue4m3}. */
  public String scalePtxName() {
    return scaleFormat == FpFormat.E8M0 ? "ue8m0" : "ue4m3";
  }

  @Override
  public String toString() {
    return scalePtxName() + " per " + blockSize + " (" + scaleVec.ptx() + ")";
  }
}

package org.tcsim.isa;

import java.util.Optional;

/**
 * The {@code .scale_vec::NX} qualifier of block-scaled MMAs: N scale factors per row of A (and per
 * column of B) for one MMA, so the block size is K / N (PTX ISA 8.7, §9.7.16.10.7.1, Table 56).
 */
public enum ScaleVec {
  X1(1),
  X2(2),
  X4(4);

  private final int scalesPerRow;

  ScaleVec(int scalesPerRow) {
    this.scalesPerRow = scalesPerRow;
  }

  /** Scale factors per row of A in one MMA. */
  public int scalesPerRow() {
    return scalesPerRow;
  }

  /** The qualifier without its dot: {@code scale_vec::2X}. */
  public String ptx() {
    return "scale_vec::" + scalesPerRow + "X";
  }

  /** Parses {@code scale_vec::1X}, {@code ::2X} or {@code ::4X}. */
  public static Optional<ScaleVec> byPtx(String token) {
    for (ScaleVec v : values()) {
      if (v.ptx().equals(token)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}

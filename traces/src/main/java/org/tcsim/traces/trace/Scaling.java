package org.tcsim.traces.trace;

import java.util.Objects;
import org.tcsim.core.quant.ScaleMode;

/**
 * The scale modes of A and B, named as cuBLASLt's {@code CUBLASLT_MATMUL_DESC_A_SCALE_MODE} /
 * {@code B_SCALE_MODE} (docs/hardware-facts.md, Scale modes), or no scaling at all ({@link #NONE}:
 * the FP8 codes are used
 * as they are, the same as scales of 1).
 *
 * <p>Written in traces as {@code none}, one mode for both operands ({@code SCALAR_32F}) or
 * {@code AMODE/BMODE} ({@code VEC128_32F/BLK128x128_32F}, DeepSeek-V3's recipe).
 *
 * @param a the scale mode of A, null only in {@link #NONE}
 * @param b the scale mode of B, null only in {@link #NONE}
 */
public record Scaling(ScaleMode a, ScaleMode b) {

  /** No scale factors. */
  public static final Scaling NONE = new Scaling(null, null);

  public Scaling {
    if ((a == null) != (b == null)) {
      throw new IllegalArgumentException(
          "scaling needs a mode for both A and B (or none for both), got " + a + " and " + b);
    }
  }

  /** The same mode on both operands. */
  public static Scaling both(ScaleMode mode) {
    return new Scaling(Objects.requireNonNull(mode), mode);
  }

  public boolean isNone() {
    return a == null;
  }

  /** The text written in traces. */
  public String traceName() {
    if (isNone()) {
      return "none";
    }
    return a == b ? a.cublasName() : a.cublasName() + "/" + b.cublasName();
  }

  /** Parses {@code none}, {@code MODE} or {@code AMODE/BMODE} (cuBLASLt names, any case). */
  public static Scaling parse(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.equalsIgnoreCase("none")) {
      return NONE;
    }
    int slash = t.indexOf('/');
    if (slash < 0) {
      return both(ScaleMode.parse(t));
    }
    return new Scaling(ScaleMode.parse(t.substring(0, slash)),
        ScaleMode.parse(t.substring(slash + 1)));
  }

  @Override
  public String toString() {
    return traceName();
  }
}

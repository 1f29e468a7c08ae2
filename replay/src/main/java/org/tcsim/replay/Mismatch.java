package org.tcsim.replay;

import java.util.Locale;
import org.tcsim.core.format.FpFormat;

/**
 * One output element whose bits differ from the expected ones.
 *
 * @param row row of D
 * @param col column of D
 * @param format the format of both codes
 * @param actual the code produced (by the simulator in a replay, by the kernel in an assertion)
 * @param expected the code it should be (the GPU's in a replay, the simulator's in an assertion)
 * @param ulps their distance ({@link CodeDistance}; {@link CodeDistance#NOT_COMPARABLE} with a NaN)
 */
public record Mismatch(int row, int col, FpFormat format, int actual, int expected, long ulps)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** {@code (row 3, col 17): actual 0x3f81 (1.0078125), expected 0x3f80 (1.0), 1 ulp}. */
  public String describe(String actualName, String expectedName) {
    return String.format(Locale.ROOT, "(row %d, col %d): %s 0x%s (%s), %s 0x%s (%s), %s", row, col,
        actualName, format.hex(actual), value(actual), expectedName, format.hex(expected),
        value(expected), ulps == CodeDistance.NOT_COMPARABLE ? "NaN, no ULP distance"
            : ulps + (ulps == 1 ? " ulp" : " ulps"));
  }

  private String value(int code) {
    double v = format.decode(code);
    return Double.isNaN(v) ? "NaN" : Double.toString(v);
  }
}

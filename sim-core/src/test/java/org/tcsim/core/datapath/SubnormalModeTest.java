package org.tcsim.core.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * Flush-to-zero of subnormal inputs and outputs, a what-if parameter (every measured tensor core
 * keeps subnormals). Expected values are worked by hand from the formats' definitions: E4M3 code
 * 0x01 is 2^-9, 0x38 is 1; FP16's subnormals are multiples of 2^-24.
 */
class SubnormalModeTest {

  private static int dot(BlockFmaParams p, int[] a, int[] b) {
    return new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E4M3, p).dot(a, b, a.length, 0);
  }

  @Test
  void flushedInputsCountAsZero() {
    BlockFmaParams keep = BlockFmaParams.of(32, 25, Rounding.RZ, FpFormat.FP32);
    int[] a = {0x01, 0x38};
    int[] b = {0x38, 0x38};
    // 2^-9 * 1 + 1 * 1 = 1 + 2^-9: FP32 0x3F800000 plus 2^14 units of its last place.
    assertEquals(0x3F804000, dot(keep, a, b));
    assertEquals(0x3F800000, dot(keep.withInputSubnormals(SubnormalMode.FLUSH_TO_ZERO), a, b));
  }

  @Test
  void flushedOutputsBecomeZero() {
    BlockFmaParams keep = BlockFmaParams.of(32, 25, Rounding.RNE, FpFormat.FP16);
    int[] a = {0x01};
    int[] b = {0x01};
    // 2^-9 * 2^-9 = 2^-18 = 64 * 2^-24: an FP16 subnormal, code 0x0040.
    assertEquals(0x0040, dot(keep, a, b));
    assertEquals(0x0000, dot(keep.withOutputSubnormals(SubnormalMode.FLUSH_TO_ZERO), a, b));
  }
}

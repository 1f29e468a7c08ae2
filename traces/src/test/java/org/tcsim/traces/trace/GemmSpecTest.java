package org.tcsim.traces.trace;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;

class GemmSpecTest {

  private static GemmSpec.Builder base() {
    return GemmSpec.builder("g", "H100 ", 64, 128, 256);
  }

  private static String refused(UnaryOperator<GemmSpec.Builder> change) {
    return assertThrows(IllegalArgumentException.class, () -> change.apply(base()).build())
        .getMessage();
  }

  @Test
  void flopsAreExact() {
    GemmSpec s = base().groups(3).build();
    assertEquals("h100", s.gpu());
    assertEquals(BigInteger.valueOf(2 * 64 * 128 * 256 * 3).longValueExact(), s.flops());
    assertEquals("3 x 64x128x256", s.shape());
  }

  @Test
  void largestShapesAreAcceptedUpToTheOverflowEdge() {
    // 2 * 2^20 * 2^20 * 2^21 = 2^62 fits; doubling groups makes 2^63, which does not.
    GemmSpec s = GemmSpec.builder("g", "h100", 1 << 20, 1 << 20, 1 << 21).build();
    assertEquals(BigInteger.TWO.pow(62).longValueExact(), s.flops());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> GemmSpec.builder("g", "h100", 1 << 20, 1 << 20, 1 << 21).groups(2).build())
        .getMessage().contains("overflows"));
  }

  @Test
  void badValuesAreRefusedWithTheReason() {
    assertTrue(refused(b -> GemmSpec.builder("g", "h100", 0, 1, 1)).contains("m, n, k"));
    assertTrue(refused(b -> b.groups(0)).contains("groups"));
    assertTrue(refused(b -> GemmSpec.builder(" ", "h100", 1, 1, 1)).contains("name"));
    assertTrue(refused(b -> GemmSpec.builder("a\nb", "h100", 1, 1, 1)).contains("name"));
    assertTrue(refused(b -> GemmSpec.builder("g", "", 1, 1, 1)).contains("gpu"));
    assertTrue(refused(b -> b.formats(FpFormat.BF16, FpFormat.E4M3)).contains("FP8"));
    assertTrue(refused(b -> b.formats(FpFormat.E4M3, FpFormat.E2M1)).contains("FP8"));
    assertTrue(refused(b -> b.outFormat(FpFormat.TF32)).contains("out format"));
    assertTrue(refused(b -> b.alpha(Double.NaN)).contains("alpha"));
    assertTrue(refused(b -> b.beta(Double.POSITIVE_INFINITY)).contains("beta"));
    assertTrue(refused(b -> b.scaling(Scaling.both(ScaleMode.VEC16_UE4M3))).contains("NVFP4"));
    assertTrue(refused(b -> b.scaling(new Scaling(ScaleMode.VEC32_UE8M0, ScaleMode.SCALAR_32F)))
        .contains("do not go together"));
    assertThrows(IllegalArgumentException.class, () -> new Scaling(ScaleMode.SCALAR_32F, null));
  }

  @Test
  void legalScalingPairsAreAccepted() {
    assertDoesNotThrow(() -> base().scaling(new Scaling(ScaleMode.VEC128_32F,
        ScaleMode.BLK128x128_32F)).build());
    assertDoesNotThrow(() -> base().scaling(new Scaling(ScaleMode.OUTER_VEC_32F,
        ScaleMode.SCALAR_32F)).build());
    assertDoesNotThrow(() -> base().scaling(Scaling.both(ScaleMode.VEC32_UE8M0))
        .formats(FpFormat.E5M2, FpFormat.E5M2).outFormat(FpFormat.E4M3).build());
  }

  @Test
  void scalingTextRoundTrips() {
    assertEquals(Scaling.NONE, Scaling.parse("none"));
    assertEquals(Scaling.NONE, Scaling.parse(""));
    assertEquals("VEC128_32F/BLK128x128_32F",
        Scaling.parse("vec128_32f/blk128x128_32f").traceName());
    assertEquals("SCALAR_32F", Scaling.parse("SCALAR_32F/scalar_32f").traceName());
  }
}

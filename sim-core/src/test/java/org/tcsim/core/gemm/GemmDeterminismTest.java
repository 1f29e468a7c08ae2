package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;

/**
 * The same inputs give the same bits for every thread count (1, 2, 3, 4, 7: tiles handed out in a
 * different order and split differently) and on every repeated run, for each of the tile kernels:
 * the row-batch FP8 kernel (H100), the truncated-sum row-batch kernel (B200; also with MXFP8 and
 * NVFP4 scales), the FP16-accumulator kernel (FP8 {@code mma.sync} into FP16), the truncating FP8
 * kernel (a what-if H100 with 20 alignment bits), the generic datapath kernel (the exact sum plus
 * C rounded once) and the block-scaled datapath kernel (MXFP8 on that datapath). Shapes are
 * ragged (not multiples of the kernels' tiles) and span several tiles, so that edge tiles and the
 * tile order are exercised too.
 */
class GemmDeterminismTest {

  private static final int[] THREADS = {1, 2, 3, 4, 7};

  static Stream<Arguments> kernels() {
    return Stream.of(
        Arguments.of("fp8-row-batch", FastKernelEquivalenceTest.H100, ScaleMode.SCALAR_32F),
        Arguments.of("fp8-truncating-fast", FastKernelEquivalenceTest.H100.withAlignmentBits(20),
            ScaleMode.SCALAR_32F),
        Arguments.of("truncated-sum-row-batch", GemmReferenceTest.B200, ScaleMode.SCALAR_32F),
        Arguments.of("fp16-accumulator-row-batch",
            HalfAccumulatorKernelEquivalenceTest.MMA_SYNC_FP16, ScaleMode.SCALAR_32F),
        Arguments.of("datapath", GemmReferenceTest.ONE_ROUNDING, ScaleMode.SCALAR_32F),
        Arguments.of("block-scaled-datapath", GemmReferenceTest.ONE_ROUNDING,
            ScaleMode.VEC32_UE8M0),
        Arguments.of("truncated-sum-row-batch", GemmReferenceTest.B200, ScaleMode.VEC32_UE8M0),
        Arguments.of("truncated-sum-row-batch", GemmReferenceTest.B200,
            ScaleMode.VEC16_UE4M3));
  }

  private static QuantizedTensor operand(int rows, int cols, ScaleMode mode, Random r) {
    FpFormat f = mode == ScaleMode.VEC16_UE4M3 ? FpFormat.E2M1 : FpFormat.E4M3;
    byte[] codes = f == FpFormat.E2M1 ? TruncatedSumKernelEquivalenceTest.codes(f, rows * cols, 1, r)
        : Operands.random(f, rows * cols, r);
    if (mode == ScaleMode.SCALAR_32F) {
      return Operands.perTensor(f, rows, cols, KAxis.ALONG_ROWS, codes, 0.375f);
    }
    var shape = mode.blockShape(rows, cols, KAxis.ALONG_ROWS);
    int blocks = rows * (cols / mode.alongK());
    byte[] scales = new byte[blocks];
    for (int i = 0; i < blocks; i++) {
      // E8M0 2^-7 .. 2^7; UE4M3 2^-5 .. about 2^3
      scales[i] = (byte) (mode == ScaleMode.VEC32_UE8M0 ? 120 + r.nextInt(15)
          : 0x10 + r.nextInt(0x40));
    }
    return new QuantizedTensor(rows, cols, KAxis.ALONG_ROWS, mode, f, shape, codes, null, scales,
        1f);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void sameBitsForEveryThreadCountAndRun(String kernel, BlockFmaParams p, ScaleMode mode) {
    Random r = new Random(kernel.hashCode());
    boolean wideTiles = kernel.endsWith("row-batch");
    int m = wideTiles ? 137 : 37;
    int n = wideTiles ? 1100 : 70;
    int k = 256;
    QuantizedTensor a = operand(m, k, mode, r);
    QuantizedTensor b = operand(n, k, mode, r);
    GemmConfig[] configs = mode == ScaleMode.SCALAR_32F
        ? new GemmConfig[] {GemmConfig.hopper(), GemmConfig.hopper().withFastAccumulation(),
            GemmConfig.hopper().withSplitK(3)}
        : new GemmConfig[] {GemmConfig.hopper(), GemmConfig.hopper().withSplitK(3)};
    for (GemmConfig base : configs) {
      GemmResult first = Gemm.run(p, base.withThreads(1), a, b);
      assertEquals(kernel, first.kernel(), "the case exercises the intended kernel");
      int[] bits = floatBits(first.dFp32());
      for (int threads : THREADS) {
        // threads = 1 again is the repeated run.
        GemmResult again = Gemm.run(p, base.withThreads(threads), a, b);
        assertArrayEquals(bits, floatBits(again.dFp32()),
            kernel + " " + base.describe() + " threads " + threads);
        assertArrayEquals(first.d().codes(), again.d().codes());
        assertEquals(Float.floatToRawIntBits(first.amaxD()),
            Float.floatToRawIntBits(again.amaxD()));
        assertEquals(first.saturated(), again.saturated());
      }
    }
  }

  private static int[] floatBits(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]); // compares NaN payloads and -0 too
    }
    return out;
  }
}

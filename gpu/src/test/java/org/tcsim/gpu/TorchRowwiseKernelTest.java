package org.tcsim.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tcsim.core.gemm.EpilogueOrder;
import org.tcsim.isa.Architecture;

/**
 * PyTorch's row-wise dispatch, one shape per case of
 * {@code dispatch_fp8_rowwise_kernel_on_cluster_size_and_transpose} (RowwiseScaledMM.cu at
 * commit 01386a0), each expected value read off that function by hand: M and N are first rounded
 * up to multiples of 64.
 */
class TorchRowwiseKernelTest {

  @ParameterizedTest(name = "{0} x {1}: transposed {2}")
  @CsvSource({
      // M == 64 && N >= 3072: not transposed
      "64, 4096, false", "1, 3072, false",
      // N == 64 && M >= 3072: transposed
      "4096, 64, true",
      // M == 192 && N >= 4096: transposed; N == 192 && M >= 4096: not
      "130, 4096, true", "4096, 192, false",
      // M*N <= 4096^2: M odd multiple of 128 and N a multiple of 256: transposed; the reverse not
      "384, 512, true", "512, 384, false",
      // both odd multiples of 128: (M <= N) xor (M*N <= 1024^2)
      "384, 640, false", "640, 384, true", "1152, 1408, true", "1408, 1152, false",
      // M, N >= 4096: transposed exactly when M < N
      "8192, 4096, false", "4096, 8192, true", "4096, 4096, false",
      // every remaining shape: transposed
      "256, 256, true", "2048, 2048, true", "1000, 1000, true", "8192, 2048, true"})
  void transposedShapes(long m, long n, boolean transposed) {
    assertEquals(transposed, TorchRowwiseKernel.transposed(m, n));
    assertEquals(transposed ? EpilogueOrder.COLUMN_SCALE_FIRST : EpilogueOrder.ROW_SCALE_FIRST,
        TorchRowwiseKernel.epilogueOrder(Architecture.SM_90A, m, n));
    // The sm_89 kernel has no transposed launch.
    assertEquals(EpilogueOrder.ROW_SCALE_FIRST,
        TorchRowwiseKernel.epilogueOrder(Architecture.SM_89, m, n));
  }
}

package org.tcsim.gpu;

import org.tcsim.core.gemm.EpilogueOrder;
import org.tcsim.isa.Architecture;

/**
 * PyTorch's own CUTLASS kernel for row-wise scaled {@code torch._scaled_mm}
 * (pytorch/pytorch {@code aten/src/ATen/native/cuda/RowwiseScaledMM.cu}, read at commit
 * 01386a0dab6f31f60650f8c59ea7eb0d02bca8c5): which epilogue order a shape runs. The epilogue is
 * {@code wScale * (xScale * acc)}, xScale being A's per-row scale; but on sm_90 and sm_100 the
 * dispatcher ({@code dispatch_fp8_rowwise_kernel_on_cluster_size_and_transpose}) launches some
 * shapes on the transposed problem ({@code handle_transposition} with {@code Transposed = true}
 * passes {@code WQ.t(), XQ.t(), w_scale.t(), x_scale.t()}), where B's scale is applied first. The
 * sm_89 kernel ({@code f8f8bf16_rowwise_impl_sm89}) is never transposed.
 *
 * <p>The dispatch rule changes between PyTorch versions; this is the one at that commit. PyTorch 2.11
 * on an H200 no longer calls this kernel on sm_90 (row-wise {@code _scaled_mm} is a cuBLASLt call
 * there, {@link LibraryRules#epilogueOrder}); tcsim keeps it for sm_100 and sm_89.
 */
public final class TorchRowwiseKernel {

  private TorchRowwiseKernel() {}

  /** The epilogue order of the kernel for an M x N output on {@code architecture}. */
  public static EpilogueOrder epilogueOrder(Architecture architecture, long m, long n) {
    return switch (architecture) {
      case SM_90A, SM_100A -> transposed(m, n) ? EpilogueOrder.COLUMN_SCALE_FIRST
          : EpilogueOrder.ROW_SCALE_FIRST;
      case SM_89, SM_80 -> EpilogueOrder.ROW_SCALE_FIRST;
    };
  }

  /**
   * {@code dispatch_fp8_rowwise_kernel_on_cluster_size_and_transpose}, line for line: M and N
   * rounded up to multiples of 64, then the first matching case decides.
   */
  static boolean transposed(long rawM, long rawN) {
    long m = (rawM + 63) / 64 * 64;
    long n = (rawN + 63) / 64 * 64;
    // Small/skinny shapes with odd multiples of 64.
    if (m == 64 && n >= 3072) {
      return false;
    }
    if (n == 64 && m >= 3072) {
      return true;
    }
    if (m == 192 && n >= 4096) {
      return true;
    }
    if (n == 192 && m >= 4096) {
      return false;
    }
    // Odd multiples of 128 (only if not too large).
    if (m * n <= 4096L * 4096) {
      if (m % 256 > 0 && n % 256 == 0) {
        return true;
      }
      if (n % 256 > 0 && m % 256 == 0) {
        return false;
      }
    }
    if (m % 256 > 0 && n % 256 > 0) {
      return (m <= n) ^ (m * n <= 1024L * 1024);
    }
    // The general case for large tensors.
    if (m >= 4096 && n >= 4096) {
      return m < n;
    }
    // Both remaining branches launch the transposed kernel (with different cluster shapes).
    return true;
  }
}

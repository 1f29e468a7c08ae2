package org.tcsim.blackwell;

import static org.tcsim.gpu.KernelDefaults.FastAccum.IGNORED;
import static org.tcsim.gpu.KernelDefaults.FastAccum.UNSUPPORTED;

import java.util.List;
import java.util.Map;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuProvider;
import org.tcsim.gpu.KernelDefaults;
import org.tcsim.gpu.Library;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.InstructionFamily;

/** The Blackwell data-centre GPUs (sm_100a). */
public final class BlackwellGpus implements GpuProvider {

  private static final int K = Tcgen05Pipeline.K_FP8;

  /**
   * tcgen05.mma accumulates in tensor memory in FP32, so Blackwell FP8 kernels do not promote:
   * cuBLASLt's documentation says {@code CUBLASLT_MATMUL_DESC_FAST_ACCUM} currently affects Ada and
   * Hopper only. CUTLASS's and DeepGEMM's sm100 kernels likewise keep the accumulator in tensor
   * memory (inferred from their sm100 collectives, which have no promotion step).
   */
  static final Map<Library, KernelDefaults> KERNELS = Map.of(
      Library.CUBLASLT, KernelDefaults.of(K, 0, IGNORED,
          "cuBLASLt docs: FAST_ACCUM affects Ada and Hopper only; tcgen05 accumulates in TMEM"),
      Library.CUTLASS, KernelDefaults.of(K, 0, IGNORED,
          "inferred: CUTLASS sm100 collectives accumulate in tensor memory, no promotion"),
      Library.DEEPGEMM, KernelDefaults.of(K, 0, UNSUPPORTED,
          "inferred: DeepGEMM sm100 kernels accumulate in tensor memory, no promotion"),
      Library.TORCH, KernelDefaults.of(K, 0, IGNORED,
          "torch._scaled_mm calls cuBLASLt (see cublaslt)"));

  @Override
  public List<Gpu> gpus() {
    return List.of(new Gpu("b200", "NVIDIA B200", List.of("B200 SXM", "blackwell", "sm_100a",
        "sm_100"), Architecture.SM_100A,
        List.of(InstructionFamily.TCGEN05, InstructionFamily.MMA_SYNC),
        BlackwellTensorCore.INSTANCE, BlackwellMachines.B200, KERNELS));
  }
}

package org.tcsim.ada;

import static org.tcsim.gpu.KernelDefaults.FastAccum.NO_PROMOTION;

import java.util.List;
import java.util.Map;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuProvider;
import org.tcsim.gpu.KernelDefaults;
import org.tcsim.gpu.Library;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.InstructionFamily;
import org.tcsim.timing.MachineFile;
import org.tcsim.timing.MachineSpec;

/**
 * The Ada Lovelace data-centre GPU (sm_89), with its machine description for the timing model
 * ({@code machines/l40s.machine}: datasheet figures, the rest inferred from Hopper and said so).
 */
public final class AdaGpus implements GpuProvider {

  /** FP8 mma.sync is m16n8k32 (PTX ISA, mma "Matrix shape"). */
  private static final int K = 32;

  /**
   * cuBLASLt's documentation says FAST_ACCUM affects Ada, so its Ada FP8 kernels promote without
   * it; the interval is not published and is taken as on Hopper (inferred). DeepGEMM has no sm_89
   * kernels.
   */
  static final Map<Library, KernelDefaults> KERNELS = Map.of(
      Library.CUBLASLT, KernelDefaults.of(K, 4, NO_PROMOTION,
          "cuBLASLt docs: FAST_ACCUM affects Ada; interval 4 inferred as on Hopper"),
      Library.CUTLASS, KernelDefaults.of(K, 4, NO_PROMOTION, "inferred, as cuBLASLt"),
      Library.DEEPGEMM, KernelDefaults.unavailable("DeepGEMM has kernels for sm_90 and sm_100 only"),
      Library.TORCH, KernelDefaults.of(K, 4, NO_PROMOTION,
          "torch._scaled_mm calls cuBLASLt (see cublaslt)"));

  /** L40S: 142 SMs, 733 dense FP8 TFLOPS at 2.52 GHz, 864 GB/s GDDR6, 350 W. */
  public static final MachineSpec L40S = MachineFile.resource(AdaGpus.class, "l40s");

  @Override
  public List<Gpu> gpus() {
    return List.of(new Gpu("l40s", "NVIDIA L40S", List.of("L40S", "ada", "sm_89"),
        Architecture.SM_89, List.of(InstructionFamily.MMA_SYNC), AdaTensorCore.INSTANCE, L40S,
        KERNELS));
  }
}

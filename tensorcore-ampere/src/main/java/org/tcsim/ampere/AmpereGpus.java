package org.tcsim.ampere;

import java.util.EnumMap;
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
 * The A100 (GA100, sm_80), SXM4 and PCIe alike: one tensor core. Its machine description
 * ({@code machines/a100.machine}, the SXM4 80 GB part) has no FP8 MMA, so the timing model refuses
 * every FP8 and FP4 recipe there with that reason. Not the sm_86/sm_87 Ampere parts (RTX 30xx, A10,
 * A2, Orin), which are other chips and unmeasured here.
 */
public final class AmpereGpus implements GpuProvider {

  /**
   * The kernel defaults describe FP8 GEMM kernels, and sm_80 has no FP8 tensor-core instruction
   * (PTX ISA 8.7, §9.7.14.5.14 "mma": the .e4m3/.e5m2 forms need sm_89), so no library has any
   * here.
   */
  static final Map<Library, KernelDefaults> KERNELS = noFp8Kernels();

  private static Map<Library, KernelDefaults> noFp8Kernels() {
    Map<Library, KernelDefaults> kernels = new EnumMap<>(Library.class);
    for (Library l : Library.values()) {
      kernels.put(l, KernelDefaults.unavailable(
          "sm_80 has no FP8 tensor-core instructions (PTX ISA 8.7, §9.7.14.5.14: FP8 mma needs"
              + " sm_89)"));
    }
    return kernels;
  }

  /** A100 SXM4 80 GB: 108 SMs at 1.41 GHz, 2.04 TB/s HBM2e, 400 W, no FP8 tensor-core MMA. */
  public static final MachineSpec A100 = MachineFile.resource(AmpereGpus.class, "a100");

  @Override
  public List<Gpu> gpus() {
    return List.of(new Gpu("a100", "NVIDIA A100",
        List.of("a100-sxm", "a100-sxm4", "A100 SXM4", "a100-pcie", "A100 PCIe", "ampere", "sm_80"),
        Architecture.SM_80, List.of(InstructionFamily.MMA_SYNC), AmpereTensorCore.INSTANCE, A100,
        KERNELS));
  }
}

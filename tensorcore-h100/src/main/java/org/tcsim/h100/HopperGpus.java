package org.tcsim.h100;

import static org.tcsim.gpu.KernelDefaults.FastAccum.NO_PROMOTION;
import static org.tcsim.gpu.KernelDefaults.FastAccum.UNSUPPORTED;

import java.util.List;
import java.util.Map;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuProvider;
import org.tcsim.gpu.KernelDefaults;
import org.tcsim.gpu.Library;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.InstructionFamily;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.ScalingRecipe;

/**
 * The Hopper GPUs (sm_90a). They share one tensor core ({@link HopperTensorCore}) and one set of
 * kernel defaults; they differ in SM count, clocks and memory ({@link HopperMachines}).
 */
public final class HopperGpus implements GpuProvider {

  /** Every wgmma FP8 kernel runs m64nNk32 instructions (PTX ISA, wgmma "Matrix shape"). */
  private static final int K = WgmmaPipeline.K_FP8;

  /**
   * cuBLASLt's row-wise (OUTER_VEC_32F) and block-scaled (VEC128_32F x BLK128x128_32F) kernels on
   * sm_90 run 128x128 tiles at every shape measured, M from 1 to 8192 (its API log; per-tensor
   * kernels vary their tile with the shape, from 64x8 to 320x128).
   */
  private static final Map<ScalingRecipe, String> CUBLASLT_TILES =
      Map.of(ScalingRecipe.ROWWISE, "128x128", ScalingRecipe.BLOCKWISE, "128x128");
  private static final String CUBLASLT_TILES_SEEN = "cuBLASLt 13 API log on an H200, 56 row-wise and "
      + "block-scaled GEMMs (docs/timing/h200-measured.csv)";

  /**
   * FP8 GEMM kernels on Hopper promote the wgmma partial sum into FP32 registers every four k32
   * instructions (128 K). CUTLASS: {@code include/cutlass/gemm/collective/fp8_accumulation.hpp},
   * {@code mma_promotion_interval} = 4; DeepGEMM: the accumulator restarts every BLOCK_K = 128
   * ({@code sm90_fp8_gemm_1d2d.cuh}); cuBLASLt's interval is not published and is taken to be the
   * same. The fast-accumulation flag turns promotion off (cuBLASLt documentation,
   * {@code CUBLASLT_MATMUL_DESC_FAST_ACCUM}; CUTLASS's {@code ...FP8FastAccum} kernel schedules).
   */
  static final Map<Library, KernelDefaults> KERNELS = Map.of(
      Library.CUBLASLT, KernelDefaults.of(K, 4, NO_PROMOTION,
          "cuBLASLt docs, CUBLASLT_MATMUL_DESC_FAST_ACCUM; interval 4 inferred from CUTLASS")
          .withTiles(CUBLASLT_TILES, CUBLASLT_TILES_SEEN),
      Library.CUTLASS, KernelDefaults.of(K, 4, NO_PROMOTION,
          "CUTLASS fp8_accumulation.hpp (mma_promotion_interval = 4), FP8FastAccum schedules"),
      Library.DEEPGEMM, KernelDefaults.of(K, 4, UNSUPPORTED,
          "DeepGEMM sm90_fp8_gemm_1d2d.cuh: accumulator restarts every BLOCK_K = 128"),
      Library.TORCH, KernelDefaults.of(K, 4, NO_PROMOTION,
          "torch._scaled_mm: cuBLASLt (use_fast_accum = FAST_ACCUM), row-wise too with PyTorch 2.11"
              + " (its cuBLASLt API log on an H200)")
          .withTiles(CUBLASLT_TILES, CUBLASLT_TILES_SEEN));

  private static final List<InstructionFamily> FAMILIES =
      List.of(InstructionFamily.WGMMA, InstructionFamily.MMA_SYNC);

  @Override
  public List<Gpu> gpus() {
    return List.of(
        hopper("h100", "NVIDIA H100 SXM5", HopperMachines.H100_SXM,
            "h100-sxm", "h100-sxm5", "H100 SXM5", "hopper", "sm_90a", "sm_90"),
        hopper("h100-pcie", "NVIDIA H100 PCIe", HopperMachines.H100_PCIE, "H100 PCIe"),
        hopper("h200", "NVIDIA H200 SXM", HopperMachines.H200, "h200-sxm", "H200 SXM"),
        hopper("h800", "NVIDIA H800 SXM5", HopperMachines.H800, "h800-sxm", "h800-sxm5",
            "H800 SXM5"));
  }

  private static Gpu hopper(String id, String name, MachineSpec machine, String... aliases) {
    return new Gpu(id, name, List.of(aliases), Architecture.SM_90A, FAMILIES,
        HopperTensorCore.INSTANCE, machine, KERNELS);
  }
}

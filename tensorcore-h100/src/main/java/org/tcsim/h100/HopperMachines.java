package org.tcsim.h100;

import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;

/**
 * Machine descriptions of Hopper GPUs for the timing model, as data. Each figure names its source:
 * D = vendor documentation, M = measured (paper), I = inferred, F = fitted to
 * deepgemm_h800_dense.csv (DeepGEMM README, commit 327ec92) by the calibration test. The fitted
 * figures are one
 * efficiency per unit plus a fixed kernel cost, shared by every Hopper part (same SM design).
 */
public final class HopperMachines {

  /**
   * Fitted: sustained share of the MMA peak (boost clock not held under FP8 load;
   * docs/hardware-facts.md, Power).
   */
  public static final double MMA_EFFICIENCY = 0.76;
  /** Fitted: share of the HBM datasheet peak a streaming kernel sustains. */
  public static final double HBM_EFFICIENCY = 0.85;
  /** Fitted within the range of public microbenchmarks: L2-to-SM bandwidth of a 132-SM part, TB/s. */
  public static final double L2_TBPS_132_SMS = 7.0;
  /** Fitted: fixed kernel cost (launch, barrier/descriptor prologue, teardown), microseconds. */
  public static final double LAUNCH_US = 2.0;
  /** Fitted: CUDA-core instructions per output element in the epilogue (convert, stmatrix, addressing). */
  public static final double EPILOGUE_OPS = 3;

  private HopperMachines() {}

  /** H100 SXM5: 132 SMs, 1.83 GHz, 3.35 TB/s HBM3, 50 MB L2 (H100 datasheet, D). */
  public static final MachineSpec H100_SXM = hopper("h100-sxm", 132, 1.83, "D: H100 datasheet (989 BF16 TFLOPS = 132 x 1.83 GHz x 4096)",
      3.35, "D: H100 datasheet, HBM3").build();

  /**
   * H800 SXM5: the export variant with the same SMs, clocks and memory as H100 SXM
   * (docs/hardware-facts.md, Rates and clocks).
   */
  public static final MachineSpec H800 = H100_SXM.toBuilder("h800").build();

  /** H200: an H100 SXM with 141 GB HBM3e at 4.8 TB/s (H200 datasheet, D). */
  public static final MachineSpec H200 = H100_SXM.toBuilder("h200")
      .set(MachineParam.HBM_TBPS, 4.8, "D: H200 datasheet, HBM3e").build();

  /**
   * H100 PCIe: 114 SMs, 1.755 GHz max, 2.0 TB/s HBM2e (H100 datasheet, D). The datasheet's
   * 1513 FP8 TFLOPS corresponds to about 1.62 GHz at 8192 FLOP/clk/SM; we keep the documented
   * clock and let mma_efficiency stand for the gap, as on the SXM parts.
   */
  public static final MachineSpec H100_PCIE = hopper("h100-pcie", 114, 1.755, "D: H100 datasheet, max boost",
      2.0, "D: H100 datasheet, HBM2e")
      .set(MachineParam.L2_TBPS, L2_TBPS_132_SMS * 114 / 132 * 1.755 / 1.83,
          "I: 132-SM figure scaled by SM count and clock")
      .build();

  private static MachineSpec.Builder hopper(String name, int sms, double clockGhz, String clockSource,
      double hbmTbps, String hbmSource) {
    return MachineSpec.builder(name)
        .set(MachineParam.SMS, sms, "D: H100 datasheet")
        .set(MachineParam.CLOCK_GHZ, clockGhz, clockSource)
        .set(MachineParam.MMA_FLOPS_PER_CLK, WgmmaPipeline.FP8_FLOPS_PER_CLK, "D: H100 datasheet dense FP8")
        .set(MachineParam.MMA_EFFICIENCY, MMA_EFFICIENCY, "F: calibration, deepgemm_h800_dense.csv")
        .set(MachineParam.MMA_K, WgmmaPipeline.K_FP8, "D: PTX ISA wgmma m64nNk32 for FP8")
        .set(MachineParam.MMA_TAIL_CYCLES, WgmmaPipeline.TAIL_CYCLES,
            "M: Luo et al. arXiv 2402.13499, latency = occupancy (docs/hardware-facts.md,"
                + " Latencies)")
        .set(MachineParam.MMA_CTA_GROUP, 1, "D: wgmma is issued per CTA")
        .set(MachineParam.HW_BLOCK_SCALING, 0, "D: wgmma has no scale operands; promotion on CUDA"
            + " cores (docs/hardware-facts.md, Library GEMM semantics)")
        .set(MachineParam.ACCUM_BUFFERS, 1, "D: wgmma accumulates in registers")
        .set(MachineParam.CUDA_FP32_LANES, 128, "D: NVIDIA H100 whitepaper, 128 FP32 cores per SM")
        .set(MachineParam.PROMOTE_OPS, 1, "I: one FFMA per element (acc += scale * partial)")
        .set(MachineParam.EPILOGUE_OPS, EPILOGUE_OPS, "F: calibration (convert, stmatrix, address math)")
        .set(MachineParam.MATH_REGS, 192, "I: 232 registers per math thread (setmaxnreg) less ~40 for addressing")
        .set(MachineParam.SMEM_KB, 227, "D: 228 KB per SM, 227 KB per block (CUDA guide, cc 9.0)")
        .set(MachineParam.MAX_STAGES, 16,
            "D: DeepGEMM stage cap (docs/hardware-facts.md, Kernel structure)")
        .set(MachineParam.SYNC_CYCLES, 29, "M: shared-memory latency (Luo et al.), one mbarrier hand-off")
        .set(MachineParam.L2_MB, 50, "D: H100 datasheet")
        .set(MachineParam.L2_TBPS, L2_TBPS_132_SMS, "F: calibration; public microbenchmarks report 5.5-7.5 TB/s")
        .set(MachineParam.L2_LATENCY, 263, "M: Luo et al. (docs/hardware-facts.md, Latencies)")
        .set(MachineParam.HBM_TBPS, hbmTbps, hbmSource)
        .set(MachineParam.HBM_EFFICIENCY, HBM_EFFICIENCY, "F: calibration, deepgemm_h800_dense.csv")
        .set(MachineParam.HBM_LATENCY, 479,
            "M: Luo et al. global-memory latency (docs/hardware-facts.md, Latencies)")
        .set(MachineParam.TMA_LATENCY, 170,
            "M: Luo et al. TMA overhead (docs/hardware-facts.md, Latencies)")
        .set(MachineParam.LAUNCH_US, LAUNCH_US, "F: calibration, deepgemm_h800_dense.csv");
  }
}

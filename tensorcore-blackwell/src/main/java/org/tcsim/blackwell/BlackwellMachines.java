package org.tcsim.blackwell;

import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;

/**
 * Machine descriptions of Blackwell GPUs for the timing model, as data. D = vendor documentation,
 * M = measured, I = inferred. No Blackwell calibration data exists in this project, so the
 * efficiencies are the Hopper fits (I) and the B200 figures are a prediction, not a fit.
 */
public final class BlackwellMachines {

  private BlackwellMachines() {}

  /**
   * B200: 148 SMs, 4.5 PFLOPS dense FP8/MXFP8, 8 TB/s HBM3e, TMEM, 2-CTA MMA (DGX B200 datasheet,
   * PTX ISA; docs/hardware-facts.md, Timing).
   */
  public static final MachineSpec B200 = MachineSpec.builder("b200")
      .set(MachineParam.SMS, 148, "D: docs/hardware-facts.md, Rates and clocks")
      .set(MachineParam.CLOCK_GHZ, 4.5e15 / (148 * 16384.0) / 1e9,
          "I: 4.5 PFLOPS / (148 SMs x 16384 FLOP/clk), about 1.86 GHz")
      .set(MachineParam.MMA_FLOPS_PER_CLK, Tcgen05Pipeline.FP8_FLOPS_PER_CLK,
          "I: cuDNN-frontend (docs/hardware-facts.md, Rates and clocks)")
      .set(MachineParam.MMA_EFFICIENCY, 0.76, "I: Hopper fit")
      .set(MachineParam.MMA_K, Tcgen05Pipeline.K_FP8, "D: PTX ISA tcgen05 kind::f8f6f4")
      .set(MachineParam.MMA_TAIL_CYCLES, Tcgen05Pipeline.TAIL_CYCLES, "I: as Hopper")
      .set(MachineParam.MMA_CTA_GROUP, Tcgen05Pipeline.CTA_GROUP, "D: PTX ISA tcgen05 cta_group::2")
      .set(MachineParam.HW_BLOCK_SCALING, 1, "D: PTX ISA tcgen05.mma kind::mxf8f6f4 block scaling")
      .set(MachineParam.ACCUM_BUFFERS, Tcgen05Pipeline.ACCUM_BUFFERS, "D: TMEM 256 KB/SM (PTX ISA, tensor memory)")
      .set(MachineParam.CUDA_FP32_LANES, 128, "D: Blackwell SM has 128 FP32 cores")
      .set(MachineParam.PROMOTE_OPS, 1, "I: as Hopper (used only by recipes needing promotion)")
      .set(MachineParam.EPILOGUE_OPS, 3, "I: Hopper fit")
      .set(MachineParam.MATH_REGS, 192, "I: as Hopper (accumulators live in TMEM)")
      .set(MachineParam.SMEM_KB, 227, "I: as Hopper, 228 KB per SM")
      .set(MachineParam.MAX_STAGES, 16, "I: as Hopper kernels")
      .set(MachineParam.SYNC_CYCLES, 29, "I: Hopper shared-memory latency")
      .set(MachineParam.L2_MB, 126,
          "I: commonly reported B200 L2 size, unverified (docs/hardware-facts.md, Memory)")
      .set(MachineParam.L2_TBPS, 7.0 * 148 / 132, "I: Hopper fit scaled by SM count")
      .set(MachineParam.L2_LATENCY, 263, "I: Hopper figure")
      .set(MachineParam.HBM_TBPS, 8.0, "D: DGX B200 datasheet")
      .set(MachineParam.HBM_EFFICIENCY, 0.85, "I: Hopper fit")
      .set(MachineParam.HBM_LATENCY, 479, "I: Hopper figure")
      .set(MachineParam.TMA_LATENCY, 170, "I: Hopper figure")
      .set(MachineParam.LAUNCH_US, 2.0, "I: Hopper fit")
      .build();
}

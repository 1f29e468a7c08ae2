package org.tcsim.timing;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The named parameters of a machine description. Every figure the timing model uses comes from
 * one of these, so a what-if study is a parameter change ({@code --set hbm_tbps=6}), never a code
 * change. The key is the CLI spelling.
 */
public enum MachineParam {
  SMS("sms", "SMs", "streaming multiprocessors"),
  CLOCK_GHZ("clock_ghz", "GHz", "boost clock the datasheet peak is quoted at (the clock under load follows from the power model)"),
  MAX_CLOCK_GHZ("max_clock_ghz", "GHz", "highest clock the board holds while under its power limit (the larger of it and clock_ghz is the ceiling)"),
  MMA_FLOPS_PER_CLK("mma_flops_per_clk", "FLOP/clk/SM", "dense FP8 tensor-core rate of one SM; 0 = no FP8 MMA"),
  FP4_FLOPS_PER_CLK("fp4_flops_per_clk", "FLOP/clk/SM", "dense FP4 (NVFP4/MXFP4) tensor-core rate of one SM; 0 = no FP4 MMA"),
  MMA_EFFICIENCY("mma_efficiency", "fraction", "share of the MMA issue rate a stream of MMAs sustains at a given clock"),
  MMA_K("mma_k", "elements", "K of one MMA instruction (wgmma k32 for FP8)"),
  MMA_TAIL_CYCLES("mma_tail_cycles", "cycles", "latency of an MMA beyond its issue occupancy"),
  MMA_CTA_GROUP("mma_cta_group", "SMs", "SMs one MMA spans (2 = tcgen05 cta_group::2)"),
  TMA_MULTICAST("tma_multicast", "0/1", "1 if the CTAs of a cluster of two can multicast TMA loads (sm_90 and later)"),
  HW_BLOCK_SCALING("hw_block_scaling", "0/1", "1 if the MMA applies block scales itself (no FP32 promotion)"),
  FP32_BLOCK_SCALES("fp32_block_scales", "0/1", "1 if tuned kernels apply 1x128/128x128 FP32 block scales (recipe block) on this GPU"),
  SCALE_COPY_CYCLES("scale_copy_cycles", "cycles", "tensor-pipe cycles per K block to stage hardware block scales"),
  ACCUM_BUFFERS("accum_buffers", "count", "accumulator buffers per CTA (2 = TMEM double buffer: epilogue overlaps)"),
  CUDA_FP32_LANES("cuda_fp32_lanes", "lanes/SM", "FP32 CUDA-core lanes of one SM"),
  PROMOTE_OPS("promote_ops", "ops/element", "CUDA-core instructions per accumulator element per promotion"),
  EPILOGUE_OPS("epilogue_ops", "ops/element", "CUDA-core instructions per output element in the epilogue"),
  MATH_REGS("math_regs", "registers", "registers per math thread available for accumulators"),
  SMEM_KB("smem_kb", "KiB/SM", "shared memory per SM"),
  MAX_STAGES("max_stages", "count", "deepest TMA pipeline the kernel unrolls"),
  SYNC_CYCLES("sync_cycles", "cycles", "one mbarrier hand-off between warps (a shared-memory round trip)"),
  L2_MB("l2_mb", "MiB", "L2 cache capacity"),
  L2_TBPS("l2_tbps", "TB/s", "L2-to-SM bandwidth of the whole chip at clock_ghz (it scales with the clock)"),
  L2_LATENCY("l2_latency", "cycles", "L2 hit latency"),
  HBM_TBPS("hbm_tbps", "TB/s", "HBM bandwidth (datasheet peak)"),
  HBM_EFFICIENCY("hbm_efficiency", "fraction", "share of the HBM peak a streaming kernel sustains (fitted)"),
  HBM_LATENCY("hbm_latency", "cycles", "global-memory latency on an L2 miss"),
  TMA_LATENCY("tma_latency", "cycles", "extra latency of a TMA load over a plain load"),
  LAUNCH_US("launch_us", "us", "fixed kernel cost: launch, prologue, teardown (fitted)"),
  POWER_LIMIT_W("power_limit_w", "W", "board power limit the clock is held under"),
  STATIC_POWER_W("static_power_w", "W", "power under load that does not follow tensor-core activity (leakage, memory, fabric)"),
  MMA_POWER_W("mma_power_w", "W/SM", "further power of one SM's tensor cores issuing at full rate at clock_ghz on random operands"),
  CLOCK_POWER_EXPONENT("clock_power_exponent", "exponent", "tensor-core power grows as clock^this (voltage rising with clock)"),
  DATA_ACTIVITY("data_activity", "fraction", "operand bit toggling relative to random data (1 = random, 0 = zeros)"),
  DATA_POWER_SHARE("data_power_share", "fraction", "share of tensor-core power that follows operand toggling");

  private final String key;
  private final String unit;
  private final String meaning;

  MachineParam(String key, String unit, String meaning) {
    this.key = key;
    this.unit = unit;
    this.meaning = meaning;
  }

  public String key() {
    return key;
  }

  public String unit() {
    return unit;
  }

  public String meaning() {
    return meaning;
  }

  /** The parameter with this key; an unknown key is an error naming every valid key. */
  public static MachineParam byKey(String key) {
    String wanted = key.trim().toLowerCase(Locale.ROOT);
    for (MachineParam p : values()) {
      if (p.key.equals(wanted)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown machine parameter '" + key + "'; valid keys: " + validKeys());
  }

  /** Every key, comma separated, in declaration order. */
  public static String validKeys() {
    return Arrays.stream(values()).map(MachineParam::key).collect(Collectors.joining(", "));
  }
}

package org.tcsim.h100;

import org.tcsim.isa.MmaInstruction;
import org.tcsim.isa.OperandSource;
import org.tcsim.timing.InstructionTiming;

/**
 * Issue and latency of Hopper's tensor-core instructions, the figures the timing model's MMA unit
 * is built from.
 *
 * <p>{@code wgmma.mma_async}: the SM's four tensor cores run at a dense rate of 8192 FLOP/clk for
 * 8-bit inputs, 4096 for 16-bit and 2048 for TF32 (NVIDIA H100 whitepaper), so an m64nNkK wgmma
 * occupies them 2*64*N*K / rate = N/2 cycles for every input type. Its operands stream from shared
 * memory at 128 bytes per clock (32 banks of 4 bytes, CUDA C++ Programming Guide, shared memory):
 * B always, A too unless it comes from registers; an instruction issues every max(occupancy,
 * operand bytes / 128) cycles. Luo et al. (arXiv 2402.13499, 2501.12084) measured m64n256k32 FP8
 * completing in 128 cycles and smaller N in about N/2, which is this occupancy: latency equals
 * occupancy (no measurable tail), so dependent wgmmas on one accumulator pipeline back to back.
 * With A in shared memory and N below 64 the operand fetch (A alone is 2 KB) exceeds N/2 cycles in
 * this model; no published measurement covers that case.
 *
 * <p>{@code mma.sync} (the pre-Hopper warp-level MMA) is not derived but measured: Luo et al. found
 * m16n8k32 FP8 on an H800 at about 24 cycles of latency and about 63% of the dense peak.
 */
public final class WgmmaPipeline {
  /** Rows of one wgmma (PTX ISA: wgmma shapes are m64nNk*). */
  public static final int M = 64;
  /** K of one FP8 wgmma (PTX ISA: .e4m3/.e5m2 shapes are m64nNk32). */
  public static final int K_FP8 = 32;
  /** Dense FP8 FLOPs per clock per SM (NVIDIA H100 whitepaper: 1979 TFLOPS = 132 x 1.83 GHz x 8192). */
  public static final int FP8_FLOPS_PER_CLK = 8192;
  /** Latency beyond occupancy: none measurable (see class comment). */
  public static final double TAIL_CYCLES = 0;
  /** Shared-memory bytes per clock per SM. */
  public static final int SMEM_BYTES_PER_CLK = 128;
  /** mma.sync m16n8k32 FP8 latency on Hopper, cycles (M: Luo et al. arXiv 2402.13499). */
  public static final double MMA_SYNC_FP8_LATENCY = 24;
  /** mma.sync m16n8k32 FP8 share of the dense peak on Hopper (M: Luo et al. arXiv 2402.13499). */
  public static final double MMA_SYNC_FP8_PEAK_SHARE = 0.63;

  private WgmmaPipeline() {}

  /** Cycles the SM's tensor cores are busy with one m64nNk32 FP8 wgmma. */
  public static double occupancyCycles(int n) {
    if (n < 8 || n > 256 || n % 8 != 0) {
      throw new IllegalArgumentException("wgmma N must be a multiple of 8 in 8..256: " + n);
    }
    return 2.0 * M * n * K_FP8 / FP8_FLOPS_PER_CLK;
  }

  /** Cycles from issue to completion of one m64nNk32 FP8 wgmma (about N/2, M: Luo et al.). */
  public static double latencyCycles(int n) {
    return occupancyCycles(n) + TAIL_CYCLES;
  }

  /** Dense FLOP per clock per SM for inputs of {@code bits} bits (8: 8192, 16: 4096, TF32: 2048). */
  public static double denseRate(int bits) {
    return bits <= 8 ? FP8_FLOPS_PER_CLK : bits <= 16 ? FP8_FLOPS_PER_CLK / 2.0 : FP8_FLOPS_PER_CLK / 4.0;
  }

  /** The timing of a wgmma or mma.sync instruction on {@code gpu} (a Hopper part). */
  public static InstructionTiming timing(String gpu, MmaInstruction i) {
    int bits = i.a().bits();
    double rate = denseRate(bits);
    return switch (i.family()) {
      case WGMMA -> {
        double occupancy = i.flops() / rate;
        double bytes = (double) i.shape().n() * i.shape().k() * bits / 8;
        if (i.aSource() == OperandSource.SHARED_MEMORY) {
          bytes += (double) i.shape().m() * i.shape().k() * bits / 8;
        }
        double issue = Math.max(occupancy, bytes / SMEM_BYTES_PER_CLK);
        String basis = "occupancy 2*M*N*K / " + (int) rate + " FLOP/clk = " + fmt(occupancy) + " cycles; operands "
            + fmt(bytes) + " B from shared memory at 128 B/clk; latency = occupancy as measured by Luo et al."
            + " (arXiv 2402.13499: m64n256k32 FP8 128 cycles, about N/2 for smaller N)";
        yield new InstructionTiming(gpu, issue + TAIL_CYCLES, issue, occupancy / issue, basis);
      }
      case MMA_SYNC -> {
        if (bits != 8) {
          yield new InstructionTiming(gpu, Double.NaN, Double.NaN, Double.NaN,
              "no published measurement of this mma.sync type on Hopper");
        }
        double issue = i.flops() / (rate * MMA_SYNC_FP8_PEAK_SHARE);
        yield new InstructionTiming(gpu, MMA_SYNC_FP8_LATENCY, issue, MMA_SYNC_FP8_PEAK_SHARE,
            "measured: Luo et al. arXiv 2402.13499, m16n8k32 FP8 on H800 about 24 cycles at about 63% of peak"
                + " (issue interval per SM from that share)");
      }
      case TCGEN05 -> throw new IllegalArgumentException("tcgen05 does not run on Hopper");
    };
  }

  static String fmt(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : String.format(java.util.Locale.ROOT, "%.1f", x);
  }
}

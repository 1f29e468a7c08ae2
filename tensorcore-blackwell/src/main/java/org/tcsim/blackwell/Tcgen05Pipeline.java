package org.tcsim.blackwell;

import org.tcsim.isa.MmaInstruction;
import org.tcsim.isa.OperandSource;
import org.tcsim.isa.Tcgen05Instruction;
import org.tcsim.timing.InstructionTiming;

/**
 * Blackwell's {@code tcgen05.mma} as the timing model sees it (PTX ISA, tcgen05 chapter):
 * issued by a single thread, accumulating in tensor memory (TMEM: 128 lanes x 512 columns x 32 bit
 * = 256 KB per SM), so a CTA can double-buffer its accumulator and overlap the epilogue of one tile
 * with the MMAs of the next; {@code cta_group::2} spans the two SMs of a CTA pair, each holding half
 * the A rows and reading half of B; the block-scaled kinds apply E8M0/UE4M3 scales inside the MMA,
 * so no CUDA-core promotion is needed.
 *
 * <p>No public microbenchmark gives tcgen05 latency or issue rates, so the figures here are
 * inferred: each SM's tensor cores run at the datasheet's dense rate (B200: 4.5 PFLOPS FP8 and
 * 9 PFLOPS FP4 over 148 SMs at 1.86 GHz: 16384 and 32768 FLOP/clk; 8192 for 16-bit, 4096 for TF32),
 * the operands stream from shared memory at Hopper's 128 bytes per clock, block scales cost
 * {@code scale_copy_cycles} to stage, and latency is taken to equal occupancy as on Hopper.
 */
public final class Tcgen05Pipeline {
  /** Dense FP8 / MXFP8 FLOPs per clock per SM (datasheet 4.5 PFLOPS / 148 SMs / 1.86 GHz). */
  public static final int FP8_FLOPS_PER_CLK = 16384;
  /** K of one FP8 tcgen05.mma (PTX ISA: kind::f8f6f4 has K = 32). */
  public static final int K_FP8 = 32;
  /** TMEM columns per SM (128 lanes x 512 columns x 4 bytes = 256 KB). */
  public static final int TMEM_COLUMNS = 512;
  /** SMs one cta_group::2 MMA spans. */
  public static final int CTA_GROUP = 2;
  /** Accumulator buffers a persistent kernel keeps in TMEM (two 256-column tiles fill it). */
  public static final int ACCUM_BUFFERS = 2;
  /** Latency beyond occupancy; not measured publicly, taken as Hopper's (none). */
  public static final double TAIL_CYCLES = 0;
  /** Shared-memory bytes per clock per SM (Hopper's figure; Blackwell keeps the 256 KB L1/shared design). */
  public static final int SMEM_BYTES_PER_CLK = 128;
  /** Cycles to stage a block-scaled MMA's scale factors (the B200 description's scale_copy_cycles). */
  public static final double SCALE_COPY_CYCLES = 16;

  private Tcgen05Pipeline() {}

  /** Dense FLOP per clock per SM for a tcgen05 kind. */
  public static double denseRate(Tcgen05Instruction i) {
    return switch (i.kind()) {
      case F16 -> FP8_FLOPS_PER_CLK / 2.0;
      case TF32 -> FP8_FLOPS_PER_CLK / 4.0;
      case F8F6F4, I8, MXF8F6F4 -> FP8_FLOPS_PER_CLK;
      case MXF4, MXF4NVF4 -> FP8_FLOPS_PER_CLK * 2.0;
    };
  }

  /** The inferred timing of a tcgen05.mma on {@code gpu} (a Blackwell part), per SM. */
  public static InstructionTiming timing(String gpu, MmaInstruction instr) {
    if (!(instr instanceof Tcgen05Instruction i)) {
      return new InstructionTiming(gpu, Double.NaN, Double.NaN, Double.NaN,
          "no published measurement of " + instr.family().ptxOpcode() + " on Blackwell");
    }
    double rate = denseRate(i);
    double occupancy = i.flopsPerCta() / rate;
    double bits = i.a().bits();
    double bytes = (double) i.shape().n() / i.ctaGroup() * i.shape().k() * bits / 8;
    if (i.aSource() == OperandSource.SHARED_MEMORY) {
      bytes += (double) i.shape().m() / i.ctaGroup() * i.shape().k() * bits / 8;
    }
    double scales = i.blockScale().isPresent() ? SCALE_COPY_CYCLES : 0;
    double issue = Math.max(occupancy, bytes / SMEM_BYTES_PER_CLK) + scales;
    String basis = "inferred, no public measurement: occupancy per SM 2*M*N*K/" + i.ctaGroup() + " / " + (long) rate
        + " FLOP/clk = " + String.format(java.util.Locale.ROOT, "%.1f", occupancy) + " cycles (datasheet rate);"
        + " operands " + (long) bytes + " B per SM from shared memory at 128 B/clk"
        + (scales > 0 ? "; " + (long) scales + " cycles to stage the block scales" : "")
        + "; latency taken as occupancy (as wgmma)";
    return new InstructionTiming(gpu, issue + TAIL_CYCLES, issue, occupancy / issue, basis);
  }
}

package org.tcsim.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.IllegalInstructionException;
import org.tcsim.isa.MmaInstruction;
import org.tcsim.isa.PtxParser;
import org.tcsim.isa.Tcgen05Instruction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tcsim isa "<instruction>"}: describes one tensor-core MMA instruction (shape, operand
 * formats, accumulator, FLOPs, architecture, who issues it, and the datapath it maps to), or says
 * why it is illegal and exits with status 1.
 */
@Command(
    name = "isa",
    mixinStandardHelpOptions = true,
    description = {
      "Describe one MMA instruction given in PTX spelling, or say why it is illegal.",
      "Examples:",
      "  tcsim isa wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2",
      "  tcsim isa --arch sm_100a mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32",
      "  tcsim isa tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.scale_vec::1X"
          + ".m128n256k32.f32.e4m3.e4m3.ue8m0",
      "tcgen05.mma keeps its shape and types in the instruction descriptor; write them after the"
          + " qualifiers as shown."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {"0:described", "1:illegal instruction (the check failed: ptxas would reject "
        + "it)", "2:bad usage (unknown --arch, bad option)", ExitCodes.LINE_INTERNAL})
public final class IsaCommand implements Callable<Integer> {

  /** Exit status for an instruction that ptxas would reject. */
  static final int EXIT_ILLEGAL = ExitCodes.CHECK_FAILED;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "INSTRUCTION",
      description = "the PTX instruction; operands may follow (quote it)")
  String[] words;

  @Option(names = "--arch", paramLabel = "TARGET",
      description = "sm_89, sm_90a or sm_100a: the GPU that runs mma.sync (default sm_89);"
          + " checked against wgmma (sm_90a) and tcgen05 (sm_100a)")
  String arch;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String text = String.join(" ", words);
    MmaInstruction instr;
    try {
      instr = arch == null ? PtxParser.parse(text) : PtxParser.parse(text, parseArch(arch));
    } catch (IllegalInstructionException e) {
      err.println("tcsim isa: illegal instruction: " + e.getMessage());
      err.flush();
      return EXIT_ILLEGAL;
    }
    describe(instr, out);
    out.flush();
    return 0;
  }

  private Architecture parseArch(String name) {
    try {
      return Architecture.parse(name);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--arch: " + e.getMessage());
    }
  }

  static void describe(MmaInstruction i, PrintWriter out) {
    row(out, "instruction", i.ptx());
    row(out, "family", i.family().ptxOpcode());
    row(out, "architecture", i.architecture().ptxTarget() + ", "
        + i.architecture().marketingName());
    row(out, "issued by", i.issueGranularity().label() + " (" + i.issueGranularity().threads()
        + (i.issueGranularity().threads() == 1 ? " thread)" : " threads)"));
    row(out, "shape", i.shape() + " (" + i.shape().ptx() + ")");
    row(out, "A", i.a().describe() + ", from " + i.aSource().label());
    row(out, "B", i.b().describe());
    row(out, "accumulator", i.accumulator().describe());
    i.blockScale().ifPresent(s -> row(out, "block scale", s.scalePtxName() + " scale per "
        + s.blockSize() + " K-elements (" + s.scaleVec().ptx() + ")"));
    if (i.ctaGroup() > 1) {
      row(out, "cta group", i.ctaGroup() + " CTAs (shape spans the pair)");
    }
    String flops = String.format(Locale.ROOT, "%,d (2*M*N*K)", i.flops());
    if (i instanceof Tcgen05Instruction t && t.ctaGroup() > 1) {
      flops += String.format(Locale.ROOT, "; %,d per CTA", t.flopsPerCta());
    }
    row(out, "FLOPs", flops);
    row(out, "datapath", i.datapathKey().describe());
    java.util.Optional<org.tcsim.core.datapath.DatapathPreset> preset =
        org.tcsim.gpu.GpuCatalog.presetFor(i.datapathKey());
    if (preset.isPresent()) {
      org.tcsim.core.datapath.DatapathPreset p = preset.get();
      row(out, "preset", p.id() + " (" + switch (p.evidence()) {
        case MATCHES_HARDWARE -> "reproduces every golden hardware sample";
        case PUBLISHED_MODEL -> "published model, no golden samples here";
        case HYPOTHESIS -> "hypothesis, no hardware samples exist";
        case OPEN_QUESTION -> "open question: does not reproduce the hardware";
      } + ")");
      row(out, "", p.params().describe());
      row(out, "source", p.source());
    } else {
      row(out, "preset", "none modelled yet for this combination");
    }
    timing(i, out);
  }

  /**
   * One line per GPU that runs the instruction: latency, issue interval and share of the SM's
   * peak, from the pipeline models the GEMM timing is built on.
   */
  static void timing(MmaInstruction i, PrintWriter out) {
    java.util.List<org.tcsim.timing.InstructionTiming> lines = new java.util.ArrayList<>();
    switch (i.family()) {
      case WGMMA -> {
        for (String gpu : new String[] {"h100-sxm", "h800", "h200", "h100-pcie"}) {
          lines.add(org.tcsim.h100.WgmmaPipeline.timing(gpu, i));
        }
      }
      case TCGEN05 -> lines.add(org.tcsim.blackwell.Tcgen05Pipeline.timing("b200", i));
      case MMA_SYNC -> {
        for (String gpu : new String[] {"h100-sxm", "h800", "h200", "h100-pcie"}) {
          lines.add(org.tcsim.h100.WgmmaPipeline.timing(gpu, i));
        }
        lines.add(org.tcsim.blackwell.Tcgen05Pipeline.timing("b200", i));
      }
    }
    for (org.tcsim.timing.InstructionTiming t : lines) {
      if (Double.isNaN(t.latency())) {
        row(out, "timing", t.gpu() + ": " + t.basis());
      } else {
        row(out, "timing", String.format(Locale.ROOT, "%s: latency %.1f cycles, issue every %.2f cycles per SM,"
            + " %.0f%% of the SM's dense peak", t.gpu(), t.latency(), t.issue(), 100 * t.peakShare()));
      }
    }
    if (!lines.isEmpty() && !Double.isNaN(lines.get(0).latency())) {
      row(out, "", lines.get(0).basis());
    }
  }

  private static void row(PrintWriter out, String label, String value) {
    out.printf(Locale.ROOT, "%-13s %s%n", label, value);
  }
}

package org.tcsim.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.KernelDefaults;
import org.tcsim.gpu.Library;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tcsim gpus}: the GPU catalogue, the one table every command resolves GPU names through.
 */
@Command(name = "gpus", mixinStandardHelpOptions = true,
    description = {
        "List the GPUs tcsim knows: names and aliases, architecture, tensor-core instruction "
            + "families, numerics presets and their evidence, and the timing model's machine.",
        "With a GPU name: every preset with its source, the kernel defaults per library and every "
            + "machine figure with its source.",
        "Example: tcsim gpus h100"},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_BAD_INPUT, ExitCodes.LINE_INTERNAL})
public final class GpusCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "GPU", description = "show one GPU in full")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (name == null) {
      table(out);
      return 0;
    }
    detail(out, GpuCatalog.byName(name));
    return 0;
  }

  private static void table(PrintWriter out) {
    String fmt = "%-10s %-8s %-26s %-38s %s%n";
    out.printf(Locale.ROOT, fmt, "gpu", "arch", "instructions", "numerics presets", "timing");
    for (Gpu g : GpuCatalog.all()) {
      out.printf(Locale.ROOT, fmt, g.id(), g.architecture().ptxTarget(),
          g.families().stream().map(f -> f.ptxOpcode()).collect(Collectors.joining(", ")),
          presetCounts(g), g.timing().map(GpusCommand::machineLine).orElse("none"));
      out.printf(Locale.ROOT, "           aliases: %s%n", g.aliases().isEmpty() ? "none"
          : String.join(", ", g.aliases()));
    }
    out.println("Names match whatever their case and separators (\"H100 SXM5\" = h100-sxm5)."
        + " tcsim gpus NAME shows one GPU in full.");
  }

  private static String presetCounts(Gpu g) {
    List<DatapathPreset> ps = g.tensorCore().presets();
    return ps.size() + " (" + ps.stream()
        .collect(Collectors.groupingBy(p -> p.evidence().name().toLowerCase(Locale.ROOT),
            java.util.TreeMap::new, Collectors.counting()))
        .entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", ")) + ")";
  }

  private static String machineLine(MachineSpec m) {
    String fp8 = m.peakTflops() > 0 ? String.format(Locale.ROOT, "%.0f FP8 TFLOPS", m.peakTflops()) : "no FP8 MMA";
    return String.format(Locale.ROOT, "%d SMs, %s, %s, HBM %.2f TB/s",
        m.getInt(MachineParam.SMS), clockText(m), fp8, m.get(MachineParam.HBM_TBPS));
  }

  /**
   * The datasheet clock the peaks are quoted at and, where the board was measured holding a higher
   * one, that ceiling: "1.830 GHz" or "1.830 GHz, holds up to 1.980".
   */
  static String clockText(MachineSpec m) {
    double clock = m.get(MachineParam.CLOCK_GHZ);
    double ceiling = m.clockCeilingGhz();
    return ceiling > clock
        ? String.format(Locale.ROOT, "%.3f GHz, holds up to %.3f", clock, ceiling)
        : String.format(Locale.ROOT, "%.3f GHz", clock);
  }

  private static void detail(PrintWriter out, Gpu g) {
    out.printf(Locale.ROOT, "%s: %s, %s (%s)%n", g.id(), g.displayName(),
        g.architecture().ptxTarget(), g.architecture().generation());
    out.println("aliases: " + (g.aliases().isEmpty() ? "none" : String.join(", ", g.aliases())));
    out.println("instructions: " + g.families().stream().map(f -> f.ptxOpcode())
        .collect(Collectors.joining(", ")));
    out.println("numerics (" + g.tensorCore().description() + "):");
    for (DatapathPreset p : g.tensorCore().presets()) {
      out.printf(Locale.ROOT, "  %-26s %-16s %s%n    %s%n", p.id(),
          p.evidence().name().toLowerCase(Locale.ROOT), p.params().describe(), p.source());
    }
    out.println("kernel defaults per library (FP8 GEMMs):");
    for (Library l : Library.values()) {
      KernelDefaults k = g.kernels(l);
      out.printf(Locale.ROOT, "  %-9s %s%n    %s%n", l.id(), k.describe(), k.source());
    }
    if (g.machine() == null) {
      out.println("timing: no machine description");
      return;
    }
    MachineSpec m = g.machine();
    out.println("timing (" + machineLine(m) + "):");
    for (MachineParam p : MachineParam.values()) {
      out.printf(Locale.ROOT, "  %-18s %12s %-12s %s%n", p.key(), number(m.get(p)), p.unit(),
          m.sources().getOrDefault(p, ""));
    }
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
        : String.format(Locale.ROOT, "%.4g", v);
  }
}

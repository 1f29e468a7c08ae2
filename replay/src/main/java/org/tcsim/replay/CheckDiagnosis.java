package org.tcsim.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.exact.Dyadic;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.gemm.Gemm;
import org.tcsim.core.gemm.GemmAccuracy;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.PromotionRule;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Library;
import org.tcsim.gpu.Simulation;
import org.tcsim.traces.golden.MismatchDiagnosis;

/**
 * Explains a GEMM's mismatches as {@code tcsim verify} explains a golden row's: each of the first
 * mismatching elements of D is recomputed on its own (row i of A against column j of B, a 1 x 1 x K
 * GEMM, exactly that element of the full GEMM) under nearby settings, and every setting that
 * reproduces the kernel's bits is named with how many of the examined elements it reproduces.
 * The settings: the exact product rounded once (RNE or RZ: a float64 or arbitrary-precision
 * reference), fast accumulation flipped, another library's kernel settings, another promotion
 * interval or rule, another GPU's datapath, and the datapath variants of {@link MismatchDiagnosis}
 * (alignment width and rounding, step size, normalisation, final rounding).
 *
 * @param examined mismatching elements recomputed
 * @param explanations settings that reproduce at least half of them (or the best three when none
 *     does), most reproduced first
 */
public record CheckDiagnosis(int examined, List<Explanation> explanations) {

  /**
   * One setting and how many examined elements it reproduces.
   *
   * @param label the setting, naming what changes ({@code fast accumulation on})
   * @param reproduced examined elements whose kernel bits it gives
   */
  public record Explanation(String label, int reproduced) {}

  public CheckDiagnosis {
    explanations = List.copyOf(explanations);
  }

  /** One line: {@code diagnosis (first 3 mismatches): the bits of D.npy are reproduced by ...}. */
  public String line(String name) {
    if (examined == 0) {
      return "diagnosis: nothing to explain";
    }
    String head = "diagnosis (first " + examined + " mismatch" + (examined == 1 ? "" : "es")
        + "): ";
    if (explanations.isEmpty()) {
      return head + "no nearby setting reproduces the bits of " + name + " (tried: exact "
          + "product rounded once, fast accumulation, libraries, promotion interval and rule, "
          + "other GPUs, datapath variants)";
    }
    List<String> parts = new ArrayList<>();
    for (Explanation e : explanations) {
      parts.add(e.label() + " (" + e.reproduced() + "/" + examined + ")");
    }
    return head + "the bits of " + name + " are reproduced by " + String.join("; ", parts);
  }

  /** Diagnoses the {@code mismatches} of the GEMM {@code sim} ran with {@code config}. */
  static CheckDiagnosis of(Simulation sim, GemmConfig config, QuantizedTensor a,
      QuantizedTensor b, List<Mismatch> mismatches) {
    List<QuantizedTensor[]> operands = new ArrayList<>();
    for (Mismatch m : mismatches) {
      operands.add(new QuantizedTensor[] {RowBands.row(a, m.row()), RowBands.row(b, m.col())});
    }
    GemmConfig one = config.withThreads(1);
    FpFormat out = config.outputFormat();
    Map<String, ToIntFunction<QuantizedTensor[]>> settings = new LinkedHashMap<>();
    settings.put("the exact product rounded once to nearest even (a float64 or exact reference)",
        ab -> exact(ab, one, out, Rounding.RNE));
    settings.put("the exact product rounded once toward zero",
        ab -> exact(ab, one, out, Rounding.RZ));
    BlockFmaParams params = sim.preset().params();
    var w = sim.workload();
    try {
      Simulation flipped = Simulation.of(sim.gpu(), w.withFastAccum(!w.fastAccum()));
      if (flipped.promotionInterval() != sim.promotionInterval()) {
        GemmConfig c = one.withPromotionInterval(flipped.promotionInterval());
        settings.put("fast accumulation " + (w.fastAccum() ? "off" : "on"),
            ab -> Gemm.run(params, c, ab[0], ab[1], null).d().code(0, 0));
      }
    } catch (IllegalArgumentException noFlag) {
      // the library has no fast-accumulation flag: nothing to flip
    }
    for (Library l : Library.values()) {
      if (l == w.library()) {
        continue;
      }
      try {
        Simulation other = Simulation.of(sim.gpu(), w.withLibrary(l));
        GemmConfig c = other.config(new Simulation.Epilogue(one.alpha(), 0f, one.scaleD()), 1);
        if (c.mmaK() != one.mmaK() || c.promotionInterval() != one.promotionInterval()
            || c.promotionRule() != one.promotionRule()) {
          settings.put("library " + l.id() + " (" + other.kernels().describe() + ")",
              ab -> Gemm.run(other.preset().params(), c, ab[0], ab[1], null).d().code(0, 0));
        }
      } catch (IllegalArgumentException notHere) {
        // the library does not run this workload on this GPU
      }
    }
    for (int interval : new int[] {1, 2, 4, 8, 16, 0}) {
      if (interval != one.promotionInterval()) {
        GemmConfig c = one.withPromotionInterval(interval);
        settings.put(interval == 0 ? "no promotion (one accumulator over all of K)"
            : "promotion every " + interval + " MMA" + (interval == 1 ? "" : "s") + " (" + interval
            * one.mmaK() + " K)", ab -> Gemm.run(params, c, ab[0], ab[1], null).d().code(0, 0));
      }
    }
    for (PromotionRule rule : PromotionRule.values()) {
      if (rule != one.promotionRule() && one.promotionInterval() != 0) {
        GemmConfig c = one.withPromotionRule(rule);
        settings.put("promotion rule " + rule,
            ab -> Gemm.run(params, c, ab[0], ab[1], null).d().code(0, 0));
      }
    }
    for (Gpu g : GpuCatalog.all()) {
      if (g.id().equals(sim.gpu().id())) {
        continue;
      }
      try {
        Simulation other = Simulation.of(g, w);
        if (other.hasPreset() && !other.preset().id().equals(sim.preset().id())) {
          GemmConfig c = other.config(new Simulation.Epilogue(one.alpha(), 0f, one.scaleD()), 1);
          settings.put("gpu " + g.id() + " (" + other.preset().id() + ")",
              ab -> other.run(c, ab[0], ab[1], null).d().code(0, 0));
        }
      } catch (IllegalArgumentException notHere) {
        // no kernels for this workload there
      }
    }
    for (Map.Entry<String, BlockFmaParams> v : MismatchDiagnosis.variants(params).entrySet()) {
      BlockFmaParams p = v.getValue();
      settings.put("datapath " + v.getKey(),
          ab -> Gemm.run(p, one, ab[0], ab[1], null).d().code(0, 0));
    }
    List<Explanation> found = new ArrayList<>();
    for (Map.Entry<String, ToIntFunction<QuantizedTensor[]>> s : settings.entrySet()) {
      int reproduced = 0;
      for (int i = 0; i < mismatches.size(); i++) {
        try {
          if (s.getValue().applyAsInt(operands.get(i)) == mismatches.get(i).actual()) {
            reproduced++;
          }
        } catch (IllegalArgumentException | ArithmeticException cannot) {
          // this setting cannot compute the element (a NaN in the exact sum, an engine refusal)
        }
      }
      if (reproduced > 0) {
        found.add(new Explanation(s.getKey(), reproduced));
      }
    }
    found.sort(Comparator.comparingInt(Explanation::reproduced).reversed());
    return new CheckDiagnosis(mismatches.size(), leads(found, mismatches.size()));
  }

  /**
   * The settings worth reading: those reproducing at least half of the examined elements (a
   * setting that explains one element in ten is noise), or, when none does, the best three.
   */
  static List<Explanation> leads(List<Explanation> sorted, int examined) {
    List<Explanation> majority = sorted.stream().filter(e -> 2 * e.reproduced() >= examined)
        .toList();
    return majority.isEmpty() ? sorted.subList(0, Math.min(3, sorted.size())) : majority;
  }

  private static int exact(QuantizedTensor[] ab, GemmConfig config, FpFormat out,
      Rounding rounding) {
    Dyadic d = GemmAccuracy.exact(ab[0], ab[1], null, config, 0, 0);
    boolean fp8 = out == FpFormat.E4M3 || out == FpFormat.E5M2;
    if (fp8) {
      d = d.multiply(Dyadic.of(config.scaleD()));
    }
    return d.roundTo(out, rounding, fp8 ? Overflow.SATFINITE : Overflow.IEEE);
  }
}

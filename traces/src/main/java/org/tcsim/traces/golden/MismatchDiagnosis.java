package org.tcsim.traces.golden;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.exact.ExactResult;
import org.tcsim.core.format.Rounding;

/**
 * Explains a mismatch by searching the neighbourhood of the preset's parameters for datapaths that
 * do reproduce the hardware's bits, each labelled with the stage it changes (alignment, step size,
 * normalisation, rounding). One row proves little; the same variant explaining many rows is a lead.
 */
public final class MismatchDiagnosis {
  private MismatchDiagnosis() {}

  /**
   * Variants of the preset, keyed by a label naming the stage and the changed value (also used by
   * {@code tcsim check} to explain a GEMM's mismatches).
   */
  public static Map<String, BlockFmaParams> variants(BlockFmaParams p) {
    Map<String, BlockFmaParams> v = new LinkedHashMap<>();
    if (p.alignment() != AlignmentMode.EXACT) {
      for (int bits = Math.max(0, p.alignmentBits() - 4);
          bits <= Math.min(BlockFmaParams.MAX_ALIGNMENT_BITS, p.alignmentBits() + 4); bits++) {
        if (bits != p.alignmentBits()) {
          v.put("alignment: " + bits + " bits", p.withAlignmentBits(bits));
        }
      }
      v.put("alignment: exact (no bits lost)", p.withAlignment(AlignmentMode.EXACT));
      v.put("alignment: round to nearest", p.withAlignment(AlignmentMode.ROUND_NEAREST_EVEN));
      v.put("alignment: sticky bit", p.withAlignment(AlignmentMode.TRUNCATE_STICKY));
    }
    for (int step : new int[] {4, 8, 16, 32, 64}) {
      if (step != p.productsPerStep()) {
        v.put("step size: " + step + " products", p.withProductsPerStep(step));
      }
    }
    int full = p.outputFormat().mantissaBits();
    if (p.normalisedMantissaBits() != full) {
      v.put("normalisation: " + full + " mantissa bits", p.withNormalisedMantissaBits(full));
    }
    for (Rounding r : Rounding.values()) {
      if (r != p.resultRounding()) {
        v.put("final rounding: " + r, p.withResultRounding(r));
      }
    }
    return v;
  }

  /** One line saying what the hardware result is consistent with. */
  public static String explain(MmaOutcome m) {
    GoldenMmaRow r = m.row();
    List<String> found = new ArrayList<>();
    ExactResult exact = m.exact();
    if (exact.roundTo(r.dFormat(), Rounding.RNE) == r.d()) {
      found.add("= RNE(exact)");
    }
    if (exact.roundTo(r.dFormat(), Rounding.RZ) == r.d()) {
      found.add("= RZ(exact)");
    }
    for (Map.Entry<String, BlockFmaParams> e : variants(m.preset().params()).entrySet()) {
      BlockFmaDatapath dp = new BlockFmaDatapath(r.aFormat(), r.bFormat(), e.getValue());
      if (dp.dot(r.a(), r.b(), r.k(), r.c()) == r.d()) {
        found.add(e.getKey());
      }
    }
    return found.isEmpty() ? "diagnosis: no nearby datapath variant reproduces the hardware bits"
        : "diagnosis: hardware bits reproduced by " + String.join("; ", found);
  }
}

package org.tcsim.traces.golden;

import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.exact.ErrorMetrics;
import org.tcsim.core.exact.ExactResult;

/**
 * The replay of one golden row: what the model produced, whether it equals the hardware's bits,
 * and (computed on demand) both results' errors against the exact dot product.
 */
public record MmaOutcome(GoldenMmaRow row, DatapathPreset preset, int actual) {

  public boolean matches() {
    return actual == row.d();
  }

  public ExactResult exact() {
    return org.tcsim.core.exact.ExactDot.dot(row.aFormat(), row.a(), row.bFormat(), row.b(),
        row.k(), row.cFormat(), row.c());
  }

  /** The hardware result's error against the exact value, in ULPs of the output format. */
  public double hardwareUlpError() {
    return ErrorMetrics.ulpError(row.dFormat(), row.d(), exact());
  }

  /** The model's error against the exact value, in ULPs of the output format. */
  public double modelUlpError() {
    return ErrorMetrics.ulpError(row.dFormat(), actual, exact());
  }
}

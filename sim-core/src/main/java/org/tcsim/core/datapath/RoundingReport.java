package org.tcsim.core.datapath;

/**
 * What the last rounding by a {@link Normaliser} dropped: whether anything (the result is
 * inexact), and the rounded value's sign. Mutable and per thread, so the datapath allocates
 * nothing per step.
 */
class RoundingReport {
  boolean inexact;
  boolean sumNegative;

  void clear() {
    inexact = false;
    sumNegative = false;
  }
}

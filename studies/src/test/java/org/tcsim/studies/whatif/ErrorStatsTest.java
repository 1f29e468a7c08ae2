package org.tcsim.studies.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrorStatsTest {
  @Test
  void normwiseMeanAndMaxByHand() {
    ErrorStats.Accumulator acc = new ErrorStats.Accumulator();
    acc.add(3.0, 4.0);   // diff -1, rel 0.25
    acc.add(0.0, 0.0);   // diff 0, not in relative figures
    acc.add(1.0, -1.0);  // diff 2, rel 2
    acc.add(Double.NaN, 1.0);
    ErrorStats s = acc.result();
    assertEquals(3, s.compared());
    assertEquals(1, s.nonFinite());
    // sqrt((1 + 0 + 4) / (16 + 0 + 1))
    assertEquals(Math.sqrt(5.0 / 17.0), s.normwise(), 1e-15);
    assertEquals(1.125, s.meanRelative(), 1e-15);
    assertEquals(2.0, s.maxRelative(), 0);
    assertEquals(1.125, s.medianRelative(), 1e-15); // median of {0.25, 2}
    assertEquals(s.normwise(), s.get(ErrorStats.Metric.parse("normwise")), 0);
  }
}

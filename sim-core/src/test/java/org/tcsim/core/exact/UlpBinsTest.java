package org.tcsim.core.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bins are checked against labels written out by hand from the scheme (bins doubling in width
 * from 1 ULP, plain numbers up to 4096, powers of two beyond), not against the code's own tables.
 */
class UlpBinsTest {

  private static String distance(long ulps) {
    return UlpBins.DISTANCE_LABELS.get(UlpBins.distanceBin(ulps));
  }

  private static String error(double ulps) {
    return UlpBins.ERROR_LABELS.get(UlpBins.errorBin(ulps));
  }

  @Test
  void hundredsOfUlpsLandInDistinctDistanceBins() {
    // An H100 FP8 sum truncated to 13 mantissa bits misses FP32 by hundreds of ULPs.
    assertEquals("3-4", distance(3));
    assertEquals("257-512", distance(300));
    assertEquals("513-1024", distance(700));
  }

  @Test
  void hundredsOfUlpsLandInDistinctErrorBins() {
    assertEquals("<=4", error(3));
    assertEquals("<=512", error(300));
    assertEquals("<=1024", error(700));
    assertEquals("<=512", error(-300));
  }

  @Test
  void distanceBinsAtTheirBounds() {
    assertEquals("+-0", distance(0));
    assertEquals("1", distance(1));
    assertEquals("2", distance(2));
    assertEquals("3-4", distance(4));
    assertEquals("5-8", distance(5));
    assertEquals("5-8", distance(8));
    assertEquals("9-16", distance(9));
    assertEquals("2049-4096", distance(4096));
    assertEquals("(4096,2^13]", distance(4097));
    assertEquals("(2^23,2^24]", distance(16_777_216));
    assertEquals(">2^24", distance(16_777_217));
    assertEquals(">2^24", distance(Long.MAX_VALUE - 1));
    assertEquals("NaN", UlpBins.DISTANCE_LABELS.get(UlpBins.DISTANCE_NAN));
    assertThrows(IllegalArgumentException.class, () -> UlpBins.distanceBin(-1));
  }

  @Test
  void errorBinsAtTheirBounds() {
    assertEquals("0", error(0));
    assertEquals("0", error(-0.0));
    assertEquals("<=0.5", error(Double.MIN_VALUE));
    assertEquals("<=0.5", error(0.5));
    assertEquals("<=1", error(Math.nextUp(0.5)));
    assertEquals("<=1", error(1));
    assertEquals("<=2", error(1.5));
    assertEquals("<=4096", error(4096));
    assertEquals("<=2^13", error(4097));
    assertEquals("<=2^24", error(16_777_216));
    assertEquals(">2^24", error(Math.nextUp(16_777_216.0)));
    assertEquals(">2^24", error(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> UlpBins.errorBin(Double.NaN));
  }

  @Test
  void distanceBinsAreContiguousAndDouble() {
    List<String> l = UlpBins.DISTANCE_LABELS;
    assertEquals(List.of("+-0", "1", "2", "3-4", "5-8", "9-16"), l.subList(0, 6));
    // Bins 3 .. 12 are "lo-hi": each starts one past the last one's top and ends at twice it.
    long top = 2;
    int i = 3;
    for (; top < 4096; i++) {
      String[] lohi = l.get(i).split("-");
      assertEquals(top + 1, Long.parseLong(lohi[0]), l.get(i));
      assertEquals(2 * top, Long.parseLong(lohi[1]), l.get(i));
      top *= 2;
    }
    // Then "(4096,2^13]" (the verify report's signed bins write it so too), "(2^n,2^(n+1)]" up to
    // 2^24, beyond, NaN.
    assertEquals("(4096,2^13]", l.get(i++));
    for (int n = 13; n < 24; n++, i++) {
      assertEquals("(2^" + n + ",2^" + (n + 1) + "]", l.get(i));
    }
    assertEquals(List.of(">2^24", "NaN"), l.subList(i, l.size()));
    // Every bin's members land in it: its top and the one past the last top.
    for (long t = 1; t <= 1L << 24; t *= 2) {
      assertEquals(UlpBins.distanceBin(t) + 1, UlpBins.distanceBin(t + 1), "past " + t);
    }
  }

  @Test
  void errorBinsAreContiguousAndDouble() {
    List<String> l = UlpBins.ERROR_LABELS;
    assertEquals(List.of("0", "<=0.5", "<=1", "<=2", "<=4", "<=8"), l.subList(0, 6));
    assertEquals(28, l.size());
    double[] e = UlpBins.edges();
    assertEquals(0.5, e[0]);
    for (int i = 1; i < e.length; i++) {
      assertEquals(2 * e[i - 1], e[i], "edge " + i);
      // Just above an edge is the next bin; the edge itself closes its bin.
      assertEquals(UlpBins.errorBin(e[i - 1]) + 1, UlpBins.errorBin(Math.nextUp(e[i - 1])));
      assertEquals(i + 1, UlpBins.errorBin(e[i]));
    }
    assertEquals(Math.scalb(1.0, 24), e[e.length - 1]);
    assertEquals(">2^24", l.get(l.size() - 1));
  }

  @Test
  void oneLineFormsShowWhereTheErrorsAre() {
    long[] counts = new long[UlpBins.DISTANCE_LABELS.size()];
    counts[UlpBins.distanceBin(1)] = 3;
    counts[UlpBins.distanceBin(300)] = 2;
    counts[UlpBins.distanceBin(700)] = 1;
    assertEquals("1:3 257-512:2 513-1024:1", UlpBins.nonEmpty(UlpBins.DISTANCE_LABELS, counts));
    long[] errors = new long[UlpBins.ERROR_LABELS.size()];
    errors[UlpBins.errorBin(0.25)] = 5;
    errors[UlpBins.errorBin(3)] = 1;
    assertEquals("0:0 <=0.5:5 <=1:0 <=2:0 <=4:1",
        UlpBins.upToLast(UlpBins.ERROR_LABELS, errors));
    assertEquals("0:0", UlpBins.upToLast(UlpBins.ERROR_LABELS,
        new long[UlpBins.ERROR_LABELS.size()]));
    assertThrows(IllegalArgumentException.class,
        () -> UlpBins.nonEmpty(UlpBins.DISTANCE_LABELS, new long[8]));
    assertNotEquals(UlpBins.distanceBin(300), UlpBins.distanceBin(700));
  }
}

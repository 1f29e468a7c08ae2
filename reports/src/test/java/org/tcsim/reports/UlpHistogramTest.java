package org.tcsim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UlpHistogramTest {

  private static String label(double ulps) {
    return UlpHistogram.LABELS.get(UlpHistogram.bin(ulps));
  }

  @Test
  void errorsOfHundredsOfUlpsLandInDistinctNamedBins() {
    // An FP8 product sum kept to fewer bits than the FP32 output: errors of hundreds of ULPs.
    assertEquals("(256,512]", label(300));
    assertEquals("(512,1024]", label(700));
    assertEquals("(2,4]", label(3));
    assertEquals("[-512,-256)", label(-300));
    assertEquals("[-1024,-512)", label(-700));
    assertEquals("[-4,-2)", label(-3));
  }

  @Test
  void smallErrorsKeepTheRoundingBins() {
    assertEquals("0", label(0));
    assertEquals("0", label(-0.0));
    assertEquals("(0,0.5]", label(0.5), "a tie is correctly rounded");
    assertEquals("(0.5,1]", label(0.75));
    assertEquals("(0.5,1]", label(1));
    assertEquals("(1,2]", label(1.5));
    assertEquals("[-0.5,0)", label(-0.25));
    assertEquals("[-1,-0.5)", label(-0.999));
    assertEquals("(2048,4096]", label(4096));
    assertEquals("(4096,2^13]", label(4097));
    assertEquals("(2^23,2^24]", label(1e7));
    assertEquals("> 2^24", label(1e9));
    assertEquals("< -2^24", label(-1e9));
    assertEquals("non-finite", label(Double.NaN));
    assertEquals("non-finite", label(Double.NEGATIVE_INFINITY));
  }

  @Test
  void shownBinsSpanWhatWasSeenAndTheExactBin() {
    UlpHistogram h = new UlpHistogram();
    h.add(300);
    h.add(3);
    UlpHistogram g = new UlpHistogram();
    g.add(-0.25);
    List<String> shown = UlpHistogram.shownBins(List.of(h, g)).stream()
        .map(UlpHistogram.LABELS::get).toList();
    assertEquals(List.of("[-0.5,0)", "0", "(0,0.5]", "(0.5,1]", "(1,2]", "(2,4]", "(4,8]",
        "(8,16]", "(16,32]", "(32,64]", "(64,128]", "(128,256]", "(256,512]"), shown);
    assertEquals(1L, h.count(UlpHistogram.bin(300)));
    assertEquals(2L, h.total());
    g.add(Double.NaN);
    List<Integer> withNan = UlpHistogram.shownBins(List.of(h, g));
    assertEquals("non-finite", UlpHistogram.LABELS.get(withNan.get(withNan.size() - 1)));
  }
}

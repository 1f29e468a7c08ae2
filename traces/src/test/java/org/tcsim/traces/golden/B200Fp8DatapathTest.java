package org.tcsim.traces.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.blackwell.BlackwellTensorCore;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.exact.Dyadic;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * The B200 FP8-into-FP32 datapath, D = RNE_fp32(RZ_24(exact sum of the products) + C), against
 * the one hardware row that tells it from rounding the exact sum plus C once, and against the
 * 5,000 released B200 FP8 rows (docs/hardware-facts.md, B200 FP8).
 */
class B200Fp8DatapathTest {

  /**
   * Measured on B200 ({@code mma.sync} m16n8k32, E5M2 x E5M2 + FP32 -> FP32), an unreleased row
   * from this project's analysis of 10,000 B200 FP8 rows (docs/hardware-facts.md, B200 FP8; the
   * released rows are Khattak &amp; Mikaitis, ACM TACO, doi 10.1145/3830409).
   */
  static final String DISCRIMINATING_ROW = "b200,e5m2,e5m2,fp32,fp32,32,"
      + "c0 b8 b9 b5 a7 2c 3b b6 3d 2c 40 ba a9 38 39 bd b6 38 bc 3c 33 38 be 3d b2 39 39 27 bd bf "
      + "bc b9,"
      + "37 bb b6 35 04 b8 30 b7 3b bc bc bc be 3c ba 38 b4 c0 35 b7 3c c0 32 b7 34 af bb 3b 3d 3b "
      + "39 3e,"
      + "3f01684f,c10ddf7c";

  static GoldenMmaRow discriminatingRow() throws IOException {
    List<GoldenMmaRow> rows = GoldenMmaReader.read(new StringReader(
        "gpu,a_format,b_format,c_format,d_format,k,a,b,c,d\n" + DISCRIMINATING_ROW + "\n"),
        "B200Fp8DatapathTest");
    assertEquals(1, rows.size());
    return rows.get(0);
  }

  private static int run(BlockFmaParams p, GoldenMmaRow r) {
    return new BlockFmaDatapath(r.aFormat(), r.bFormat(), p).dot(r.a(), r.b(), r.k(), r.c());
  }

  /** The exact value of the row, from BigInteger arithmetic, not from the datapath. */
  private static Dyadic exact(GoldenMmaRow r) {
    Dyadic sum = Dyadic.of(r.cFormat(), r.c());
    for (int i = 0; i < r.k(); i++) {
      sum = sum.add(Dyadic.of(r.aFormat(), r.a()[i]).multiply(Dyadic.of(r.bFormat(), r.b()[i])));
    }
    return sum;
  }

  @Test
  void theRowRejectsOneRoundingOfTheExactSumAndTheModelReproducesIt() throws IOException {
    GoldenMmaRow row = discriminatingRow();
    Dyadic exact = exact(row);
    // The analysis' figures, derived here independently of the datapath.
    assertEquals(0, new BigDecimal("-8.867062389850616455078125").compareTo(exact.toBigDecimal()));
    int correctlyRounded = exact.roundTo(FpFormat.FP32, Rounding.RNE, Overflow.IEEE);
    assertEquals(0xc10ddf7d, correctlyRounded);
    assertEquals(0xc10ddf7c, row.d());
    // The products' exact sum S, its truncation to 24 bits P, and P + C rounded once: by hand.
    Dyadic products = exact.subtract(Dyadic.of(FpFormat.FP32, row.c()));
    int p = products.roundTo(FpFormat.FP32, Rounding.RZ, Overflow.IEEE);
    int byHand = Dyadic.of(FpFormat.FP32, p).add(Dyadic.of(FpFormat.FP32, row.c()))
        .roundTo(FpFormat.FP32, Rounding.RNE, Overflow.IEEE);
    assertEquals(row.d(), byHand);

    assertEquals(Integer.toHexString(row.d()),
        Integer.toHexString(run(BlackwellTensorCore.FP8_FP32, row)), "the B200 preset");
    assertEquals(Integer.toHexString(correctlyRounded),
        Integer.toHexString(run(BlackwellTensorCore.FP8_FP32_ONE_ROUNDING, row)),
        "the model shipped before gives the correctly rounded value, not the hardware's");
    // The variants the 10,000 rows cannot separate from the preset reproduce it too.
    for (BlockFmaParams p2 : new BlockFmaParams[] {BlackwellTensorCore.FP8_FP32_STICKY,
        BlackwellTensorCore.FP8_FP32_HALVES, BlackwellTensorCore.FP8_FP32_WINDOW_23,
        BlackwellTensorCore.FP8_FP32_WINDOW_23.withAlignmentBits(30)}) {
      assertEquals(Integer.toHexString(row.d()), Integer.toHexString(run(p2, row)),
          p2.describe());
    }
  }

  private static List<GoldenMmaRow> releasedFp32Rows() {
    List<GoldenMmaRow> rows = EmbeddedGolden.load("b200_e4m3.csv").stream()
        .filter(r -> r.dFormat() == FpFormat.FP32).toList();
    assertEquals(5000, rows.size());
    return rows;
  }

  private static double rate(List<GoldenMmaRow> rows, BlockFmaParams p) {
    return rows.stream().filter(r -> run(p, r) == r.d()).count() / (double) rows.size();
  }

  @Test
  void theReleasedRowsCannotSeparateThePresetFromItsVariants() {
    List<GoldenMmaRow> rows = releasedFp32Rows();
    assertEquals(1.0, rate(rows, BlackwellTensorCore.FP8_FP32), "preset");
    assertEquals(1.0, rate(rows, BlackwellTensorCore.FP8_FP32_ONE_ROUNDING), "one rounding");
    assertEquals(1.0, rate(rows, BlackwellTensorCore.FP8_FP32_STICKY), "sticky");
    assertEquals(1.0, rate(rows, BlackwellTensorCore.FP8_FP32_HALVES), "halves");
    assertEquals(1.0, rate(rows, BlackwellTensorCore.FP8_FP32_WINDOW_23), "23-bit window");
  }

  @Test
  void theReleasedRowsRejectThePublishedModels() {
    List<GoldenMmaRow> rows = releasedFp32Rows();
    // docs/hardware-facts.md, B200 FP8: the published models (C inside a 25-bit window, RZ or
    // RNE) match 64% to 95% of the rows.
    double rz = rate(rows, BlackwellTensorCore.FP8_FP32_PUBLISHED);
    double rne = rate(rows, BlackwellTensorCore.FP8_FP32_PUBLISHED.withResultRounding(
        Rounding.RNE));
    assertTrue(rz >= 0.6 && rz < 1.0, "published, RZ: " + rz);
    assertTrue(rne >= 0.6 && rne < 1.0, "published, RNE: " + rne);
  }
}

package org.tcsim.ampere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tcsim.core.datapath.AccumulatorJoin;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.datapath.SubnormalMode;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;
import org.tcsim.h100.HopperTensorCore;

/**
 * The released A100 rows (2500 per format and output) against the A100 presets and their nearest
 * wrong variants. A variant counts as rejected when at least 1% of the rows (25) tell it apart,
 * so that no conclusion rests on a stray row; where the rows cannot tell two values apart, the
 * test says so rather than claiming the value.
 */
class AmpereGoldenTest {

  private static final int ROWS = 2500;
  private static final long REJECTED_BELOW = ROWS - ROWS / 100;

  /** The FP32-output files with the A100 preset and the Hopper one for the same formats. */
  static Stream<Arguments> fp32Files() {
    return Stream.of(
        Arguments.of("a100_fp16.csv", AmpereTensorCore.HALF_FP32, HopperTensorCore.HALF_FP32),
        Arguments.of("a100_bf16.csv", AmpereTensorCore.HALF_FP32, HopperTensorCore.HALF_FP32),
        Arguments.of("a100_tf32.csv", AmpereTensorCore.TF32_FP32, HopperTensorCore.TF32_FP32));
  }

  static Stream<Arguments> everyFileAndOutput() {
    return Stream.of(
        Arguments.of("a100_fp16.csv", FpFormat.FP16, FpFormat.FP32),
        Arguments.of("a100_fp16.csv", FpFormat.FP16, FpFormat.FP16),
        Arguments.of("a100_bf16.csv", FpFormat.BF16, FpFormat.FP32),
        Arguments.of("a100_tf32.csv", FpFormat.TF32, FpFormat.FP32));
  }

  private static A100Rows fp32(String file) {
    A100Rows rows = A100Rows.load(file, FpFormat.FP32);
    assertEquals(ROWS, rows.rows().size(), file);
    return rows;
  }

  private static void assertRejected(A100Rows rows, BlockFmaParams params, String what) {
    long matched = rows.matched(params);
    assertTrue(matched < REJECTED_BELOW, rows.file() + ": " + what + " reproduces " + matched
        + " of " + rows.rows().size() + " rows; the data do not reject it");
  }

  private static void assertEveryRow(A100Rows rows, BlockFmaParams params, String what) {
    assertEquals(rows.rows().size(), rows.matched(params), rows.file() + ": " + what);
  }

  @ParameterizedTest
  @MethodSource("everyFileAndOutput")
  void thePresetTheModelPicksReproducesEveryRow(String file, FpFormat in, FpFormat out) {
    A100Rows rows = A100Rows.load(file, out);
    assertEquals(ROWS, rows.rows().size(), file + " " + out);
    DatapathPreset preset = AmpereTensorCore.INSTANCE.preset(in, in, out).orElseThrow();
    assertEveryRow(rows, preset.params(), preset.id());
  }

  @ParameterizedTest
  @MethodSource("fp32Files")
  void theFp32RowsRejectTheHopperParameters(String file, BlockFmaParams a100,
      BlockFmaParams hopper) {
    // Hopper keeps 25 alignment bits where A100 keeps 24 (the published model's issue #2).
    assertRejected(fp32(file), hopper, "Hopper's " + hopper.describe());
  }

  @ParameterizedTest
  @MethodSource("fp32Files")
  void theFp32RowsPinTheAlignmentWindowAt24TruncatedBits(String file, BlockFmaParams a100,
      BlockFmaParams hopper) {
    A100Rows rows = fp32(file);
    for (int bits = 20; bits <= 28; bits++) {
      if (bits != AmpereTensorCore.ALIGNMENT_BITS) {
        assertRejected(rows, a100.withAlignmentBits(bits), bits + " alignment bits");
      }
    }
    assertRejected(rows, a100.withAlignment(AlignmentMode.TRUNCATE_STICKY), "a sticky bit");
    assertRejected(rows, a100.withAlignment(AlignmentMode.ROUND_NEAREST_EVEN),
        "terms rounded to the window");
    assertRejected(rows, a100.withAlignment(AlignmentMode.EXACT), "an exact sum (B200 FP8)");
  }

  @ParameterizedTest
  @MethodSource("fp32Files")
  void theFp32RowsPutCInsideTheAlignmentAndNormaliseTo23Bits(String file, BlockFmaParams a100,
      BlockFmaParams hopper) {
    A100Rows rows = fp32(file);
    assertRejected(rows, a100.withAccumulatorJoin(AccumulatorJoin.AFTER_PRODUCTS),
        "C added exactly after the products");
    assertRejected(rows, a100.withAccumulatorJoin(AccumulatorJoin.AFTER_ALL_STEPS),
        "C added after the rounded step");
    assertRejected(rows, a100.withNormalisedMantissaBits(13),
        "a 13-bit normalisation (Hopper FP8)");
    assertRejected(rows, a100.withResultRounding(Rounding.RNE), "round to nearest into FP32");
  }

  @Test
  void theFp16OutputRowsRoundToNearestWithCInsideTheStep() {
    A100Rows rows = A100Rows.load("a100_fp16.csv", FpFormat.FP16);
    assertEquals(ROWS, rows.rows().size());
    BlockFmaParams a100 = AmpereTensorCore.HALF_FP16;
    assertRejected(rows, a100.withResultRounding(Rounding.RZ), "RZ into FP16");
    assertRejected(rows, a100.withAccumulatorJoin(AccumulatorJoin.AFTER_ALL_STEPS),
        "C added after the rounded step");
    // What they cannot show: rounding to 10 bits hides the adder's low bits, so Hopper's
    // 25-bit window fits them as well. The 24 bits rest on the FP32-output rows, the same adder.
    assertEveryRow(rows, HopperTensorCore.HALF_FP16, "Hopper's FP16 datapath");
  }

  @Test
  void aSubnormalFp16InputIsKept() {
    // One row only (an input of 0x83cb), so this one is not held to the 1% rule.
    A100Rows rows = fp32("a100_fp16.csv");
    long flushed = rows.matched(
        AmpereTensorCore.HALF_FP32.withInputSubnormals(SubnormalMode.FLUSH_TO_ZERO));
    assertTrue(flushed < ROWS, "flushing subnormal inputs reproduces every row");
  }

  @Test
  void theRowsRejectNarrowerStepsButCannotTellWiderOnes() {
    // Each row is one MMA whose k equals the step (m16n8k8 FP16/BF16, m16n8k4 TF32): half the
    // step means two rounded steps and is rejected; a wider step sums the same k products at
    // once, so the width beyond k comes from the published model, not from these rows.
    for (String file : new String[] {"a100_fp16.csv", "a100_bf16.csv"}) {
      A100Rows rows = fp32(file);
      assertRejected(rows, AmpereTensorCore.HALF_FP32.withProductsPerStep(4), "4 products/step");
      assertEveryRow(rows, AmpereTensorCore.HALF_FP32.withProductsPerStep(16), "16 products/step");
    }
    A100Rows tf32 = fp32("a100_tf32.csv");
    assertRejected(tf32, AmpereTensorCore.TF32_FP32.withProductsPerStep(2), "2 products/step");
    assertEveryRow(tf32, AmpereTensorCore.TF32_FP32.withProductsPerStep(8), "8 products/step");
  }
}

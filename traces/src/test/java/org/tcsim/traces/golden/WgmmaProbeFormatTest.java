package org.tcsim.traces.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.core.InputFormatException;
import org.tcsim.core.format.FpFormat;

/**
 * traces/capture/wgmma_probe.cu writes golden MMA rows; this sample is written by hand exactly as
 * its fprintf calls lay them out (comment lines, header, FP32 rows with 8-digit c/d, FP16 rows
 * with 4-digit c/d) and must be read by the golden MMA reader that `tcsim verify` uses.
 */
class WgmmaProbeFormatTest {

  static final String A = "38 40 44 00 b8 c0 c4 00 38 40 44 00 b8 c0 c4 00 "
      + "38 40 44 00 b8 c0 c4 00 38 40 44 00 b8 c0 c4 00";
  static final String B = "38 38 38 38 38 38 38 38 38 38 38 38 38 38 38 38 "
      + "38 38 38 38 38 38 38 38 38 38 38 38 38 38 38 38";

  static final String SAMPLE = """
      # Tensor-core outputs of single wgmma.mma_async m64n8k32 FP8 instructions, measured by
      # tcsim traces/capture/wgmma_probe.cu on NVIDIA H200 (sm_90); descriptors LBO=128 SBO=256, no swizzle.
      # One row = one output element D[i][j] = sum_k a[k]*b[k] + c (c = the accumulator input;
      # 0 with scale-d false on the *_c0 configurations). Configurations in order: sanity_e4m3_f32
      gpu,a_format,b_format,c_format,d_format,k,a,b,c,d,instruction
      h200,e4m3,e4m3,fp32,fp32,32,%s,%s,3f800000,3f800000,wgmma.mma_async
      h200,e4m3,e4m3,fp16,fp16,32,%s,%s,3c00,3c00,wgmma.mma_async
      """.formatted(A, B, A, B);

  @Test
  void probeRowsParseAsGoldenMmaRows() throws IOException {
    List<GoldenMmaRow> rows = GoldenMmaReader.read(new StringReader(SAMPLE), "probe.csv");
    assertEquals(2, rows.size());
    GoldenMmaRow f32 = rows.get(0);
    assertEquals("h200", f32.gpu());
    assertEquals(32, f32.k());
    assertEquals(FpFormat.FP32, f32.dFormat());
    assertEquals(0x44, f32.a()[2]);
    assertEquals(0x3f800000, f32.c());
    // The sample is self-consistent: A sums to 0 against B = 1, so D = C = 1.0.
    double dot = 0;
    for (int k = 0; k < 32; k++) {
      dot += FpFormat.E4M3.decode(f32.a()[k]) * FpFormat.E4M3.decode(f32.b()[k]);
    }
    assertEquals(0.0, dot);
    GoldenMmaRow f16 = rows.get(1);
    assertEquals(FpFormat.FP16, f16.cFormat());
    assertEquals(0x3c00, f16.d());
    assertEquals(7, f16.line());
    assertEquals("wgmma.mma_async", f16.instruction().ptxOpcode());
  }

  @Test
  void withoutTheColumnARowIsMmaSyncAndAnUnknownFamilyIsNamed() throws IOException {
    String plain = SAMPLE.replace(",instruction", "").replace(",wgmma.mma_async", "");
    assertEquals("mma.sync", GoldenMmaReader.read(new StringReader(plain), "p.csv").get(1)
        .instruction().ptxOpcode());
    String bad = SAMPLE.replaceFirst(",3c00,wgmma.mma_async", ",3c00,hmma");
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> GoldenMmaReader.read(new StringReader(bad), "probe.csv"));
    assertTrue(e.getMessage().contains("probe.csv") && e.getMessage().contains("instruction")
        && e.getMessage().contains("'hmma'"), e.getMessage());
  }

  /** The wgmma FP16-accumulator rows go to the wgmma preset, not to mma.sync's model. */
  @Test
  void wgmmaRowsTakeTheWgmmaPreset() throws IOException {
    List<GoldenMmaRow> rows = GoldenMmaReader.read(new StringReader(SAMPLE), "probe.csv");
    ReplaySummary summary = new ReplaySummary("probe", 5);
    List<String> presets = new java.util.ArrayList<>();
    new MmaReplayer(false).replay(rows, summary, o -> presets.add(o.preset().id()));
    assertEquals(List.of("h100.fp8.fp32", "h100.wgmma.fp8.fp16"), presets);
    assertEquals(2, summary.matched());
  }
}

package org.tcsim.h100;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.GemmResult;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.gpu.GemmRecipe;
import org.tcsim.gpu.GemmWorkload;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Library;
import org.tcsim.gpu.Simulation;

/**
 * 1x128 x 128x128 block-scaled FP8 GEMMs captured through {@code torch._scaled_mm} (cuBLASLt's
 * VEC128_32F and BLK128x128_32F scales) on an NVIDIA H200, replayed on the simulated H200 with the
 * cuBLASLt and torch libraries and compared bit for bit: K of 1024, 4096 and 640 (five scale blocks),
 * BF16 and FP32 outputs, non-trivial scales (traces/capture/h200/block/cases.csv).
 */
class H200BlockCaptureTest {

  static final Path DIR = Path.of("..", "traces", "capture", "h200", "block");

  private static long[] hex(String name) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(DIR.resolve(name)))) {
      String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
      String[] cells = text.split("\\s+");
      long[] out = new long[cells.length];
      for (int i = 0; i < cells.length; i++) {
        out[i] = Long.parseLong(cells[i], 16);
      }
      return out;
    }
  }

  private static byte[] bytes(long[] codes) {
    byte[] out = new byte[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = (byte) codes[i];
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"c0, 128, 256, 1024", "c1, 128, 256, 4096", "c2, 64, 128, 640"})
  void everyElementMatchesTheH200(String id, int m, int n, int k) throws IOException {
    int kb = (k + 127) / 128;
    int nb = (n + 127) / 128;
    long[] a = hex(id + ".a.hex.gz");
    long[] b = hex(id + ".b.hex.gz");
    long[] sa = hex(id + ".scale_a.hex.gz");
    long[] sbByK = hex(id + ".scale_b.hex.gz");
    assertEquals((long) m * k, a.length);
    assertEquals((long) n * k, b.length);
    assertEquals((long) m * kb, sa.length);
    assertEquals((long) kb * nb, sbByK.length);
    float[] scaleA = new float[m * kb];
    for (int i = 0; i < scaleA.length; i++) {
      scaleA[i] = Float.intBitsToFloat((int) sa[i]);
    }
    // The file is K blocks by N blocks; B's grid (N x K, K along rows) is N blocks by K blocks.
    float[] scaleB = new float[nb * kb];
    for (int q = 0; q < kb; q++) {
      for (int jb = 0; jb < nb; jb++) {
        scaleB[jb * kb + q] = Float.intBitsToFloat((int) sbByK[q * nb + jb]);
      }
    }
    KAxis ax = KAxis.ALONG_ROWS;
    QuantizedTensor qa = new QuantizedTensor(m, k, ax, ScaleMode.VEC128_32F, FpFormat.E4M3,
        ScaleMode.VEC128_32F.blockShape(m, k, ax), bytes(a), scaleA, null, 1f);
    QuantizedTensor qb = new QuantizedTensor(n, k, ax, ScaleMode.BLK128x128_32F, FpFormat.E4M3,
        ScaleMode.BLK128x128_32F.blockShape(n, k, ax), bytes(b), scaleB, null, 1f);
    for (FpFormat out : new FpFormat[] {FpFormat.BF16, FpFormat.FP32}) {
      long[] want = hex(id + "." + out.shortName() + ".d.hex.gz");
      assertEquals((long) m * n, want.length);
      for (Library library : new Library[] {Library.CUBLASLT, Library.TORCH}) {
        Simulation sim = Simulation.of(GpuCatalog.byName("h200"), new GemmWorkload(m, n, k, 1,
            FpFormat.E4M3, FpFormat.E4M3, GemmRecipe.BLOCK, false, library, out));
        GemmResult r = sim.run(sim.config(Simulation.Epilogue.DEFAULT, 2), qa, qb, null);
        int differ = 0;
        String first = null;
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            int got = r.d().code(i, j);
            if (got != (int) want[i * n + j]) {
              differ++;
              if (first == null) {
                first = "(" + i + ", " + j + "): H200 " + Long.toHexString(want[i * n + j])
                    + ", model " + Integer.toHexString(got);
              }
            }
          }
        }
        assertEquals(0, differ, id + " " + out + " " + library + ": " + differ + " of " + m * n
            + " differ, first " + first);
      }
    }
  }
}

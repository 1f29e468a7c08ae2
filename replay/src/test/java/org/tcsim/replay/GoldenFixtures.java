package org.tcsim.replay;

import java.util.Arrays;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.traces.golden.gemm.GemmProvenance;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.Scaling;

/** Golden GEMM cases whose expected outputs are derived by hand. */
public final class GoldenFixtures {
  private GoldenFixtures() {}

  /** E4M3 1.0 (0 0111 000). */
  public static final byte E4M3_ONE = 0x38;

  /**
   * All-ones A (m x k) and B (k x n), scaleA 0.5, scaleB 4: every element of D is exactly
   * 0.5 * 4 * k = 2k, with no rounding anywhere (every partial sum is a small integer). The
   * expected D is the FP32 code of 2k, written out here, not computed by tcsim.
   */
  public static GoldenGemmCase allOnes(String id, int m, int n, int k, int expectedFp32Code) {
    byte[] a = new byte[m * k];
    byte[] b = new byte[n * k];
    Arrays.fill(a, E4M3_ONE);
    Arrays.fill(b, E4M3_ONE);
    int[] d = new int[m * n];
    Arrays.fill(d, expectedFp32Code);
    return new GoldenGemmCase(id, "all ones", m, n, k, FpFormat.E4M3, FpFormat.E4M3, FpFormat.FP32,
        FpFormat.FP32, ScaleMode.SCALAR_32F, new float[] {0.5f}, new float[] {4f}, 1f, 1f, 0f,
        false, a, b, null, d, "ok", new GoldenGemmCase.Generators("ones", "ones", "-", "-", "-"),
        GemmProvenance.none());
  }

  /** The same case with one element's expected code replaced. */
  public static GoldenGemmCase withExpected(GoldenGemmCase g, int row, int col, int code) {
    int[] d = g.expectedD().clone();
    d[row * g.n() + col] = code;
    return new GoldenGemmCase(g.id(), g.purpose(), g.m(), g.n(), g.k(), g.aFormat(), g.bFormat(),
        g.cFormat(), g.dFormat(), g.scaleMode(), g.scaleA(), g.scaleB(), g.scaleD(), g.alpha(),
        g.beta(), g.fastAccum(), g.a(), g.b(), g.c(), d, g.status(), g.generators(),
        g.provenance());
  }

  /** A trace GEMM matching a golden case by name and shape (E4M3 in, FP32 out, on h100). */
  public static GemmSpec specFor(String name, int m, int n, int k) {
    return GemmSpec.builder(name, "h100", m, n, k).scaling(Scaling.both(ScaleMode.SCALAR_32F))
        .outFormat(FpFormat.FP32).build();
  }
}

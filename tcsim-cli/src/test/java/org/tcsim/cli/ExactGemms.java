package org.tcsim.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tcsim.traces.io.Npy;
import org.tcsim.traces.io.NpyDtype;

/**
 * Small GEMMs whose D is known without the simulator: integer elements from -4 to 4 and
 * power-of-two scales make every product and every partial sum an integer times a power of two
 * below 2^13 in magnitude, which every modelled datapath (13 or more bits kept after alignment,
 * FP32 promotion, exact-sum Blackwell MMAs) holds exactly; D is then the exact sum, computed
 * here in {@code double} (exact for these magnitudes), and converted by hand to the output:
 * FP32 exactly, BF16 by round-to-nearest-even on the FP32 bits, FP16 and FP8 only for values they
 * hold exactly. Element and scale codes come from the format definitions (OCP FP8 and MX v1.0,
 * NVFP4's UE4M3), not from tcsim's encoders.
 */
final class ExactGemms {
  private ExactGemms() {}

  /** One array to write: its dtype, shape and bits in C order. */
  record Array(NpyDtype dtype, long[] shape, int[] bits) {
    void write(Path p) throws IOException {
      Npy.write(p, dtype, false, shape, bits);
    }
  }

  /**
   * One GEMM and the options that check it.
   *
   * @param options the check options besides --a, --b, --scale-a, --scale-b, --expect
   */
  record Case(String name, int m, int n, Array a, Array b, Array scaleA, Array scaleB, Array d,
      List<String> options) {

    Path[] write(Path dir) throws IOException {
      Path[] p = {dir.resolve("a.npy"), dir.resolve("b.npy"), scaleA == null ? null
          : dir.resolve("sa.npy"), scaleB == null ? null : dir.resolve("sb.npy"),
          dir.resolve("d.npy")};
      a.write(p[0]);
      b.write(p[1]);
      if (scaleA != null) {
        scaleA.write(p[2]);
      }
      if (scaleB != null) {
        scaleB.write(p[3]);
      }
      d.write(p[4]);
      return p;
    }

    String[] args(Path[] p) {
      List<String> args = new ArrayList<>(List.of("check", "--a", p[0].toString(), "--b",
          p[1].toString(), "--expect", p[4].toString()));
      if (p[2] != null) {
        args.addAll(List.of("--scale-a", p[2].toString()));
      }
      if (p[3] != null) {
        args.addAll(List.of("--scale-b", p[3].toString()));
      }
      args.addAll(options);
      return args.toArray(String[]::new);
    }

    /** The same case with the lowest bit of D's first element flipped. */
    Case corrupted() {
      int[] bits = d.bits().clone();
      bits[0] ^= 1;
      return new Case(name, m, n, a, b, scaleA, scaleB, new Array(d.dtype(), d.shape(), bits),
          options);
    }
  }

  /** E4M3 codes of -4..4 (OCP FP8: bias 7; 1 = 0 0111 000, 3 = 0 1000 100). */
  static int e4m3(int v) {
    int[] pos = {0x00, 0x38, 0x40, 0x44, 0x48, 0x4A, 0x4C, 0x4E, 0x50};
    return v < 0 ? 0x80 | pos[-v] : pos[v];
  }

  /** E5M2 codes of -4..4 (bias 15; 1 = 0 01111 00, 3 = 0 10000 10). */
  static int e5m2(int v) {
    int[] pos = {0x00, 0x3C, 0x40, 0x42, 0x44};
    return v < 0 ? 0x80 | pos[-v] : pos[v];
  }

  /** E2M1 codes of -4..4 (OCP MX: bias 1; 1 = 0 01 0, 3 = 0 10 1, 4 = 0 11 0). */
  static int e2m1(int v) {
    int[] pos = {0x0, 0x2, 0x4, 0x5, 0x6};
    return v < 0 ? 0x8 | pos[-v] : pos[v];
  }

  /** A drawn integer in [-4, 4] for element (i, k) of operand {@code salt}. */
  static int value(int salt, int i, int k) {
    return Math.floorMod(i * 7 + k * 3 + salt * 5 + (i * k) % 5, 9) - 4;
  }

  interface Scale {
    double of(int outer, int kk);
  }

  /** D = alpha * sum_k (a[i,k] sa(i,k)) (b[k,j] sb(k,j)) in double: exact for these cases. */
  static double[] exact(int m, int n, int k, int[][] a, int[][] b, Scale sa, Scale sb,
      double alpha) {
    double[] d = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int kk = 0; kk < k; kk++) {
          s += a[i][kk] * sa.of(i, kk) * (b[kk][j] * sb.of(j, kk));
        }
        d[i * n + j] = alpha * s;
      }
    }
    return d;
  }

  static int[][] values(int salt, int rows, int cols, int limit) {
    int[][] v = new int[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        v[r][c] = Math.max(-limit, Math.min(limit, value(salt, r, c)));
      }
    }
    return v;
  }

  interface Codes {
    int of(int v);
  }

  static Array codes(int[][] v, Codes code, NpyDtype dtype) {
    int[] bits = new int[v.length * v[0].length];
    for (int r = 0; r < v.length; r++) {
      for (int c = 0; c < v[0].length; c++) {
        bits[r * v[0].length + c] = code.of(v[r][c]);
      }
    }
    return new Array(dtype, new long[] {v.length, v[0].length}, bits);
  }

  static int[][] transpose(int[][] v) {
    int[][] t = new int[v[0].length][v.length];
    for (int r = 0; r < v.length; r++) {
      for (int c = 0; c < v[0].length; c++) {
        t[c][r] = v[r][c];
      }
    }
    return t;
  }

  static Array fp32(int m, int n, double[] d) {
    int[] bits = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      float f = (float) d[i];
      if (f != d[i]) {
        throw new AssertionError("not exact in FP32: " + d[i]);
      }
      bits[i] = Float.floatToRawIntBits(f);
    }
    return new Array(NpyDtype.F4, new long[] {m, n}, bits);
  }

  /** BF16 by round-to-nearest-even on the FP32 bits (finite values). */
  static Array bf16(int m, int n, double[] d) {
    int[] bits = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      int f = Float.floatToRawIntBits((float) d[i]);
      bits[i] = (f + 0x7FFF + ((f >>> 16) & 1)) >>> 16;
    }
    return new Array(NpyDtype.U2, new long[] {m, n}, bits);
  }

  /** FP16 bits of values it holds exactly (normal or zero). */
  static Array fp16(int m, int n, double[] d) {
    int[] bits = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      double x = d[i];
      if (x == 0) {
        bits[i] = 0;
        continue;
      }
      int sign = x < 0 ? 0x8000 : 0;
      double ax = Math.abs(x);
      int e = Math.getExponent(ax);
      double frac = ax / Math.scalb(1.0, e) - 1; // [0, 1)
      double mant = frac * 1024;
      if (mant != Math.rint(mant) || e < -14 || e > 15) {
        throw new AssertionError("not exact in FP16: " + x);
      }
      bits[i] = sign | (e + 15) << 10 | (int) mant;
    }
    return new Array(NpyDtype.F2, new long[] {m, n}, bits);
  }

  static Array floats(long[] shape, double... v) {
    int[] bits = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      bits[i] = Float.floatToRawIntBits((float) v[i]);
    }
    return new Array(NpyDtype.F4, shape, bits);
  }

  static double pow2(int e) {
    return Math.scalb(1.0, e);
  }

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    // Per-tensor scales 0.5 and 4 (shapes (1,) and (1, 1)), E4M3 x E4M3 into FP32.
    {
      int m = 3;
      int n = 5;
      int k = 64;
      int[][] a = values(1, m, k, 4);
      int[][] b = values(2, k, n, 4);
      double[] d = exact(m, n, k, a, b, (i, kk) -> 0.5, (j, kk) -> 4, 1);
      out.add(new Case("tensor", m, n, codes(a, ExactGemms::e4m3, NpyDtype.U1),
          codes(b, ExactGemms::e4m3, NpyDtype.U1), floats(new long[] {1}, 0.5),
          floats(new long[] {1, 1}, 4), fp32(m, n, d),
          List.of("--gpu", "h100", "--out-dtype", "fp32")));
    }
    // No scale files, E4M3 x E5M2, alpha 0.25, into BF16 (sums up to 10 bits: BF16 rounds).
    {
      int m = 4;
      int n = 6;
      int k = 96;
      int[][] a = values(3, m, k, 4);
      int[][] b = values(4, k, n, 4);
      double[] d = exact(m, n, k, a, b, (i, kk) -> 1, (j, kk) -> 1, 0.25);
      out.add(new Case("unscaled-bf16", m, n, codes(a, ExactGemms::e4m3, NpyDtype.U1),
          codes(b, ExactGemms::e5m2, NpyDtype.F1), null, null, bf16(m, n, d),
          List.of("--gpu", "h100", "--a-format", "e4m3", "--alpha", "0.25", "--out-dtype",
              "bf16")));
    }
    // Row-wise scales, M x 1 and 1 x N, into FP16 (values it holds exactly).
    {
      int m = 3;
      int n = 4;
      int k = 32;
      int[][] a = values(5, m, k, 4);
      int[][] b = values(6, k, n, 4);
      Scale sa = (i, kk) -> pow2(i % 3 - 1);
      Scale sb = (j, kk) -> pow2(1 - j % 2);
      double[] d = exact(m, n, k, a, b, sa, sb, 1);
      out.add(new Case("rowwise-fp16", m, n, codes(a, ExactGemms::e4m3, NpyDtype.U1),
          codes(b, ExactGemms::e4m3, NpyDtype.U1), floats(new long[] {m, 1}, 0.5, 1, 2),
          floats(new long[] {1, n}, 2, 1, 2, 1), fp16(m, n, d),
          List.of("--gpu", "h100", "--scaling", "rowwise", "--out-dtype", "fp16")));
    }
    // 1x128 and 128x128 blocks, K = 256 and N = 130 (two blocks each way), B as K x N and as
    // N x K with its scales in that orientation.
    for (boolean nk : new boolean[] {false, true}) {
      int m = 3;
      int n = 130;
      int k = 256;
      int[][] a = values(7, m, k, 4);
      int[][] b = values(8, k, n, 4);
      Scale sa = (i, kk) -> pow2((i + kk / 128) % 3 - 1);
      Scale sb = (j, kk) -> pow2(kk / 128 - j / 128);
      double[] d = exact(m, n, k, a, b, sa, sb, 1);
      double[] saGrid = new double[m * 2];
      for (int i = 0; i < m; i++) {
        for (int g = 0; g < 2; g++) {
          saGrid[i * 2 + g] = sa.of(i, g * 128);
        }
      }
      double[] sbGrid = new double[4]; // [kb][nb] for K x N, [nb][kb] for N x K
      for (int kb = 0; kb < 2; kb++) {
        for (int nb = 0; nb < 2; nb++) {
          sbGrid[nk ? nb * 2 + kb : kb * 2 + nb] = sb.of(nb * 128, kb * 128);
        }
      }
      Array bArray = nk ? codes(transpose(b), ExactGemms::e4m3, NpyDtype.U1)
          : codes(b, ExactGemms::e4m3, NpyDtype.U1);
      // CUTLASS, which promotes with the block scales as DeepGEMM does: DeepGEMM's own kernel
      // writes only BF16 and wants N % 8 == 0 (sm90_fp8_gemm_1d2d.cuh), and this case is FP32 with
      // N = 130.
      List<String> options = new ArrayList<>(List.of("--gpu", "h800", "--scaling", "block",
          "--library", "cutlass", "--out-dtype", "fp32"));
      if (nk) {
        options.addAll(List.of("--b-layout", "nk"));
      }
      out.add(new Case("block" + (nk ? "-nk" : ""), m, n,
          codes(a, ExactGemms::e4m3, NpyDtype.U1), bArray,
          floats(new long[] {m, 2}, saGrid), floats(new long[] {2, 2}, sbGrid), fp32(m, n, d),
          options));
    }
    // MXFP8 on B200: E8M0 codes 126..128 (2^(code-127)), M x K/32 and K/32 x N, B's as an
    // ml_dtypes float8_e8m0fnu array (<V1).
    {
      int m = 2;
      int n = 3;
      int k = 64;
      int[][] a = values(9, m, k, 4);
      int[][] b = values(10, k, n, 4);
      int[] saCodes = new int[m * 2];
      int[] sbCodes = new int[2 * n];
      for (int i = 0; i < m; i++) {
        for (int g = 0; g < 2; g++) {
          saCodes[i * 2 + g] = 126 + (i + g) % 3;
        }
      }
      for (int g = 0; g < 2; g++) {
        for (int j = 0; j < n; j++) {
          sbCodes[g * n + j] = 128 - (g + 2 * j) % 3;
        }
      }
      Scale sa = (i, kk) -> pow2(saCodes[i * 2 + kk / 32] - 127);
      Scale sb = (j, kk) -> pow2(sbCodes[(kk / 32) * n + j] - 127);
      double[] d = exact(m, n, k, a, b, sa, sb, 1);
      out.add(new Case("mxfp8", m, n, codes(a, ExactGemms::e4m3, NpyDtype.U1),
          codes(b, ExactGemms::e4m3, NpyDtype.U1),
          new Array(NpyDtype.U1, new long[] {m, 2}, saCodes),
          new Array(NpyDtype.V1, new long[] {2, n}, sbCodes), fp32(m, n, d),
          List.of("--gpu", "b200", "--scaling", "mxfp8", "--out-dtype", "fp32")));
    }
    // NVFP4 on B200: E2M1 elements, UE4M3 scales 0.5, 1, 2 (0x30, 0x38, 0x40) per 16 along K,
    // the FP32 tensor scales folded into alpha = 2.
    {
      int m = 2;
      int n = 3;
      int k = 64;
      int[][] a = values(11, m, k, 4);
      int[][] b = values(12, k, n, 4);
      int[] ue = {0x30, 0x38, 0x40};
      int[] saCodes = new int[m * 4];
      int[] sbCodes = new int[4 * n];
      for (int i = 0; i < m; i++) {
        for (int g = 0; g < 4; g++) {
          saCodes[i * 4 + g] = ue[(i + g) % 3];
        }
      }
      for (int g = 0; g < 4; g++) {
        for (int j = 0; j < n; j++) {
          sbCodes[g * n + j] = ue[(2 * g + j) % 3];
        }
      }
      Scale sa = (i, kk) -> pow2(List.of(0x30, 0x38, 0x40).indexOf(saCodes[i * 4 + kk / 16]) - 1);
      Scale sb = (j, kk) -> pow2(List.of(0x30, 0x38, 0x40).indexOf(sbCodes[(kk / 16) * n + j])
          - 1);
      double[] d = exact(m, n, k, a, b, sa, sb, 2);
      out.add(new Case("nvfp4", m, n, codes(a, ExactGemms::e2m1, NpyDtype.U1),
          codes(b, ExactGemms::e2m1, NpyDtype.V1),
          new Array(NpyDtype.U1, new long[] {m, 4}, saCodes),
          new Array(NpyDtype.U1, new long[] {4, n}, sbCodes), fp32(m, n, d),
          List.of("--gpu", "b200", "--scaling", "nvfp4", "--alpha", "2", "--out-dtype", "fp32")));
    }
    // E4M3 output: 0/1 elements, K = 8, so D is an integer 0..8, which E4M3 holds.
    {
      int m = 3;
      int n = 3;
      int k = 8;
      int[][] a = new int[m][k];
      int[][] b = new int[k][n];
      for (int i = 0; i < m; i++) {
        for (int kk = 0; kk < k; kk++) {
          a[i][kk] = (i + kk) % 2 == 0 || kk < i ? 1 : 0;
        }
      }
      for (int kk = 0; kk < k; kk++) {
        for (int j = 0; j < n; j++) {
          b[kk][j] = (kk * j) % 3 == 0 ? 1 : 0;
        }
      }
      double[] d = exact(m, n, k, a, b, (i, kk) -> 1, (j, kk) -> 1, 1);
      int[] dc = new int[d.length];
      for (int i = 0; i < d.length; i++) {
        dc[i] = e4m3((int) d[i]);
      }
      out.add(new Case("e4m3-out", m, n, codes(a, ExactGemms::e4m3, NpyDtype.U1),
          codes(b, ExactGemms::e4m3, NpyDtype.U1), null, null,
          new Array(NpyDtype.V1, new long[] {m, n}, dc),
          List.of("--gpu", "h100", "--out-dtype", "e4m3")));
    }
    return out;
  }
}

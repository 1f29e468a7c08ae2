package org.tcsim.bench;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tcsim.ada.AdaTensorCore;
import org.tcsim.blackwell.BlackwellTensorCore;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.gemm.Gemm;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.GemmResult;
import org.tcsim.core.quant.CurrentScaling;
import org.tcsim.core.quant.ElementRounding;
import org.tcsim.core.quant.GroupScaling;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.Matrix;
import org.tcsim.core.quant.MxScaleRule;
import org.tcsim.core.quant.MxScaling;
import org.tcsim.core.quant.Nvfp4Scaling;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.Recipe;
import org.tcsim.core.quant.RowwiseScaling;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.h100.HopperTensorCore;

/**
 * Every bit-exact GEMM path (GPU x scaling recipe, as {@code tcsim gemm} runs them) at 2048^3 on
 * 2 threads, against two plain multithreaded Java FP32 GEMMs of the same shape and thread count in
 * the same run: a vectorised one (the baseline the speed target is measured against) and a scalar
 * blocked one. GMAC/s = size^3 / (seconds per op); the ratio to the vectorised baseline is the
 * cost of bit-exactness. Operands are Gaussian values quantised by each recipe (E4M3, or E2M1 for
 * NVFP4 and MXFP4), B stored N x K, promotion every 4 MMAs of K 32, FP32 output.
 * Run: {@code java -jar bench/target/benchmarks.jar GemmBench} (fork, warm-up and measurement
 * counts are in the annotations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class GemmBench {

  @Param({"2048"})
  int size;

  @Param({"2"})
  int threads;

  private float[] fa;
  private float[] fbT;
  private ExecutorService pool;

  @Setup(Level.Trial)
  public void setUp() {
    Random r = new Random(1);
    int n = size * size;
    fa = new float[n];
    fbT = new float[n];
    for (int i = 0; i < n; i++) {
      fa[i] = (float) FpFormat.E4M3.decode(
          FpFormat.E4M3.encode(r.nextGaussian(), Rounding.RNE, Overflow.SATFINITE));
      fbT[i] = (float) FpFormat.E4M3.decode(
          FpFormat.E4M3.encode(r.nextGaussian(), Rounding.RNE, Overflow.SATFINITE));
    }
    pool = Executors.newFixedThreadPool(threads);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.shutdownNow();
  }

  /**
   * One bit-exact path: {@code gpu.recipe}, the GPU's FP32-accumulating FP8 preset (as
   * {@code tcsim gemm}) with the recipe's operands; {@code b200.e5m2} is per-tensor scaling with
   * E5M2 B (the backward pass's gradients); {@code h100.fp16acc} is the FP16-accumulating
   * {@code mma.sync} preset (H100 and B200 share it) on E4M3 codes of N(0, 1) values with scale 1,
   * so that the FP16 sums stay in range.
   */
  @State(Scope.Benchmark)
  public static class Path {
    @Param({"h100.tensor", "h100.rowwise", "h100.block", "b200.tensor", "b200.rowwise",
        "b200.block", "b200.mxfp8", "b200.nvfp4", "b200.mxfp4", "b200.e5m2", "ada.tensor", "h100.fp16acc"})
    String path;

    BlockFmaParams params;
    GemmConfig config;
    QuantizedTensor a;
    QuantizedTensor b;

    @Setup(Level.Trial)
    public void setUp(GemmBench bench) {
      int s = bench.size;
      String gpu = path.substring(0, path.indexOf('.'));
      String recipe = path.substring(path.indexOf('.') + 1);
      params = switch (gpu) {
        case "h100" -> recipe.equals("fp16acc") ? HopperTensorCore.FP8_FP16
            : HopperTensorCore.FP8_FP32;
        case "b200" -> BlackwellTensorCore.FP8_FP32;
        case "ada" -> AdaTensorCore.FP8_FP32;
        default -> throw new IllegalArgumentException(path);
      };
      config = GemmConfig.hopper().withThreads(bench.threads);
      Random r = new Random(1);
      a = quantize(recipe, true, s, r);
      b = quantize(recipe, false, s, r);
    }

    private static QuantizedTensor quantize(String recipe, boolean isA, int s, Random r) {
      float[] x = new float[s * s];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      FpFormat e4m3 = FpFormat.E4M3;
      if (recipe.equals("fp16acc")) {
        byte[] codes = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
          codes[i] = (byte) e4m3.encode(x[i], Rounding.RNE, Overflow.SATFINITE);
        }
        return new QuantizedTensor(s, s, KAxis.ALONG_ROWS, ScaleMode.SCALAR_32F, e4m3,
            ScaleMode.SCALAR_32F.blockShape(s, s, KAxis.ALONG_ROWS), codes, new float[] {1f},
            null, 1f);
      }
      Recipe q = switch (recipe) {
        case "e5m2" -> new CurrentScaling(isA ? e4m3 : FpFormat.E5M2);
        case "tensor" -> new CurrentScaling(e4m3);
        case "rowwise" -> new RowwiseScaling(e4m3);
        case "block" -> new GroupScaling(e4m3,
            isA ? ScaleMode.VEC128_32F : ScaleMode.BLK128x128_32F);
        case "mxfp8" -> new MxScaling(e4m3, MxScaleRule.RCEIL, ElementRounding.RNE);
        case "nvfp4" -> new Nvfp4Scaling();
        case "mxfp4" -> new MxScaling(FpFormat.E2M1, MxScaleRule.RCEIL, ElementRounding.RNE);
        default -> throw new IllegalArgumentException(recipe);
      };
      return q.quantize(new Matrix(s, s, x), KAxis.ALONG_ROWS);
    }
  }

  /** A bit-exact GEMM on the simulated tensor cores. */
  @Benchmark
  public GemmResult bitExact(Path p) {
    return Gemm.run(p.params, p.config, p.a, p.b);
  }

  /**
   * The stronger baseline: plain FP32 GEMM in the form HotSpot vectorises. B (N x K) is first
   * copied to K x N (inside the timed region), then each row of D is built as a sum of rows of B
   * scaled by A's elements (axpy over 1024 columns, K in blocks of 64, 32-row panels shared
   * between the threads). About 2.5x the score of {@link #plainFp32} on the development machine.
   */
  @Benchmark
  public float[][] vectorisedFp32() throws Exception {
    int s = size;
    float[][] bKn = new float[s][s];
    for (int n = 0; n < s; n++) {
      for (int kk = 0; kk < s; kk++) {
        bKn[kk][n] = fbT[n * s + kk];
      }
    }
    float[][] d = new float[s][s];
    int blockN = 1024;
    int blockK = 64;
    inPanels(32, (i0, i1) -> {
      for (int n0 = 0; n0 < s; n0 += blockN) {
        int n1 = Math.min(s, n0 + blockN);
        for (int k0 = 0; k0 < s; k0 += blockK) {
          int k1 = Math.min(s, k0 + blockK);
          for (int i = i0; i < i1; i++) {
            float[] row = d[i];
            for (int kk = k0; kk < k1; kk++) {
              axpy(row, fa[i * s + kk], bKn[kk], n0, n1);
            }
          }
        }
      }
    });
    return d;
  }

  /** Rows [i0, i1) of one panel of D. */
  private interface Panel {
    void rows(int i0, int i1);
  }

  /**
   * Runs {@code panel} over the rows of D in panels of {@code rows}, the panels handed out to the
   * benchmark's threads as they come free.
   */
  private void inPanels(int rows, Panel panel) throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        for (int p = next.getAndIncrement(); p * rows < size; p = next.getAndIncrement()) {
          panel.rows(p * rows, Math.min(size, p * rows + rows));
        }
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }

  /** row[j] += x * b[j]: one index for every array, the loop shape C2 turns into SIMD code. */
  private static void axpy(float[] row, float x, float[] b, int lo, int hi) {
    for (int j = lo; j < hi; j++) {
      row[j] += x * b[j];
    }
  }

  /**
   * Plain FP32 GEMM, D = A B^T with both operands K-contiguous (the same "TN" layout), blocked
   * 4 x 4 outputs at a time over 64-row panels, rows split across the same number of threads.
   * Its four-way dot products are scalar code (Java keeps float sums in order, so C2 does not
   * vectorise them): the weaker baseline, kept for comparison with earlier figures.
   */
  @Benchmark
  public float[] plainFp32() throws Exception {
    int s = size;
    float[] d = new float[s * s];
    inPanels(64, (i0, i1) -> {
      for (int j0 = 0; j0 < s; j0 += 4) {
        for (int i = i0; i < i1; i += 4) {
          block(d, i, j0, s);
        }
      }
    });
    return d;
  }

  private void block(float[] d, int i, int j, int s) {
    for (int ii = i; ii < i + 4; ii++) {
      int ar = ii * s;
      float s0 = 0;
      float s1 = 0;
      float s2 = 0;
      float s3 = 0;
      int b0 = j * s;
      int b1 = b0 + s;
      int b2 = b1 + s;
      int b3 = b2 + s;
      for (int k = 0; k < s; k++) {
        float x = fa[ar + k];
        s0 += x * fbT[b0 + k];
        s1 += x * fbT[b1 + k];
        s2 += x * fbT[b2 + k];
        s3 += x * fbT[b3 + k];
      }
      d[ii * s + j] = s0;
      d[ii * s + j + 1] = s1;
      d[ii * s + j + 2] = s2;
      d[ii * s + j + 3] = s3;
    }
  }
}

package org.tcsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.AccuracySummary;
import org.tcsim.core.gemm.CodeMatrix;
import org.tcsim.core.gemm.DBlockScales;
import org.tcsim.core.gemm.GemmAccuracy;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.GemmResult;
import org.tcsim.core.gemm.MemoryEstimate;
import org.tcsim.core.gemm.PromotionRule;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.Matrix;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.Recipe;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.gpu.GemmRecipe;
import org.tcsim.gpu.GemmWorkload;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Library;
import org.tcsim.gpu.Simulation;
import org.tcsim.studies.whatif.OperandDistribution;
import org.tcsim.traces.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tcsim gemm}: one scaled FP8 GEMM on seeded random data, bit for bit as the tensor cores
 * compute it, with its accuracy against the exact product of the dequantised operands.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
    description = {
        "Run one FP8 GEMM D = alpha * scaleA * scaleB * (A B) on seeded random data as a tensor-core "
            + "kernel computes it (MMA instructions, FP32 promotion, epilogue), print its accuracy "
            + "against the exact product of the dequantised operands, time and GMAC/s.",
        "Example: tcsim gemm --gpu h100 --m 1024 --n 1024 --k 4096 --out-dtype bf16 --scaling block "
            + "--dist outliers"},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.LINE_OK, "2:bad input or usage (bad option, unknown format or GPU, "
        + "bad shape, a GEMM the library cannot run: the rule and its source are printed, a GEMM "
        + "too large for the heap)", ExitCodes.LINE_INTERNAL})
public final class GemmCommand implements Callable<Integer> {

  /** Input distributions. */
  enum Dist { normal, uniform, outliers, student }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--gpu", defaultValue = "h100",
      description = "GPU, any name of tcsim gpus (default ${DEFAULT-VALUE})")
  String gpu;

  @Option(names = "--m", required = true, description = "rows of A and D") int m;
  @Option(names = "--n", required = true, description = "columns of B and D") int n;
  @Option(names = "--k", required = true, description = "the reduction length") int k;

  @Option(names = "--a", defaultValue = "e4m3", description = "A format: e4m3 or e5m2") String aName;
  @Option(names = "--b", defaultValue = "e4m3", description = "B format: e4m3 or e5m2") String bName;

  @Option(names = "--out-dtype", paramLabel = "FORMAT", defaultValue = "fp32",
      description = "D format: fp32, bf16, fp16, e4m3, e5m2, or e2m1 (NVFP4); an FP8/FP4 D of an "
          + "MX or NVFP4 GEMM is block-scaled with computed scales (default ${DEFAULT-VALUE})")
  String outName;

  /** In tcsim --out always names a file or folder; the output format is --out-dtype. */
  @Option(names = "--out", hidden = true)
  String outWasFormat;

  @Option(names = "--scale-d", defaultValue = "1", description = "scaleD for FP8 outputs with a "
      + "scalar scale; scale_D^in for a block-scaled e2m1 D")
  float scaleD;

  @Option(names = {"--scaling", "--recipe"}, defaultValue = "tensor", converter = RecipeConverter.class,
      description = "tensor (current scaling, SCALAR_32F), rowwise (OUTER_VEC_32F), block (1x128 A x"
          + " 128x128 B, VEC128_32F x BLK128x128_32F), mxfp8 (VEC32_UE8M0, RCEIL), nvfp4 "
          + "(VEC16_UE4M3; A and B become E2M1), mxfp4 (VEC32_UE8M0, E2M1); Transformer Engine "
          + "recipe names are accepted too; default ${DEFAULT-VALUE}")
  GemmRecipe scaling;

  @Option(names = "--library", defaultValue = "cublaslt", converter = LibraryConverter.class,
      description = "the library whose kernel is reproduced: cublaslt, torch, deepgemm, cutlass "
          + "(default ${DEFAULT-VALUE}); its promotion interval and fast-accumulation meaning on "
          + "the GPU come from the GPU catalogue, its epilogue order and what it refuses from its "
          + "documentation or source")
  Library library;

  @Option(names = "--fast-accum", description = "the library's fast-accumulation flag (cuBLASLt "
      + "FAST_ACCUM, torch use_fast_accum)")
  boolean fastAccum;

  @Option(names = "--promotion-interval",
      description = "what-if: MMAs between FP32 promotions (0 = never; default: the library's on "
          + "the GPU)")
  Integer promotionInterval;

  @Option(names = "--promotion-rule",
      description = "what-if: FMA or MULTIPLY_THEN_ADD (default: the library's)")
  PromotionRule promotionRule;

  @Option(names = "--mma-k", description = "what-if: K per MMA instruction (default: the "
      + "library's on the GPU)")
  Integer mmaK;
  @Option(names = "--split-k", defaultValue = "1", description = "split-K slices") int splitK;
  @Option(names = "--alpha", defaultValue = "1") float alpha;

  @Option(names = "--dist", defaultValue = "normal",
      description = "normal, uniform (-1, 1), outliers (normal with a fraction of x100 values), "
          + "student (Student-t, 3 degrees of freedom); default ${DEFAULT-VALUE}")
  Dist dist;

  @Option(names = "--outlier-fraction", defaultValue = "0.001") double outlierFraction;
  @Option(names = "--seed", defaultValue = "1") long seed;

  @Option(names = "--threads", description = "worker threads (default: all processors)")
  Integer threads;

  @Option(names = "--sample", defaultValue = "2048",
      description = "elements compared with the exact product (all when D has no more; default "
          + "${DEFAULT-VALUE})")
  int sample;

  @Option(names = "--write", paramLabel = "FILE",
      description = "write A, B and D as CSV rows tensor,row,col,code,value, with every scale: "
          + "block scales, NVFP4's per-tensor scales, D's computed block scales and scaleD")
  Path write;

  @Option(names = "--quiet", description = "no progress line on stderr (shown for GEMMs that "
      + "run longer than a few seconds on a terminal)")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    if (outWasFormat != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--out names a file in tcsim; "
          + "the output format is --out-dtype (--out-dtype " + outWasFormat + "), a file of "
          + "inputs and outputs is --write FILE");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (m <= 0 || n <= 0 || k <= 0) {
      throw new IllegalArgumentException("--m, --n and --k must be positive, got " + m + ", " + n
          + ", " + k);
    }
    Gpu g = GpuCatalog.byName(gpu);
    FpFormat fa = scaling.elementFormat(FpFormat.parse(aName));
    FpFormat fb = scaling.elementFormat(FpFormat.parse(bName));
    FpFormat outFormat = FpFormat.parse(outName);
    Simulation sim = Simulation.of(g, new GemmWorkload(m, n, k, 1, fa, fb, scaling, fastAccum,
        library, outFormat));
    DatapathPreset preset = sim.preset();
    BlockFmaParams params = preset.params();
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    GemmConfig config = sim.config(new Simulation.Epilogue(alpha, 0f, scaleD), t);
    if (mmaK != null) {
      config = config.withMmaK(mmaK);
    }
    if (promotionInterval != null) {
      config = config.withPromotionInterval(fastAccum ? 0 : promotionInterval);
    }
    if (promotionRule != null) {
      config = config.withPromotionRule(promotionRule);
    }
    if (splitK != 1) {
      config = config.withSplitK(splitK);
    }
    // Inputs: FP32 data (and the recipe's copy) plus codes, before the GEMM's own estimate.
    long inputBytes = 9L * ((long) m * k + (long) n * k);
    MemoryEstimate.of(m, n, k, t).withInputBytes(inputBytes)
        .requireFits(MemoryEstimate.availableHeap());

    Random random = new Random(seed);
    QuantizedTensor a = quantize(scaling.quantiser(fa, true), generate(m, k, random));
    QuantizedTensor b = quantize(scaling.quantiser(fb, false), generate(n, k, random));
    out.printf(Locale.ROOT, "GEMM %dx%dx%d on %s, preset %s (%s): %s%n", m, n, k, g.id(),
        preset.id(), preset.evidence(), params.describe());
    out.printf(Locale.ROOT, "library %s on %s: %s%n", library, g.id(),
        sim.kernels().describe());
    out.printf(Locale.ROOT, "A %s %s, B %s %s (stored N x K), %s inputs seed %d%n",
        a.elementFormat(), a.mode(), b.elementFormat(), b.mode(), dist, seed);
    out.println("config: " + config.describe() + ", threads " + t);
    out.flush();
    long t0 = System.nanoTime();
    GemmResult r;
    ReplayProgress.Mode shown = ReplayProgress.Mode.forStderr(quiet);
    try (GemmMonitor monitor = new GemmMonitor(err, shown)) {
      r = sim.run(config, a, b, null, monitor);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    out.printf(Locale.ROOT, "kernel %s: %.3f s, %.3f GMAC/s; amaxD %s%n", r.kernel(), seconds,
        (double) m * n * k / seconds / 1e9, r.amaxD());
    if (r.dScales() != null) {
      out.printf(Locale.ROOT, "D: %s with %d x %d %s block scales (one per %d rows of a column, "
          + "computed from D), scale_D^in %s%n", r.d().format().shortName(),
          r.dScales().blockRows(), r.dScales().cols(), r.dScales().mode(), r.dScales().block(),
          r.dScales().scaleDIn());
    }
    AccuracySummary s = GemmAccuracy.compare(r, a, b, null, sample, seed);
    out.println(s.format());
    predictedTime(out, sim.time());
    if (s.sampled()) {
      out.println("(exact reference computed on a random sample of " + s.compared()
          + " elements; --sample N to change)");
    }
    if (write != null) {
      writeCsv(write, a, b, r);
      out.println("wrote " + write);
    }
    return 0;
  }

  /** The timing model's prediction for the same GEMM on the same GPU, beside its accuracy. */
  private static void predictedTime(PrintWriter out, Simulation.Timing time) {
    if (time.result() == null) {
      out.println("predicted time: " + time.note());
      return;
    }
    var t = time.result();
    out.printf(Locale.ROOT, "predicted on %s: %.2f us, %.1f TFLOPS, bound %s (tile %s, %d wave%s)%n",
        t.machine(), t.microseconds(), t.tflops(), t.bound().label(), t.config().tileText(), t.waves(),
        t.waves() == 1 ? "" : "s");
  }

  /** Recipe names and Transformer Engine aliases. */
  static final class RecipeConverter implements CommandLine.ITypeConverter<GemmRecipe> {
    @Override
    public GemmRecipe convert(String value) {
      return GemmRecipe.parse(value);
    }
  }

  /** Library names. */
  static final class LibraryConverter implements CommandLine.ITypeConverter<Library> {
    @Override
    public Library convert(String value) {
      return Library.parse(value);
    }
  }

  private static QuantizedTensor quantize(Recipe recipe, Matrix x) {
    return recipe.quantize(x, KAxis.ALONG_ROWS);
  }

  /** The operands' FP32 values, from the same seeded generators the what-if studies use. */
  private Matrix generate(int rows, int cols, Random random) {
    OperandDistribution d = switch (dist) {
      case normal -> new OperandDistribution(OperandDistribution.Kind.NORMAL, 0, 1);
      case uniform -> new OperandDistribution(OperandDistribution.Kind.UNIFORM, 0, 1);
      case outliers -> new OperandDistribution(OperandDistribution.Kind.OUTLIERS, outlierFraction,
          100);
      case student -> new OperandDistribution(OperandDistribution.Kind.STUDENT, 0, 1);
    };
    return d.generate(rows, cols, random);
  }

  private static void writeCsv(Path path, QuantizedTensor a, QuantizedTensor b, GemmResult r)
      throws IOException {
    AtomicFiles.write(path, w -> {
      w.write("# tcsim gemm: A is M x K, B is N x K (K along rows), D is M x N; value = exact value "
          + "of the code. X_scale rows: one per scale block (row, col of the block grid; code for "
          + "E8M0/UE4M3 scales); X_tensor_scale: NVFP4's FP32 per-tensor decode scale; A and B "
          + "elements = value x block scale x tensor scale. D_scale: D's computed block scales "
          + "(block row along M, column) or the scalar scaleD of an FP8 D; D_scale_in: scale_D^in; "
          + "D elements = value x D_scale / D_scale_in (FP8 with a scalar scale: value / D_scale)\n");
      w.write("tensor,row,col,code,value\n");
      tensor(w, "A", a);
      tensor(w, "B", b);
      CodeMatrix d = r.d();
      for (int i = 0; i < d.rows(); i++) {
        for (int j = 0; j < d.cols(); j++) {
          w.write("D," + i + "," + j + "," + d.format().hex(d.code(i, j)) + "," + r.value(i, j)
              + "\n");
        }
      }
      DBlockScales ds = r.dScales();
      if (ds != null) {
        for (int x = 0; x < ds.blockRows() * ds.cols(); x++) {
          int row = x / ds.cols() * ds.block();
          int col = x % ds.cols();
          w.write("D_scale," + x / ds.cols() + "," + col + ","
              + ds.mode().scaleFormat().hex(ds.codeAt(row, col)) + "," + ds.scaleAt(row, col)
              + "\n");
        }
        w.write("D_scale_in,0,0,," + ds.scaleDIn() + "\n");
      } else if (d.format() == FpFormat.E4M3 || d.format() == FpFormat.E5M2) {
        w.write("D_scale,0,0,," + r.config().scaleD() + "\n");
      }
    });
  }

  private static void tensor(Writer w, String name, QuantizedTensor q) throws IOException {
    for (int i = 0; i < q.rows(); i++) {
      for (int j = 0; j < q.cols(); j++) {
        int code = q.code(i, j);
        w.write(name + "," + i + "," + j + "," + q.elementFormat().hex(code) + ","
            + q.elementFormat().decode(code) + "\n");
      }
    }
    FpFormat scaleFormat = q.mode().scaleFormat();
    byte[] codes = q.scaleCodes();
    for (int x = 0; x < q.blockCount(); x++) {
      String code = codes == null ? "" : scaleFormat.hex(codes[x] & 0xFF);
      w.write(name + "_scale," + x / q.gridCols() + "," + x % q.gridCols() + "," + code + ","
          + q.blockScale(x) + "\n");
    }
    if (q.mode() == ScaleMode.VEC16_UE4M3) {
      w.write(name + "_tensor_scale,0,0,," + q.tensorScale() + "\n");
    }
  }
}

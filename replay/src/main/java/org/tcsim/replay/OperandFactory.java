package org.tcsim.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.gemm.CodeMatrix;
import org.tcsim.core.gemm.GemmTooLargeException;
import org.tcsim.core.gemm.MemoryEstimate;
import org.tcsim.core.quant.CurrentScaling;
import org.tcsim.core.quant.ElementRounding;
import org.tcsim.core.quant.GroupScaling;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.Matrix;
import org.tcsim.core.quant.MxScaleRule;
import org.tcsim.core.quant.MxScaling;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.Recipe;
import org.tcsim.core.quant.RowwiseScaling;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.core.InputFormatException;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.io.Npy;
import org.tcsim.traces.io.NpyArray;
import org.tcsim.traces.io.NpyDtype;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.OperandData;

/**
 * Builds the operands of one product of a trace GEMM: from its seed, from its {@code .npy} files,
 * or from the golden case it is compared with.
 *
 * <p><b>Seeded data</b> is what a model's activations and weights look like before quantisation:
 * standard normal FP32 values from {@link Random} (whose algorithm the JDK specifies, so a seed
 * gives the same data on every JVM), seeded by the spec's seed, the group and the operand; then
 * quantised with the recipe the spec's scale mode names: SCALAR_32F current scaling
 * (Transformer Engine), OUTER_VEC_32F row-wise (torchao), VEC128_32F / BLK128x128_32F DeepSeek-V3
 * groups, VEC32_UE8M0 MXFP8 with RCEIL (docs/hardware-facts.md, Block scaling). With no scaling the
 * values are rounded to
 * FP8 directly (RNE, satfinite) and the scales are 1.
 */
public final class OperandFactory {
  private OperandFactory() {}

  /** Seeded operands of group {@code group} (0-based) of {@code spec}. */
  public static ReplayOperands seeded(GemmSpec spec, long seed, int group) {
    int m = narrow(spec.m(), "m");
    int n = narrow(spec.n(), "n");
    int k = narrow(spec.k(), "k");
    requireInputsFit(m, n, k);
    QuantizedTensor a = quantize(spec.scaling().isNone() ? null : spec.scaling().a(),
        spec.aFormat(), normal(m, k, new Random(mix(seed, group, 0))));
    QuantizedTensor b = quantize(spec.scaling().isNone() ? null : spec.scaling().b(),
        spec.bFormat(), normal(n, k, new Random(mix(seed, group, 1))));
    CodeMatrix c = null;
    if (spec.beta() != 0) {
      Random r = new Random(mix(seed, group, 2));
      float[] v = new float[Math.multiplyExact(m, n)];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
      c = CodeMatrix.ofFloats(m, n, v);
    }
    return new ReplayOperands(a, b, c, (float) spec.alpha(), (float) spec.beta(),
        spec.outFormat(), 1f, spec.fastAccum(), null, null, "");
  }

  /**
   * Operands from the spec's {@code .npy} files (paths already resolved): A (m x k) and B (k x n)
   * as FP8 codes ({@code |u1} or an ml_dtypes array) with scale files as {@link NpyOperand} reads
   * them, or as FP32 ({@code <f4}) / BF16 bits ({@code <u2}) / FP16 ({@code <f2}) quantised with
   * the spec's recipe, which the result's note says (a wider type where FP8 codes were meant is a
   * common slip); a scale file beside such data is refused, since scales belong to codes. C as
   * FP32. One group only.
   */
  public static ReplayOperands files(GemmSpec spec, OperandData.Files files) throws IOException {
    if (spec.groups() != 1) {
      throw new IllegalArgumentException("data files are read for single GEMMs only; "
          + spec.name() + " has " + spec.groups() + " groups");
    }
    int m = narrow(spec.m(), "m");
    int n = narrow(spec.n(), "n");
    int k = narrow(spec.k(), "k");
    requireInputsFit(m, n, k);
    java.util.List<String> notes = new java.util.ArrayList<>();
    QuantizedTensor a = fromFile(files.a(), files.aScale().orElse(null), m, k, false,
        spec.scaling().isNone() ? null : spec.scaling().a(), spec.aFormat(), "A", notes);
    QuantizedTensor b = fromFile(files.b(), files.bScale().orElse(null), k, n, true,
        spec.scaling().isNone() ? null : spec.scaling().b(), spec.bFormat(), "B", notes);
    CodeMatrix c = null;
    if (spec.beta() != 0) {
      if (files.c().isEmpty()) {
        throw new IllegalArgumentException(spec.name() + ": beta is " + spec.beta()
            + " but no c_data file is given");
      }
      try (NpyArray f = Npy.open(files.c().get())) {
        f.requireShape(m, n, "C");
        requireDtype(f, NpyDtype.F4, "C");
        int[] codes = new int[m * n];
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            codes[i * n + j] = f.bits(f.index(i, j));
          }
        }
        c = new CodeMatrix(FpFormat.FP32, m, n, codes);
      }
    }
    return new ReplayOperands(a, b, c, (float) spec.alpha(), (float) spec.beta(),
        spec.outFormat(), 1f, spec.fastAccum(), null, null, String.join("; ", notes));
  }

  /** The operands, settings and measured output of a golden GEMM case. */
  public static ReplayOperands golden(GoldenGemmCase g) {
    KAxis k = KAxis.ALONG_ROWS;
    QuantizedTensor a = new QuantizedTensor(g.m(), g.k(), k, g.scaleMode(), g.aFormat(),
        g.scaleMode().blockShape(g.m(), g.k(), k), g.a(), g.scaleA(), null, 1f);
    QuantizedTensor b = new QuantizedTensor(g.n(), g.k(), k, g.scaleMode(), g.bFormat(),
        g.scaleMode().blockShape(g.n(), g.k(), k), g.b(), g.scaleB(), null, 1f);
    CodeMatrix c = g.c() == null || g.beta() == 0f ? null
        : new CodeMatrix(g.cFormat(), g.m(), g.n(), g.c());
    boolean fp8Out = g.dFormat() == FpFormat.E4M3 || g.dFormat() == FpFormat.E5M2;
    return new ReplayOperands(a, b, c, g.alpha(), g.beta(), g.dFormat(),
        fp8Out ? g.scaleD() : 1f, g.fastAccum(), g.captured() ? g.expectedD() : null, g.id(),
        "");
  }

  private static QuantizedTensor fromFile(Path data, Path scale, int rows, int cols,
      boolean isB, ScaleMode mode, FpFormat element, String what, java.util.List<String> notes)
      throws IOException {
    // A is m x k, B is k x n: B is read transposed into N x K so that K runs along rows.
    int outer = isB ? cols : rows;
    int k = isB ? rows : cols;
    NpyDtype dtype;
    try (NpyArray f = Npy.open(data)) {
      f.requireShape(rows, cols, what);
      dtype = f.header().dtype();
    }
    if (dtype.itemSize() == 1) {
      // Codes with their scales: read as tcsim check reads them (one reader, one set of rules).
      return NpyOperand.read(new NpyOperand.Request(isB ? NpyOperand.Role.B_KN
          : NpyOperand.Role.A, data, element, true, mode, scale));
    }
    if (scale != null) {
      throw new InputFormatException(data.toString(), 0, "descr", what + " holds "
          + wide(dtype) + " values (" + dtype.descr() + "), not " + element.shortName()
          + " codes (|u1), yet a scale file is given: scales go with codes. Save the codes "
          + "(x.view(np.uint8)), or drop the scale file to have tcsim quantise the values");
    }
    notes.add(what + ": " + wide(dtype) + " values quantised to "
        + element.shortName() + (mode == null ? " (RNE, satfinite, scale 1)"
        : " with " + mode + " scaling") + "; FP8 codes are read from |u1 files");
    try (NpyArray f = Npy.open(data)) {
      float[] v = new float[Math.multiplyExact(outer, k)];
      for (int o = 0; o < outer; o++) {
        for (int kk = 0; kk < k; kk++) {
          int bits = f.bits(isB ? f.index(kk, o) : f.index(o, kk));
          v[o * k + kk] = switch (dtype) {
            case F4 -> Float.intBitsToFloat(bits);
            case U2, V2 -> Float.intBitsToFloat(bits << 16); // BF16 bits widen exactly
            case F2 -> (float) FpFormat.FP16.decode(bits);
            case U1, V1, F1 -> throw new AssertionError();
          };
        }
      }
      return quantize(mode, element, new Matrix(outer, k, v));
    }
  }

  private static String wide(NpyDtype dtype) {
    return switch (dtype) {
      case F4 -> "float32";
      case U2, V2 -> "bfloat16";
      case F2 -> "float16";
      case U1, V1, F1 -> "8-bit";
    };
  }

  private static void requireDtype(NpyArray f, NpyDtype dtype, String what) {
    if (f.header().dtype() != dtype) {
      throw new InputFormatException(f.source(), 0, "descr", what + " must be " + dtype.descr()
          + ", the file holds " + f.header().dtype().descr());
    }
  }

  /** The recipe named by a scale mode (null: no scaling). */
  static Recipe recipe(ScaleMode mode, FpFormat element) {
    return switch (mode) {
      case SCALAR_32F -> new CurrentScaling(element);
      case OUTER_VEC_32F -> new RowwiseScaling(element);
      case VEC128_32F, BLK128x128_32F -> new GroupScaling(element, mode);
      case VEC32_UE8M0 -> new MxScaling(element, MxScaleRule.RCEIL, ElementRounding.RNE);
      case VEC16_UE4M3 -> throw new IllegalArgumentException(
          "VEC16_UE4M3 is NVFP4's scale mode; FP8 operands cannot use it");
    };
  }

  private static QuantizedTensor quantize(ScaleMode mode, FpFormat element, Matrix x) {
    if (mode != null) {
      return recipe(mode, element).quantize(x, KAxis.ALONG_ROWS);
    }
    float[] v = x.data();
    byte[] codes = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      codes[i] = (byte) element.encode(v[i], Rounding.RNE, Overflow.SATFINITE);
    }
    return new QuantizedTensor(x.rows(), x.cols(), KAxis.ALONG_ROWS, ScaleMode.SCALAR_32F,
        element, ScaleMode.SCALAR_32F.blockShape(x.rows(), x.cols(), KAxis.ALONG_ROWS), codes,
        new float[] {1f}, null, 1f);
  }

  private static Matrix normal(int rows, int cols, Random random) {
    float[] v = new float[Math.multiplyExact(rows, cols)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return new Matrix(rows, cols, v);
  }

  /** A seed per (trace seed, group, operand), spread by the SplitMix64 finaliser. */
  static long mix(long seed, int group, int operand) {
    long z = seed * 0x9E3779B97F4A7C15L + group * 0xBF58476D1CE4E5B9L + operand + 1;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Refuses operands that cannot be built: FP32 data (and the recipe's copy) plus codes, 9 bytes
   * per input element, must fit the heap now.
   */
  static void requireInputsFit(int m, int n, int k) {
    long bytes = 9L * ((long) m * k + (long) n * k);
    long available = MemoryEstimate.availableHeap();
    if (bytes > available || (long) m * k > Integer.MAX_VALUE - 8
        || (long) n * k > Integer.MAX_VALUE - 8) {
      throw new GemmTooLargeException("operands " + m + "x" + k + " and " + n + "x" + k
          + " need about " + MemoryEstimate.human(bytes) + " of heap to build but "
          + MemoryEstimate.human(available) + " is available (max heap "
          + MemoryEstimate.human(Runtime.getRuntime().maxMemory()) + "); raise -Xmx "
          + "(TCSIM_JAVA_OPTS for ./tcsim)");
    }
  }

  private static int narrow(long v, String what) {
    if (v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(what + "=" + v + " is beyond what one replay holds");
    }
    return (int) v;
  }
}

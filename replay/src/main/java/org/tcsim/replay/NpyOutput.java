package org.tcsim.replay;

import java.io.IOException;
import java.nio.file.Path;
import org.tcsim.core.InputFormatException;
import org.tcsim.core.format.FpFormat;
import org.tcsim.traces.io.Npy;
import org.tcsim.traces.io.NpyArray;
import org.tcsim.traces.io.NpyDtype;

/**
 * A GEMM output D read from {@code .npy} as codes of its format: FP32 as {@code float32}; FP16 as
 * {@code float16} or {@code uint16} bit patterns; BF16 as {@code uint16} bit patterns or an
 * ml_dtypes {@code bfloat16} array; FP8 as {@code uint8} codes or an ml_dtypes array.
 */
public final class NpyOutput {
  private NpyOutput() {}

  /** The element types a D of {@code format} may be saved as, in words. */
  public static String accepted(FpFormat format) {
    return switch (format) {
      case FP32 -> "float32 (<f4)";
      case FP16 -> "float16 (<f2) or uint16 bit patterns (<u2)";
      case BF16 -> "uint16 bit patterns (<u2) or ml_dtypes bfloat16 (<V2)";
      case E4M3, E5M2 -> "uint8 codes (|u1) or ml_dtypes " + format.dtypeName().orElse(format.shortName());
      case E8M0, UE4M3, E2M3, E3M2, E2M1, TF32 -> throw new IllegalArgumentException(
          format.shortName() + " is not a GEMM output format (fp32, bf16, fp16, e4m3, e5m2)");
    };
  }

  /** Whether {@code dtype} can hold a D of {@code format}. */
  static boolean holds(NpyDtype dtype, FpFormat format) {
    return switch (format) {
      case FP32 -> dtype == NpyDtype.F4;
      case FP16 -> dtype == NpyDtype.F2 || dtype == NpyDtype.U2;
      case BF16 -> dtype == NpyDtype.U2 || dtype == NpyDtype.V2;
      case E4M3 -> dtype == NpyDtype.U1 || dtype == NpyDtype.V1;
      case E5M2 -> dtype == NpyDtype.U1 || dtype == NpyDtype.V1 || dtype == NpyDtype.F1;
      case E8M0, UE4M3, E2M3, E3M2, E2M1, TF32 -> false;
    };
  }

  /** The shape of D's file, {@code (rows, cols)}, from its header. */
  public static long[] shape(Path file) throws IOException {
    var h = Npy.readHeader(file);
    if (h.ndim() != 2) {
      throw new InputFormatException(file.toString(), 0, "shape", "D must be a 2-D array"
          + " (M x N), the file holds shape " + h.shapeText());
    }
    return h.shape();
  }

  /**
   * The M x N codes of D, row-major, checking shape and element type ({@code what} names D in
   * messages).
   */
  public static int[] read(Path file, FpFormat format, int m, int n, String what)
      throws IOException {
    String accepted = accepted(format);
    try (NpyArray a = Npy.open(file)) {
      a.requireShape(m, n, what);
      if (a.header().shape().length != 2) {
        throw new InputFormatException(a.source(), 0, "shape", what + " must be " + m + "x" + n
            + " but the file holds shape " + a.header().shapeText());
      }
      NpyDtype dtype = a.header().dtype();
      if (!holds(dtype, format)) {
        throw new InputFormatException(a.source(), 0, "descr", what + " is " + format.shortName()
            + ", read from " + accepted + ", but the file holds " + dtype.descr());
      }
      int[] codes = new int[Math.multiplyExact(m, n)];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          codes[i * n + j] = a.bits(a.index(i, j));
        }
      }
      return codes;
    }
  }
}

package org.tcsim.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.tcsim.core.InputFormatException;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.BlockShape;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.traces.io.Npy;
import org.tcsim.traces.io.NpyArray;
import org.tcsim.traces.io.NpyDtype;
import org.tcsim.traces.io.NpyHeader;

/**
 * One GEMM operand read from {@code .npy} files: its element codes (one per byte: FP8, FP6 or
 * FP4, as {@code uint8} codes or as an ml_dtypes array) and the scales of a cuBLASLt scale mode,
 * held as the engine wants it (outer x K, K along rows).
 *
 * <p><b>Scale shapes</b> are those of {@code torch._scaled_mm} and cuBLASLt: a scale array has
 * the shape of its operand's array with each axis divided (rounded up) by the block size along it.
 * Per-tensor: one element (any shape); row-wise: M x 1 for A, 1 x N for B stored K x N, N x 1 for
 * B stored N x K (a 1-D array of M or N also does); 1x128 and 128x128 blocks: M x ceil(K/128) for A
 * and ceil(K/128) x ceil(N/128) for B stored K x N (DeepSeek-V3, cuBLASLt VEC128_32F and
 * BLK128x128_32F); MX (VEC32_UE8M0) and NVFP4 (VEC16_UE4M3): M x ceil(K/32) (or /16) for A,
 * ceil(K/32) x N for B stored K x N, in plain row-major order (not the swizzled tile layout that
 * cuBLASLt's kernels read; tcsim takes the logical layout). FP32 scales are {@code <f4}; E8M0 and
 * UE4M3 scales are byte codes ({@code |u1}, or an ml_dtypes {@code float8_e8m0fnu} /
 * {@code float8_e4m3fn} array). Scales are decode scales: value = code * scale (cuBLASLt
 * {@code CUBLASLT_MATMUL_DESC_A_SCALE_POINTER}, {@code torch._scaled_mm}'s {@code scale_a}).
 */
public final class NpyOperand {

  /** Which operand a file holds, and in which orientation. */
  public enum Role {
    /** A stored M x K. */
    A,
    /** B stored K x N, as in {@code a @ b}. */
    B_KN,
    /** B stored N x K (each of B's columns contiguous along K: cuBLASLt's "TN" FP8 layout). */
    B_NK;

    /** Whether K is the file's second axis. */
    boolean kOnColumns() {
      return switch (this) {
        case A, B_NK -> true;
        case B_KN -> false;
      };
    }

    String operand() {
      return switch (this) {
        case A -> "A";
        case B_KN, B_NK -> "B";
      };
    }

    /** The file's shape in words: {@code M x K}. */
    String shapeWords() {
      return switch (this) {
        case A -> "M x K";
        case B_KN -> "K x N";
        case B_NK -> "N x K";
      };
    }
  }

  /**
   * What to read.
   *
   * @param role which operand, in which orientation
   * @param data the element codes
   * @param format the element format
   * @param formatGiven whether the user named the format (or the recipe fixes it): a raw
   *     ml_dtypes array ({@code <V1}) says nothing about its format and is refused otherwise
   * @param mode the scale layout; null for unscaled codes (a per-tensor scale of 1)
   * @param scale the scale file, or null (required when {@code mode} is not null)
   */
  public record Request(Role role, Path data, FpFormat format, boolean formatGiven,
      ScaleMode mode, Path scale) {
    public Request {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(format, "format");
    }
  }

  private NpyOperand() {}

  /**
   * The element format a file's descriptor implies on its own: E5M2 for an ml_dtypes
   * {@code float8_e5m2} array ({@code <f1}), else none (uint8 codes and {@code <V1} arrays do not
   * say).
   */
  public static java.util.Optional<FpFormat> impliedFormat(Path data) throws IOException {
    return Npy.readHeader(data).dtype() == NpyDtype.F1 ? java.util.Optional.of(FpFormat.E5M2)
        : java.util.Optional.empty();
  }

  /** The shape of an operand's file, read from its header only: {@code (rows, cols)}. */
  public static long[] shape(Path data, Role role) throws IOException {
    NpyHeader h = Npy.readHeader(data);
    if (h.ndim() != 2) {
      throw new InputFormatException(data.toString(), 0, "shape", role.operand() + " must be a"
          + " 2-D array (" + role.shapeWords() + "), the file holds shape " + h.shapeText());
    }
    return h.shape();
  }

  /**
   * Reads the operand as outer x K codes with K along rows (M x K for A, N x K for B), checking
   * the element type, the codes and the scale file's type and shape.
   */
  public static QuantizedTensor read(Request r) throws IOException {
    requireElementFormat(r.format(), r.role().operand());
    try (NpyArray f = Npy.open(r.data())) {
      long[] s = f.header().shape();
      if (s.length != 2) {
        throw new InputFormatException(f.source(), 0, "shape", r.role().operand() + " must be a"
            + " 2-D array (" + r.role().shapeWords() + "), the file holds shape "
            + f.header().shapeText());
      }
      boolean kCols = r.role().kOnColumns();
      int outer = narrow(kCols ? s[0] : s[1], f);
      int k = narrow(kCols ? s[1] : s[0], f);
      OperandFactory.requireInputsFit(outer, 0, k);
      byte[] codes = codes(f, r, outer, k);
      ScaleMode mode = r.mode() == null ? ScaleMode.SCALAR_32F : r.mode();
      BlockShape block = mode.blockShape(outer, k, KAxis.ALONG_ROWS);
      int gridRows = block.gridRows(outer);
      int gridCols = block.gridCols(k);
      boolean fp32 = mode.scaleFormat() == FpFormat.FP32;
      int[] bits = new int[gridRows * gridCols];
      if (r.scale() == null) {
        if (r.mode() != null) {
          throw new IllegalArgumentException(r.role().operand() + " (" + r.data() + ") is scaled "
              + mode + " but no scale file is given");
        }
        bits[0] = Float.floatToRawIntBits(1f);
      } else {
        readScales(r, mode, gridRows, gridCols, bits);
      }
      float[] scales = null;
      byte[] scaleCodes = null;
      if (fp32) {
        scales = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
          scales[i] = Float.intBitsToFloat(bits[i]);
        }
      } else {
        scaleCodes = new byte[bits.length];
        for (int i = 0; i < bits.length; i++) {
          scaleCodes[i] = (byte) bits[i];
        }
      }
      return new QuantizedTensor(outer, k, KAxis.ALONG_ROWS, mode, r.format(), block, codes,
          scales, scaleCodes, 1f);
    }
  }

  /** Refuses a format that is not an FP8, FP6 or FP4 element format ({@code what}: A or B). */
  public static void requireElementFormat(FpFormat f, String what) {
    boolean element = f.signed() && f.width() <= 8;
    if (!element) {
      throw new IllegalArgumentException(what + " format " + f.shortName()
          + " is not an FP8, FP6 or FP4 element format (e4m3, e5m2, e2m3, e3m2, e2m1)");
    }
  }

  private static byte[] codes(NpyArray f, Request r, int outer, int k) {
    NpyDtype dtype = f.header().dtype();
    String what = r.role().operand();
    switch (dtype) {
      case U1 -> { }
      case V1 -> {
        if (!r.formatGiven()) {
          throw new InputFormatException(f.source(), 0, "descr", what + " holds raw bytes ("
              + dtype.descr() + ", how NumPy saves an ml_dtypes array) that do not say their"
              + " format; name it (--" + what.toLowerCase(java.util.Locale.ROOT) + "-format)");
        }
      }
      case F1 -> {
        if (r.format() != FpFormat.E5M2) {
          throw new InputFormatException(f.source(), 0, "descr", what + " holds an ml_dtypes "
              + "float8_e5m2 array (<f1) but its format is " + r.format().shortName());
        }
      }
      case U2, F2, F4, V2 -> throw new InputFormatException(f.source(), 0, "descr", what
          + " must hold one byte per element (|u1 codes or an ml_dtypes " + r.format()
          .dtypeName().orElse(r.format().shortName()) + " array), the file holds " + dtype.descr()
          + (dtype == NpyDtype.F4 || dtype == NpyDtype.F2 ? " values: quantise them first" : ""));
    }
    int limit = 1 << r.format().width();
    boolean kCols = r.role().kOnColumns();
    byte[] codes = new byte[Math.multiplyExact(outer, k)];
    for (int o = 0; o < outer; o++) {
      for (int kk = 0; kk < k; kk++) {
        int row = kCols ? o : kk;
        int col = kCols ? kk : o;
        int code = f.bits(f.index(row, col));
        if (code >= limit) {
          throw new InputFormatException(f.source(), 0, "[" + row + ", " + col + "]", "byte 0x"
              + Integer.toHexString(code) + " is not a " + r.format().shortName() + " code (its "
              + r.format().width() + " bits hold codes 0 to 0x" + Integer.toHexString(limit - 1)
              + "; FP4 and FP6 are read one code per byte, not packed)");
        }
        codes[o * k + kk] = (byte) code;
      }
    }
    return codes;
  }

  /** Reads the scale grid (gridRows over outer, gridCols over K) into {@code bits}. */
  private static void readScales(Request r, ScaleMode mode, int gridRows, int gridCols,
      int[] bits) throws IOException {
    String what = r.role().operand() + " scales";
    try (NpyArray s = Npy.open(r.scale())) {
      boolean fp32 = mode.scaleFormat() == FpFormat.FP32;
      NpyDtype dtype = s.header().dtype();
      boolean ok = fp32 ? dtype == NpyDtype.F4 : dtype == NpyDtype.U1 || dtype == NpyDtype.V1;
      if (!ok) {
        throw new InputFormatException(s.source(), 0, "descr", what + " for " + mode + " must be "
            + (fp32 ? "float32 (<f4)" : mode.scaleFormat().shortName() + " codes (|u1, or an "
                + "ml_dtypes " + scaleDtype(mode) + " array)") + ", the file holds "
            + dtype.descr());
      }
      boolean kCols = r.role().kOnColumns();
      long rows = kCols ? gridRows : gridCols;
      long cols = kCols ? gridCols : gridRows;
      long[] shape = s.header().shape();
      boolean oneValue = mode == ScaleMode.SCALAR_32F && s.size() == 1;
      boolean vector = mode == ScaleMode.OUTER_VEC_32F && shape.length == 1
          && shape[0] == (long) gridRows;
      boolean matrix = shape.length == 2 && shape[0] == rows && shape[1] == cols;
      if (!(oneValue || vector || matrix)) {
        throw new InputFormatException(s.source(), 0, "shape", what + " for " + mode + " must be "
            + (mode == ScaleMode.SCALAR_32F ? "one value" : rows + " x " + cols + " ("
            + scaleShapeWords(r.role(), mode) + ")") + " but the file holds shape "
            + s.header().shapeText());
      }
      for (int g = 0; g < gridRows; g++) {
        for (int c = 0; c < gridCols; c++) {
          long index = oneValue || vector ? g : kCols ? s.index(g, c) : s.index(c, g);
          int b = s.bits(index);
          if (mode.scaleFormat() == FpFormat.UE4M3 && b > 0x7F) {
            throw new InputFormatException(s.source(), 0, "[" + index + "]", "byte 0x"
                + Integer.toHexString(b) + " is negative as E4M3; NVFP4 scales are unsigned"
                + " (UE4M3, sign bit 0)");
          }
          bits[g * gridCols + c] = b;
        }
      }
    }
  }

  private static String scaleDtype(ScaleMode mode) {
    return mode.scaleFormat() == FpFormat.E8M0 ? "float8_e8m0fnu" : "float8_e4m3fn";
  }

  /** {@code ceil(K/128) x ceil(N/128)}: the scale shape of an operand in words. */
  static String scaleShapeWords(Role role, ScaleMode mode) {
    String outer = role == Role.A ? "M" : "N";
    String across = mode.acrossK() == 0 ? "1" : mode.acrossK() == 1 ? outer
        : "ceil(" + outer + "/" + mode.acrossK() + ")";
    String along = mode.alongK() == 0 ? "1" : "ceil(K/" + mode.alongK() + ")";
    return role.kOnColumns() ? across + " x " + along : along + " x " + across;
  }

  private static int narrow(long v, NpyArray f) {
    if (v > Integer.MAX_VALUE - 8) {
      throw new InputFormatException(f.source(), 0, "shape", "dimension " + v + " is beyond"
          + " what one operand holds");
    }
    return (int) v;
  }
}

package org.tcsim.traces.golden.gemm;

import org.tcsim.core.format.FpFormat;
import org.tcsim.core.InputFormatException;

/**
 * The text form of one operand or result: {@code rows} lines of {@code cols} space-separated codes,
 * each written with exactly the format's digit count (FP8 2, BF16/FP16 4, FP32 8), lower case, and
 * a final newline. Nothing else: no header, no comments, so that its SHA-256 pins the content.
 */
public final class HexMatrix {
  private HexMatrix() {}

  /** Digits per code in these files. */
  public static int digits(FpFormat f) {
    return f == FpFormat.TF32 ? 8 : (f.width() + 3) / 4;
  }

  public static String render(int[] codes, int rows, int cols, FpFormat f) {
    if (codes.length != (long) rows * cols) {
      throw new IllegalArgumentException(codes.length + " codes for a " + rows + "x" + cols
          + " matrix");
    }
    StringBuilder sb = new StringBuilder(codes.length * (digits(f) + 1));
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (c > 0) {
          sb.append(' ');
        }
        sb.append(f.hex(codes[r * cols + c]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * Parses a file written by {@link #render}, strictly: the line count, the code count per line,
   * the digit count of each code and its fit in the format are all checked, and a problem names
   * the file, the line and the column ({@code col j}).
   */
  public static int[] parse(String text, int rows, int cols, FpFormat f, String source) {
    int digits = digits(f);
    String[] lines = text.split("\n", -1);
    // A well-formed file ends with a newline, so split leaves one empty string after it.
    if (lines.length != rows + 1 || !lines[rows].isEmpty()) {
      int found = lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
      throw new InputFormatException(source, 0, null, "expected " + rows + " lines of " + cols
          + " " + f + " codes ending in a newline, found " + found + " lines"
          + (lines[lines.length - 1].isEmpty() ? "" : " (no final newline)"));
    }
    // Every line is checked for its length before the codes are allocated, so the allocation is
    // bounded by the file's size: a table row claiming a huge shape is refused here, not by an
    // OutOfMemoryError.
    long lineChars = (long) cols * (digits + 1) - 1;
    for (int r = 0; r < rows; r++) {
      String line = lines[r];
      long lineNo = r + 1L;
      if (line.length() != lineChars) {
        int found = line.isBlank() ? 0 : line.trim().split("\\s+").length;
        throw new InputFormatException(source, lineNo, null, "expected " + cols + " codes of "
            + digits + " hex digits separated by single spaces, found " + found + " fields in "
            + line.length() + " characters");
      }
    }
    int[] out = new int[Math.multiplyExact(rows, cols)];
    for (int r = 0; r < rows; r++) {
      String line = lines[r];
      long lineNo = r + 1L;
      for (int c = 0; c < cols; c++) {
        int at = c * (digits + 1);
        if (c > 0 && line.charAt(at - 1) != ' ') {
          throw new InputFormatException(source, lineNo, "col " + c,
              "expected a single space before the code");
        }
        long v = 0;
        for (int d = 0; d < digits; d++) {
          int h = Character.digit(line.charAt(at + d), 16);
          if (h < 0 || Character.isUpperCase(line.charAt(at + d))) {
            throw new InputFormatException(source, lineNo, "col " + c, "'"
                + line.substring(at, at + digits) + "' is not " + digits
                + " lower-case hex digits");
          }
          v = (v << 4) | h;
        }
        if (v >= (1L << (f.width() + f.containerShift()))) {
          throw new InputFormatException(source, lineNo, "col " + c, "0x"
              + line.substring(at, at + digits) + " does not fit " + f);
        }
        out[r * cols + c] = f.fromContainer(v);
      }
    }
    return out;
  }

  /** Codes of an 8-bit format, one byte each. */
  static byte[] toBytes(int[] codes) {
    byte[] out = new byte[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = (byte) codes[i];
    }
    return out;
  }

  /** FP32 bit patterns as floats. */
  static float[] toFloats(int[] codes) {
    float[] out = new float[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = Float.intBitsToFloat(codes[i]);
    }
    return out;
  }
}

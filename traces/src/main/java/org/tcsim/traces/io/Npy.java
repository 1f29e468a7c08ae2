package org.tcsim.traces.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcsim.core.InputFormatException;

/**
 * Reads and writes NumPy {@code .npy} files (NEP 1; {@code numpy.lib.format}): the 6-byte magic
 * {@code \x93NUMPY}, a major and minor version byte, the header length (2 bytes little-endian in
 * version 1, 4 bytes in versions 2 and 3), then the header, an ASCII Python dict literal
 * ({@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}) padded with spaces and
 * ending in a newline so that the data starts at a multiple of 64 bytes, then the raw elements.
 *
 * <p>Only the little-endian types of {@link NpyDtype} are read; everything else is refused with a
 * message naming the descriptor. Data is memory-mapped ({@link NpyArray}), so opening a file
 * allocates nothing in proportion to its size.
 */
public final class Npy {

  /** The magic string's bytes. */
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** The alignment of the data that NumPy pads headers to ({@code ARRAY_ALIGN}). */
  static final int ALIGN = 64;

  /**
   * The longest header read. NumPy itself refuses headers over 10,000 bytes unless told otherwise
   * ({@code max_header_size}, NumPy 1.24); tcsim's types need under 200.
   */
  static final int MAX_HEADER = 100_000;

  private Npy() {}

  /** Reads and checks the header of a {@code .npy} file. */
  public static NpyHeader readHeader(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(ch, file.toString());
    }
  }

  /** Opens a {@code .npy} file for reading (memory-mapped); close it when done. */
  public static NpyArray open(Path file) throws IOException {
    return NpyArray.open(file);
  }

  static NpyHeader readHeader(FileChannel ch, String source) throws IOException {
    long fileSize = ch.size();
    ByteBuffer pre = ByteBuffer.allocate(8);
    readFully(ch, pre, 0, source, "magic and version");
    for (int i = 0; i < MAGIC.length; i++) {
      if (pre.get(i) != MAGIC[i]) {
        throw new InputFormatException(source, 0, "magic",
            "not a .npy file: it does not start with \\x93NUMPY (first bytes " + hex(pre) + ")");
      }
    }
    int major = pre.get(6) & 0xFF;
    int minor = pre.get(7) & 0xFF;
    int lengthBytes = switch (major) {
      case 1 -> 2;
      case 2, 3 -> 4;
      default -> throw new InputFormatException(source, 0, "version",
          "unsupported .npy format version " + major + "." + minor + " (1.0, 2.0, 3.0 known)");
    };
    ByteBuffer len = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, len, 8, source, "header length");
    long headerLen = lengthBytes == 2 ? len.getShort(0) & 0xFFFF : len.getInt(0) & 0xFFFFFFFFL;
    if (headerLen > MAX_HEADER) {
      throw new InputFormatException(source, 0, "header", "header of " + headerLen
          + " bytes is longer than the " + MAX_HEADER + " accepted");
    }
    long dataOffset = 8 + lengthBytes + headerLen;
    if (dataOffset > fileSize) {
      throw new InputFormatException(source, 0, "header", "truncated: the header needs "
          + dataOffset + " bytes but the file has " + fileSize);
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    readFully(ch, hb, 8 + lengthBytes, source, "header");
    String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8
        : StandardCharsets.ISO_8859_1);
    NpyHeader header = parseHeader(text, major, dataOffset, source);
    long expected;
    try {
      expected = header.dataBytes();
    } catch (ArithmeticException e) {
      throw new InputFormatException(source, 0, "shape", "shape " + header.shapeText()
          + " has more bytes than a 64-bit count holds");
    }
    long actual = fileSize - dataOffset;
    if (actual < expected) {
      throw new InputFormatException(source, 0, "data", "truncated: shape "
          + header.shapeText() + " of " + header.dtype().descr() + " needs " + expected
          + " bytes of data but the file has " + actual);
    }
    if (actual > expected) {
      throw new InputFormatException(source, 0, "data", (actual - expected)
          + " bytes after the " + expected + " bytes of data that shape " + header.shapeText()
          + " of " + header.dtype().descr() + " needs");
    }
    return header;
  }

  /** Parses the header dict; {@code source} names the file in errors. */
  static NpyHeader parseHeader(String text, int version, long dataOffset, String source) {
    Map<String, Object> dict;
    try {
      dict = new DictParser(text).parse();
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(source, 0, "header", e.getMessage() + " in header '"
          + text.strip() + "'");
    }
    for (String key : dict.keySet()) {
      if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
        throw new InputFormatException(source, 0, "header", "unexpected key '" + key + "'");
      }
    }
    Object descr = require(dict, "descr", source);
    Object fortran = require(dict, "fortran_order", source);
    Object shape = require(dict, "shape", source);
    if (!(descr instanceof String d)) {
      throw new InputFormatException(source, 0, "descr",
          "structured dtypes are not supported (descr " + descr + ")");
    }
    NpyDtype dtype = NpyDtype.byDescr(d).orElseThrow(() -> new InputFormatException(source, 0,
        "descr", unsupported(d)));
    if (!(fortran instanceof Boolean f)) {
      throw new InputFormatException(source, 0, "fortran_order", "expected True or False, got "
          + fortran);
    }
    if (!(shape instanceof long[] s)) {
      throw new InputFormatException(source, 0, "shape", "expected a tuple of integers, got "
          + shape);
    }
    try {
      return new NpyHeader(version, dtype, f, s, dataOffset);
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(source, 0, "shape", e.getMessage());
    }
  }

  private static String unsupported(String descr) {
    String hint;
    if (descr.startsWith(">")) {
      hint = "big-endian data; save arr.astype(arr.dtype.newbyteorder('<'))";
    } else if (descr.contains("V")) {
      hint = "raw bytes of a size no tcsim format has; save FP8 and FP4 as x.view(np.uint8),"
          + " BF16 as x.view(np.uint16)";
    } else {
      hint = "convert to one of the supported types";
    }
    return "unsupported dtype '" + descr + "': tcsim reads |u1 (FP8 codes), <u2 (BF16 bits),"
        + " <f2, <f4 and the ml_dtypes types (<V1, <f1, <V2); " + hint;
  }

  private static Object require(Map<String, Object> dict, String key, String source) {
    Object v = dict.get(key);
    if (v == null) {
      throw new InputFormatException(source, 0, key, "missing from the header");
    }
    return v;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, String source,
      String what) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new InputFormatException(source, 0, what, "truncated: file ends at byte " + pos
            + " inside the " + what);
      }
      pos += n;
    }
  }

  private static String hex(ByteBuffer b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < b.position(); i++) {
      sb.append(String.format("%02x ", b.get(i) & 0xFF));
    }
    return sb.toString().trim();
  }

  // ---------------------------------------------------------------- writing

  /** The header bytes (magic to padding) NumPy would write for this array, version 1.0 or 2.0. */
  static byte[] headerBytes(NpyDtype dtype, boolean fortranOrder, long[] shape) {
    String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': "
        + (fortranOrder ? "True" : "False") + ", 'shape': " + NpyHeader.tuple(shape) + ", }";
    int version = dict.length() + 1 + 10 <= 65535 ? 1 : 2;
    int prefix = version == 1 ? 10 : 12;
    int total = prefix + dict.length() + 1;
    int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
    int headerLen = padded - prefix;
    ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) version).put((byte) 0);
    if (version == 1) {
      b.putShort((short) headerLen);
    } else {
      b.putInt(headerLen);
    }
    b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
    while (b.position() < padded - 1) {
      b.put((byte) ' ');
    }
    b.put((byte) '\n');
    return b.array();
  }

  /**
   * Writes an array atomically. {@code bits} holds the elements in storage order (C order, or
   * column-major when {@code fortranOrder}): byte codes for {@code |u1}, 16-bit patterns for
   * {@code <u2}/{@code <f2}/{@code <V2} (byte codes for the other one-byte types), FP32 bit patterns ({@link Float#floatToRawIntBits}) for {@code <f4}.
   */
  public static void write(Path file, NpyDtype dtype, boolean fortranOrder, long[] shape,
      int[] bits) throws IOException {
    long n = NpyHeader.elementCount(shape);
    if (n != bits.length) {
      throw new IllegalArgumentException("shape " + NpyHeader.tuple(shape) + " holds " + n
          + " elements but " + bits.length + " were given");
    }
    long limit = switch (dtype) {
      case U1, V1, F1 -> 0xFFL;
      case U2, F2, V2 -> 0xFFFFL;
      case F4 -> -1;
    };
    for (int i = 0; i < bits.length; i++) {
      if (limit >= 0 && (bits[i] < 0 || bits[i] > limit)) {
        throw new IllegalArgumentException("element " + i + " = " + bits[i] + " does not fit "
            + dtype.descr());
      }
    }
    AtomicFiles.writeBytes(file, out -> write(out, dtype, fortranOrder, shape, bits));
  }

  /** Writes FP32 values as {@code <f4}. */
  public static void writeFloats(Path file, boolean fortranOrder, long[] shape, float[] values)
      throws IOException {
    int[] bits = new int[values.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    write(file, NpyDtype.F4, fortranOrder, shape, bits);
  }

  private static void write(OutputStream out, NpyDtype dtype, boolean fortranOrder,
      long[] shape, int[] bits) throws IOException {
    out.write(headerBytes(dtype, fortranOrder, shape));
    ByteBuffer buf = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : bits) {
      if (buf.remaining() < 4) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      switch (dtype) {
        case U1, V1, F1 -> buf.put((byte) v);
        case U2, F2, V2 -> buf.putShort((short) v);
        case F4 -> buf.putInt(v);
      }
    }
    out.write(buf.array(), 0, buf.position());
  }

  /** A parser for the small subset of Python literals a {@code .npy} header uses. */
  private static final class DictParser {
    private final String s;
    private int i;

    DictParser(String s) {
      this.s = s;
    }

    Map<String, Object> parse() {
      Map<String, Object> out = new LinkedHashMap<>();
      ws();
      expect('{');
      while (true) {
        ws();
        if (peek() == '}') {
          i++;
          break;
        }
        String key = string();
        ws();
        expect(':');
        ws();
        Object value = value();
        if (out.put(key, value) != null) {
          throw new IllegalArgumentException("key '" + key + "' appears twice");
        }
        ws();
        if (peek() == ',') {
          i++;
        } else if (peek() != '}') {
          throw new IllegalArgumentException("expected ',' or '}' at offset " + i);
        }
      }
      ws();
      if (i != s.length()) {
        throw new IllegalArgumentException("unexpected text after the dict at offset " + i);
      }
      return out;
    }

    private Object value() {
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        return tuple();
      }
      if (s.startsWith("True", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      if (c == '[') {
        int depth = 0;
        int start = i;
        for (; i < s.length(); i++) {
          if (s.charAt(i) == '[') {
            depth++;
          } else if (s.charAt(i) == ']' && --depth == 0) {
            i++;
            return List.of(s.substring(start, i));
          }
        }
        throw new IllegalArgumentException("unclosed '['");
      }
      throw new IllegalArgumentException("unexpected value at offset " + i);
    }

    private long[] tuple() {
      expect('(');
      List<Long> dims = new ArrayList<>();
      while (true) {
        ws();
        if (peek() == ')') {
          i++;
          break;
        }
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
        if (start == i) {
          throw new IllegalArgumentException("expected a dimension at offset " + i);
        }
        try {
          dims.add(Long.parseLong(s.substring(start, i)));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("dimension " + s.substring(start, i)
              + " is too large");
        }
        if (peek() == 'L') { // Python 2 longs, written by old NumPy versions
          i++;
        }
        ws();
        if (peek() == ',') {
          i++;
        } else if (peek() != ')') {
          throw new IllegalArgumentException("expected ',' or ')' at offset " + i);
        }
      }
      long[] out = new long[dims.size()];
      for (int j = 0; j < out.length; j++) {
        out[j] = dims.get(j);
      }
      return out;
    }

    private String string() {
      char q = peek();
      if (q != '\'' && q != '"') {
        throw new IllegalArgumentException("expected a quoted string at offset " + i);
      }
      int end = s.indexOf(q, i + 1);
      if (end < 0) {
        throw new IllegalArgumentException("unterminated string at offset " + i);
      }
      String v = s.substring(i + 1, end);
      i = end + 1;
      return v;
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw new IllegalArgumentException("header ends early");
      }
      return s.charAt(i);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at offset " + i + ", found '"
            + peek() + "'");
      }
      i++;
    }
  }
}

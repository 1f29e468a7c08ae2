package org.tcsim.traces.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.InputFormatException;

/**
 * .npy files built byte by byte from the format description (NEP 1, numpy.lib.format): magic
 * \x93NUMPY, version bytes, little-endian header length (2 bytes in 1.0, 4 in 2.0), a dict
 * literal padded with spaces and a newline to a 64-byte boundary, then the data.
 */
class NpyTest {

  @TempDir Path dir;

  /** A version 1.0 or 2.0 file with the header dict padded as NumPy does. */
  private static byte[] npy(int major, String dict, int... data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x93);
    out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
    out.write(major);
    out.write(0);
    int prefix = major == 1 ? 10 : 12;
    int len = dict.length() + 1;
    while ((prefix + len) % 64 != 0) {
      len++;
    }
    out.write(len & 0xFF);
    out.write(len >>> 8);
    if (major != 1) {
      out.write(0);
      out.write(0);
    }
    out.writeBytes(dict.getBytes(StandardCharsets.US_ASCII));
    for (int i = dict.length(); i < len - 1; i++) {
      out.write(' ');
    }
    out.write('\n');
    for (int b : data) {
      out.write(b);
    }
    return out.toByteArray();
  }

  private Path file(byte[] bytes) throws IOException {
    Path p = Files.createTempFile(dir, "t", ".npy");
    Files.write(p, bytes);
    return p;
  }

  private InputFormatException error(byte[] bytes) throws IOException {
    Path p = file(bytes);
    return assertThrows(InputFormatException.class, () -> Npy.open(p).close());
  }

  @Test
  void readsUint8CodesInCOrder() throws IOException {
    Path p = file(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }",
        0x00, 0x38, 0x7E, 0x80, 0xB8, 0xFF));
    try (NpyArray a = Npy.open(p)) {
      assertEquals(NpyDtype.U1, a.header().dtype());
      // 10 prefix bytes + a 58-character dict + newline = 69, padded to the next multiple of 64
      assertEquals(128, a.header().dataOffset());
      assertEquals(2, a.rows());
      assertEquals(3, a.cols());
      assertArrayEquals(new int[] {0x00, 0x38, 0x7E}, a.rowBits(0));
      assertArrayEquals(new int[] {0x80, 0xB8, 0xFF}, a.rowBits(1));
      // 0x38 is E4M3 1.0 and 0xB8 is -1.0 (OCP OFP8: bias 7, exponent field 0111)
      assertEquals(1.0, FpFormat.E4M3.decode(a.rowBits(0)[1]));
      assertEquals(-1.0, FpFormat.E4M3.decode(a.rowBits(1)[1]));
      a.requireShape(2, 3, "A");
      InputFormatException e = assertThrows(InputFormatException.class,
          () -> a.requireShape(3, 2, "A"));
      assertTrue(e.getMessage().contains("A must be 3x2") && e.getMessage().contains("(2, 3)"),
          e.getMessage());
    }
  }

  @Test
  void readsFortranOrderAsColumnMajor() throws IOException {
    // Fortran order stores column 0 (rows 0, 1), then column 1, then column 2.
    Path p = file(npy(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }",
        1, 4, 2, 5, 3, 6));
    try (NpyArray a = Npy.open(p)) {
      assertArrayEquals(new int[] {1, 2, 3}, a.rowBits(0));
      assertArrayEquals(new int[] {4, 5, 6}, a.rowBits(1));
      assertEquals(3, a.index(1, 1));
    }
  }

  @Test
  void readsFloat32Bf16AndFp16LittleEndian() throws IOException {
    // 1.5f = 0x3FC00000, -2.0f = 0xC0000000, stored low byte first.
    Path f4 = file(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
        0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0xC0));
    try (NpyArray a = Npy.open(f4)) {
      assertEquals(1, a.header().ndim());
      assertEquals(1.5, a.value(0));
      assertEquals(-2.0, a.value(1));
      assertEquals(0x3FC00000, a.bits(0));
    }
    // BF16 1.0 = 0x3F80, 3.0 = 0x4040.
    Path u2 = file(npy(1, "{'descr': '<u2', 'fortran_order': False, 'shape': (1, 2), }",
        0x80, 0x3F, 0x40, 0x40));
    try (NpyArray a = Npy.open(u2)) {
      assertArrayEquals(new int[] {0x3F80, 0x4040}, a.rowBits(0));
      assertEquals(3.0, FpFormat.BF16.decode(a.bits(1)));
      assertThrows(IllegalStateException.class, () -> a.value(0));
    }
    // FP16 1.0 = 0x3C00, -0.5 = 0xB800.
    Path f2 = file(npy(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }",
        0x00, 0x3C, 0x00, 0xB8));
    try (NpyArray a = Npy.open(f2)) {
      assertEquals(1.0, a.value(0));
      assertEquals(-0.5, a.value(1));
    }
  }


  /**
   * The headers NumPy 2.4 writes for ml_dtypes 0.5 arrays, copied from np.save output:
   * float8_e4m3fn (and e8m0fnu, float4_e2m1fn) as '<V1', float8_e5m2 as '<f1', bfloat16 as
   * '<V2'. The data are the element bits: E4M3 1.0 = 0x38, E5M2 -2.0 = 0xC0, BF16 1.0 = 0x3F80.
   */
  @Test
  void readsMlDtypesArraysAsRawBits() throws IOException {
    Path v1 = file(npy(1, "{'descr': '<V1', 'fortran_order': False, 'shape': (2, 3), }",
        0x38, 0x00, 0x7F, 0xB8, 0x01, 0xFF));
    try (NpyArray a = Npy.open(v1)) {
      assertEquals(NpyDtype.V1, a.header().dtype());
      assertTrue(a.header().dtype().raw());
      assertArrayEquals(new int[] {0xB8, 0x01, 0xFF}, a.rowBits(1));
      assertThrows(IllegalStateException.class, () -> a.value(0));
    }
    Path f1 = file(npy(1, "{'descr': '<f1', 'fortran_order': False, 'shape': (2,), }",
        0xC0, 0x3C));
    try (NpyArray a = Npy.open(f1)) {
      assertEquals(NpyDtype.F1, a.header().dtype());
      assertEquals(-2.0, FpFormat.E5M2.decode(a.bits(0)));
    }
    Path v2 = file(npy(1, "{'descr': '<V2', 'fortran_order': False, 'shape': (1,), }",
        0x80, 0x3F));
    try (NpyArray a = Npy.open(v2)) {
      assertEquals(NpyDtype.V2, a.header().dtype());
      assertEquals(1.0, FpFormat.BF16.decode(a.bits(0)));
    }
  }
  @Test
  void readsVersion2AndToleratesNumpyLayoutVariants() throws IOException {
    // Keys in another order, double quotes, Python 2 longs, no trailing comma, NumPy >= 1.23's
    // spare spaces after the dict: all legal Python literals.
    Path p = file(npy(2, "{\"shape\": (1L, 2L), \"fortran_order\": False, \"descr\": \"|u1\"}"
        + "                     ", 7, 9));
    try (NpyArray a = Npy.open(p)) {
      assertEquals(2, a.header().version());
      assertArrayEquals(new int[] {7, 9}, a.rowBits(0));
    }
  }

  @Test
  void zeroDimensionalArrayHoldsOneElement() throws IOException {
    Path p = file(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
        0, 0, 0x80, 0x3F));
    try (NpyArray a = Npy.open(p)) {
      assertEquals(1, a.size());
      assertEquals(1.0, a.value(0));
    }
  }

  @Test
  void badFilesGetClearErrors() throws IOException {
    String u1 = "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }";
    byte[] good = npy(1, u1, 1, 2);
    byte[] badMagic = good.clone();
    badMagic[1] = 'X';
    assertEquals("magic", error(badMagic).field());
    byte[] v4 = good.clone();
    v4[6] = 4;
    assertTrue(error(v4).getMessage().contains("version 4.0"));
    InputFormatException f8 = error(npy(1, u1.replace("|u1", "<f8"), 1, 2));
    assertEquals("descr", f8.field());
    assertTrue(f8.getMessage().contains("'<f8'"), f8.getMessage());
    assertTrue(error(npy(1, u1.replace("|u1", ">f4"), 1, 2)).getMessage()
        .contains("big-endian"));
    assertTrue(error(npy(1, u1.replace("|u1", "|V4"), 1, 2)).getMessage()
        .contains("view(np.uint8)"));
    InputFormatException truncated = error(npy(1, u1, 1));
    assertEquals("data", truncated.field());
    assertTrue(truncated.getMessage().contains("needs 2 bytes"), truncated.getMessage());
    assertTrue(error(npy(1, u1, 1, 2, 3)).getMessage().contains("1 bytes after"));
    assertEquals("fortran_order", error(npy(1, "{'descr': '|u1', 'shape': (2,), }", 1, 2))
        .field());
    assertEquals("header", error(npy(1, u1.replace("}", "'extra': 1, }"), 1, 2)).field());
    assertEquals("header", error(npy(1, u1.replace("(2,)", "(2,,)"), 1, 2)).field());
    assertEquals("descr", error(npy(1, u1.replace("'|u1'", "[('a', '<f4')]"), 1, 2))
        .field());
    // Cut inside the header: the length says 54 bytes but the file stops early.
    byte[] cut = java.util.Arrays.copyOf(good, 30);
    assertTrue(error(cut).getMessage().contains("truncated"));
    assertTrue(error(new byte[] {(byte) 0x93, 'N'}).getMessage().contains("truncated"));
    // 2^40 x 2^40 elements: more than a long counts; refused before anything is allocated.
    InputFormatException huge = error(npy(1, u1.replace("(2,)",
        "(1099511627776, 1099511627776)"), 1, 2));
    assertEquals("shape", huge.field());
  }

  @Test
  void largeArraysAreMappedNotLoadedAndReadAllIsRefusedBeforeAllocating() throws IOException {
    // A sparse 3 GB file: 3e9 uint8 codes. Opening it maps windows; no array of 3e9 is made.
    long n = 3_000_000_000L;
    byte[] head = npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (" + n + ",), }");
    Path p = file(head);
    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
      raf.setLength(head.length + n);
      raf.seek(head.length + n - 1);
      raf.write(0x7E);
    }
    try (NpyArray a = Npy.open(p)) {
      assertEquals(n, a.size());
      assertEquals(0x7E, a.bits(n - 1)); // past the first 1 GiB window
      assertEquals(0, a.bits(1L << 30));
      InputFormatException e = assertThrows(InputFormatException.class, a::allBits);
      assertTrue(e.getMessage().contains("too large"), e.getMessage());
    } finally {
      Files.delete(p);
    }
  }

  @Test
  void writerProducesTheBytesTheSpecDescribes() throws IOException {
    Path p = dir.resolve("w.npy");
    Npy.write(p, NpyDtype.U1, false, new long[] {2, 3}, new int[] {1, 2, 3, 4, 5, 6});
    byte[] expected = npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }",
        1, 2, 3, 4, 5, 6);
    assertArrayEquals(expected, Files.readAllBytes(p));

    Path q = dir.resolve("f.npy");
    Npy.writeFloats(q, true, new long[] {2, 2}, new float[] {1.5f, -2f, 0f, 1f});
    try (NpyArray a = Npy.open(q)) {
      assertTrue(a.header().fortranOrder());
      assertEquals(1.5, Float.intBitsToFloat(a.rowBits(0)[0]));
      assertEquals(0.0, Float.intBitsToFloat(a.rowBits(0)[1]));
      assertEquals(-2.0, Float.intBitsToFloat(a.rowBits(1)[0]));
    }
    assertThrows(IllegalArgumentException.class,
        () -> Npy.write(p, NpyDtype.U1, false, new long[] {2}, new int[] {1, 256}));
    assertThrows(IllegalArgumentException.class,
        () -> Npy.write(p, NpyDtype.U2, false, new long[] {3}, new int[] {1, 2}));
  }
}

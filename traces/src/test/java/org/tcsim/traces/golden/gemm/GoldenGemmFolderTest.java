package org.tcsim.traces.golden.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.core.InputFormatException;

class GoldenGemmFolderTest {

  @TempDir Path dir;

  /** A 16x16x32 case with row-wise scales, a BF16 C and a measured BF16 D, all hand-chosen codes. */
  static GoldenGemmCase captured() {
    int m = 16;
    int n = 16;
    int k = 32;
    byte[] a = new byte[m * k];
    byte[] b = new byte[n * k];
    for (int i = 0; i < a.length; i++) {
      a[i] = (byte) (i * 7 + 1);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (0x38 ^ (i & 0x87));
    }
    int[] c = new int[m * n];
    int[] d = new int[m * n];
    for (int i = 0; i < c.length; i++) {
      c[i] = 0x3f80 + i;
      d[i] = 0xc000 + 3 * i;
    }
    float[] sa = new float[m];
    float[] sb = new float[n];
    for (int i = 0; i < m; i++) {
      sa[i] = 0.25f + i;
      sb[i] = -1.5f / (i + 1);
    }
    return new GoldenGemmCase("hand_case", "hand-built", m, n, k, FpFormat.E4M3, FpFormat.E5M2,
        FpFormat.BF16, FpFormat.BF16, ScaleMode.OUTER_VEC_32F, sa, sb, 1f, 0.7f, 0.5f, true, a, b,
        c, d, "ok", new GoldenGemmCase.Generators("-", "-", "-", "-", "-"),
        new GemmProvenance("NVIDIA H200 sm_90", "570.1", "runtime 12080", "cublasLt 120900", "66",
            "20", "8", "1", "0", "0", "3", "2", "cublasLtMatmul TN"));
  }

  @Test
  void roundTripKeepsEveryField() throws IOException {
    GoldenGemmCase w = captured();
    GoldenGemmFolder.write(dir, List.of("a comment"), List.of(w));
    List<GoldenGemmCase> read = GoldenGemmFolder.read(dir);
    assertEquals(1, read.size());
    GoldenGemmCase r = read.get(0);
    assertEquals(w.id(), r.id());
    assertEquals(w.m(), r.m());
    assertEquals(w.k(), r.k());
    assertEquals(FpFormat.E5M2, r.bFormat());
    assertEquals(ScaleMode.OUTER_VEC_32F, r.scaleMode());
    assertArrayEquals(w.a(), r.a());
    assertArrayEquals(w.b(), r.b());
    assertArrayEquals(w.c(), r.c());
    assertArrayEquals(w.expectedD(), r.expectedD());
    assertArrayEquals(w.scaleA(), r.scaleA());
    assertArrayEquals(w.scaleB(), r.scaleB());
    assertEquals(0.7f, r.alpha());
    assertEquals(0.5f, r.beta());
    assertTrue(r.fastAccum());
    assertTrue(r.captured());
    assertEquals(w.provenance(), r.provenance());
    // Accessors follow the documented layouts: A row-major M x K, B as N columns of K.
    assertEquals(w.a()[3 * 32 + 5] & 0xFF, r.a(3, 5));
    assertEquals(w.b()[4 * 32 + 6] & 0xFF, r.b(6, 4));
    assertEquals(0xc000 + 3 * (2 * 16 + 9), r.expected(2, 9));
  }

  @Test
  void filesAreHexTextWithTheDocumentedShape() throws IOException {
    GoldenGemmFolder.write(dir, List.of(), List.of(captured()));
    List<String> aLines = Files.readAllLines(dir.resolve("operands/hand_case.a.hex"));
    assertEquals(16, aLines.size());
    // Row 0 of A: codes 1, 8, 15, ... (i*7+1), two digits each.
    assertTrue(aLines.get(0).startsWith("01 08 0f 16 "), aLines.get(0));
    List<String> d = Files.readAllLines(dir.resolve("results/hand_case.d.hex"));
    assertEquals("c000 c003 c006", d.get(0).substring(0, 14));
    List<String> s = Files.readAllLines(dir.resolve("operands/hand_case.scale_a.hex"));
    assertEquals("3e800000", s.get(0)); // 0.25f
    String table = Files.readString(dir.resolve(GoldenGemmFolder.TABLE));
    assertTrue(table.startsWith("# a comment") || table.contains("id,purpose,m,n,k"));
    assertTrue(table.contains(",3f333333,3f000000,"), "alpha 0.7f and beta 0.5f as FP32 bits");
  }

  @Test
  void aCorruptedOperandIsReportedAsCorrupted() throws IOException {
    GoldenGemmFolder.write(dir, List.of(), List.of(captured()));
    Path a = dir.resolve("operands/hand_case.a.hex");
    String text = Files.readString(a);
    Files.writeString(a, "02" + text.substring(2), StandardCharsets.UTF_8);
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> GoldenGemmFolder.read(dir));
    assertTrue(e.getMessage().contains("corrupted"), e.getMessage());
    assertTrue(e.getMessage().contains("a_sha256"), e.getMessage());
  }

  @Test
  void aMissingOperandNamesTheFileAndTheRow() throws IOException {
    GoldenGemmFolder.write(dir, List.of(), List.of(captured()));
    Files.delete(dir.resolve("operands/hand_case.b.hex"));
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> GoldenGemmFolder.read(dir));
    assertTrue(e.getMessage().contains("hand_case.b.hex"), e.getMessage());
    assertTrue(e.getMessage().contains("b_file"), e.getMessage());
  }

  @Test
  void anOperandThatIsAFolderNamesTheFileAndTheRow() throws IOException {
    // Regression (found by GoldenGemmFuzzTest): a folder where a file belongs leaked an IOException.
    GoldenGemmFolder.write(dir, List.of(), List.of(captured()));
    Path b = dir.resolve("operands/hand_case.b.hex");
    Files.delete(b);
    Files.createDirectory(b);
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> GoldenGemmFolder.read(dir));
    assertTrue(e.getMessage().contains("hand_case.b.hex"), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
    assertTrue(e.getMessage().contains("b_file"), e.getMessage());
  }

  @Test
  void aBadFieldNamesLineAndColumn() throws IOException {
    GoldenGemmFolder.write(dir, List.of("c1", "c2"), List.of(captured()));
    Path t = dir.resolve(GoldenGemmFolder.TABLE);
    String text = Files.readString(t).replace(",hand-built,16,16,32,", ",hand-built,16,1x,32,");
    Files.writeString(t, text);
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> GoldenGemmFolder.read(dir));
    assertEquals(4, e.line()); // two comments, the header, then the row
    assertEquals("n", e.field());
  }

  @Test
  void statusOkWithoutAResultIsRejected() throws IOException {
    GoldenGemmCase c = captured();
    GoldenGemmFolder.write(dir, List.of(), List.of(c));
    Path t = dir.resolve(GoldenGemmFolder.TABLE);
    String sha = Sha256.of(Files.readAllBytes(dir.resolve("results/hand_case.d.hex")));
    Files.writeString(t, Files.readString(t).replace(sha, "-"));
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> GoldenGemmFolder.read(dir));
    assertEquals("d_sha256", e.field());
  }

  @Test
  void aPlannedCaseHasNoResult() throws IOException {
    GoldenGemmCase c = captured();
    GoldenGemmCase planned = new GoldenGemmCase(c.id(), c.purpose(), c.m(), c.n(), c.k(),
        c.aFormat(), c.bFormat(), c.cFormat(), c.dFormat(), c.scaleMode(), c.scaleA(),
        c.scaleB(), c.scaleD(), c.alpha(), c.beta(), c.fastAccum(), c.a(), c.b(), c.c(), null,
        "planned", c.generators(), GemmProvenance.none());
    GoldenGemmFolder.write(dir, List.of(), List.of(planned));
    GoldenGemmCase r = GoldenGemmFolder.read(dir).get(0);
    assertNull(r.expectedD());
    assertEquals("planned", r.status());
    assertThrows(IllegalStateException.class, () -> r.expected(0, 0));
  }

  @Test
  void hexFilesAreParsedStrictly() {
    FpFormat f = FpFormat.E4M3;
    assertArrayEquals(new int[] {0x38, 0xff, 0x00, 0x7e}, HexMatrix.parse("38 ff\n00 7e\n", 2, 2,
        f, "x"));
    InputFormatException few = assertThrows(InputFormatException.class,
        () -> HexMatrix.parse("38 ff\n00\n", 2, 2, f, "x"));
    assertEquals(2, few.line());
    InputFormatException upper = assertThrows(InputFormatException.class,
        () -> HexMatrix.parse("38 FF\n00 7e\n", 2, 2, f, "x"));
    assertEquals("col 1", upper.field());
    assertThrows(InputFormatException.class, () -> HexMatrix.parse("38 ff\n00 7e", 2, 2, f, "x"));
    assertThrows(InputFormatException.class,
        () -> HexMatrix.parse("38 ff\n00 7e\n00 00\n", 2, 2, f, "x"));
    InputFormatException narrow = assertThrows(InputFormatException.class,
        () -> HexMatrix.parse("01 fc00\n", 1, 2, FpFormat.FP16, "x"));
    assertEquals(1, narrow.line());
  }
}

package org.tcsim.traces.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.InputFormatException;

class GoldenMmaReaderTest {
  private static final String HEADER = "gpu,a_format,b_format,c_format,d_format,k,a,b,c,d\n";

  private static List<GoldenMmaRow> read(String text) throws Exception {
    return GoldenMmaReader.read(new StringReader(text), "t.csv");
  }

  private static InputFormatException fails(String text) {
    return assertThrows(InputFormatException.class, () -> read(text));
  }

  @Test
  void readsARowWithCommentsAndLineNumbers() throws Exception {
    List<GoldenMmaRow> rows = read("# c1\n# c2\n" + HEADER + "h100,e4m3,e5m2,fp32,fp32,2,38 b8,3c 01,"
        + "3f800000,bf800000\n");
    assertEquals(1, rows.size());
    GoldenMmaRow r = rows.get(0);
    assertEquals(4, r.line());
    assertEquals(FpFormat.E5M2, r.bFormat());
    assertEquals(0x38, r.a()[0]);
    assertEquals(0xb8, r.a()[1]);
    assertEquals(0xbf800000, r.d());
  }

  @Test
  void tf32CodesArriveInFp32Containers() throws Exception {
    GoldenMmaRow r = read(HEADER + "h100,tf32,tf32,fp32,fp32,1,3f7aa000,3f194000,0,0\n").get(0);
    assertEquals(0x3f7aa000 >>> 13, r.a()[0]);
    InputFormatException e = fails(HEADER + "h100,tf32,tf32,fp32,fp32,1,3f7aa001,3f194000,0,0\n");
    assertTrue(e.getMessage().contains("[a[0]]"), e.getMessage());
    assertTrue(e.getMessage().contains("low 13 bits must be zero"), e.getMessage());
  }

  @Test
  void everyKindOfBadInputNamesWhere() {
    assertEquals("t.csv: no header line: expected gpu,a_format,b_format,c_format,d_format,k,a,b,c,d",
        fails("# only comments\n").getMessage());
    assertTrue(fails("gpu,a,b\n").getMessage().startsWith("t.csv:1: header is 'gpu,a,b'"));
    assertEquals("t.csv: no data rows after the header", fails(HEADER).getMessage());
    assertEquals("t.csv:2: expected 10 fields, found 9",
        fails(HEADER + "h100,e4m3,e4m3,fp32,fp32,1,38,38,0\n").getMessage());
    assertTrue(fails(HEADER + "h100,e4m4,e4m3,fp32,fp32,1,38,38,0,0\n").getMessage()
        .startsWith("t.csv:2 [a_format]: unknown format 'e4m4'"));
    assertEquals("t.csv:2 [k]: not an integer: 'x'",
        fails(HEADER + "h100,e4m3,e4m3,fp32,fp32,x,38,38,0,0\n").getMessage());
    assertEquals("t.csv:2 [k]: must be 1..65536, got -1",
        fails(HEADER + "h100,e4m3,e4m3,fp32,fp32,-1,38,38,0,0\n").getMessage());
    assertEquals("t.csv:2 [b[0]]: '138' is not a e4m3 code (2 hex digits at most)",
        fails(HEADER + "h100,e4m3,e4m3,fp32,fp32,1,38,138,0,0\n").getMessage());
    assertEquals("t.csv:2 [d]: '' is not a fp32 code (8 hex digits at most)",
        fails(HEADER + "h100,e4m3,e4m3,fp32,fp32,1,38,38,0,\n").getMessage());
    assertEquals("t.csv:2 [gpu]: empty",
        fails(HEADER + ",e4m3,e4m3,fp32,fp32,1,38,38,0,0\n").getMessage());
    assertEquals("t.csv:2 [a]: expected k=2 codes, found 0",
        fails(HEADER + "h100,e4m3,e4m3,fp32,fp32,2,,38 38,0,0\n").getMessage());
  }

  @Test
  void embeddedFilesPassTheirChecksums() {
    assertEquals(14, EmbeddedGolden.names().size());
    for (String name : EmbeddedGolden.names()) {
      // 2500 rows for A100 BF16 and TF32, the released half of the published rows.
      assertTrue(EmbeddedGolden.load(name).size() >= 2500, name);
    }
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        EmbeddedGolden.sha256(new byte[0]), "SHA-256 of nothing (FIPS 180-4 test vector)");
  }
}

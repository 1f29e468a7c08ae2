package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcsim verify --report}: the mismatching rows, their diagnosis, readable bins. */
class VerifyReportTest {

  private static final String HEADER = "gpu,a_format,b_format,c_format,d_format,k,a,b,c,d\n";
  // A row measured on an H100 (h100_e4m3.csv, line 9; Khattak & Mikaitis, BSD-2-Clause); its
  // D is 0x40727c00.
  private static final String H100_ROW = "h100,e4m3,e4m3,fp32,fp32,32,37 38 aa 3b b3 2a 38 3e 36 35"
      + " b8 2b 0f 29 38 35 b8 37 03 ba ae a6 3a 3d 92 26 b0 af b3 33 42 2d,31 b2 2d 29 bf 2f bc b9"
      + " 1b b3 b5 40 87 41 21 aa b7 3f b2 31 ad 9d b8 3a 3d 3b 9b 86 bc ac 12 83,00000000,";

  @TempDir Path dir;

  @Test
  void mismatchingRowsAreListedWithBitsDistanceAndDiagnosis() throws IOException {
    // Line 2 matches; lines 3 and 4 claim other bits: 0x40727c01 is 1 ULP above the model's
    // 0x40727c00, 0x40727d2c is 0x12c = 300 ULPs above.
    Path p = dir.resolve("bad.csv");
    Files.writeString(p, HEADER + H100_ROW + "40727c00\n" + H100_ROW + "40727c01\n" + H100_ROW
        + "40727d2c\n", StandardCharsets.UTF_8);
    Path out = dir.resolve("report");
    CliRun r = CliRun.of("verify", p.toString(), "--report", out.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.contains("<h2>Mismatching rows</h2>"), html);
    String row3 = "<tr class=\"bad\"><td>" + p + "</td><td>3</td><td>h100</td>"
        + "<td>e4m3 x e4m3 + fp32 -&gt; fp32, k=32</td><td>h100.fp8.fp32</td>"
        + "<td>40727c01</td><td>40727c00</td><td>1</td>";
    assertTrue(html.contains(row3), html);
    String row4 = "<td>4</td><td>h100</td><td>e4m3 x e4m3 + fp32 -&gt; fp32, k=32</td>"
        + "<td>h100.fp8.fp32</td><td>40727d2c</td><td>40727c00</td><td>300</td>";
    assertTrue(html.contains(row4), html);
    // The diagnosis verify prints, in the row.
    assertTrue(html.contains("<td>diagnosis: "), html);
    assertTrue(!html.contains("<td>2</td><td>h100</td>"), "a matching row is not listed");
  }

  @Test
  void theListIsCappedWithAndNMore() throws IOException {
    StringBuilder csv = new StringBuilder(HEADER);
    int rows = VerifyReport.LISTED + 7;
    for (int i = 0; i < rows; i++) {
      csv.append(H100_ROW).append("40727c01\n");
    }
    Path p = dir.resolve("many.csv");
    Files.writeString(p, csv.toString(), StandardCharsets.UTF_8);
    Path out = dir.resolve("report");
    CliRun r = CliRun.of("verify", p.toString(), "--report", out.toString(), "--no-diagnose");
    assertEquals(1, r.exit());
    String html = Files.readString(out.resolve("index.html"));
    assertEquals(VerifyReport.LISTED, html.split("<tr class=\"bad\"><td>" + p, -1).length - 1);
    assertTrue(html.contains("and 7 more mismatching row(s)"), html);
  }

  @Test
  void everyChartOfTheEmbeddedSetsHasItsOwnTitle() {
    VerifyReport report = new VerifyReport(false);
    org.tcsim.traces.golden.MmaReplayer replayer = new org.tcsim.traces.golden.MmaReplayer(false);
    org.tcsim.traces.golden.ReplaySummary total =
        new org.tcsim.traces.golden.ReplaySummary("total", 0);
    for (String name : org.tcsim.traces.golden.EmbeddedGolden.names()) {
      org.tcsim.traces.golden.EmbeddedGolden.forEach(name,
          row -> replayer.replay(row, total).ifPresent(report::add));
    }
    List<String> titles = report.build(1, total).charts().stream()
        .map(c -> c.getTitle().getText()).toList();
    assertEquals(1 + total.byPreset().size(), titles.size(), titles.toString());
    assertEquals(titles.size(), new HashSet<>(titles).size(), titles.toString());
  }
}

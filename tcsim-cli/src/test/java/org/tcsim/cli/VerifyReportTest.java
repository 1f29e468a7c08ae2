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

  private static final String HEADER = VerifyCommandTest.HEADER;
  // The H100 row of VerifyCommandTest without its D (0x40727c00): each test gives its own.
  private static final String H100_ROW = VerifyCommandTest.H100_ROW.substring(0,
      VerifyCommandTest.H100_ROW.length() - "40727c00".length());

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

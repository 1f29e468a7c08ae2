package org.tcsim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.replay.GoldenFixtures;
import org.tcsim.replay.ReplayTotals;
import org.tcsim.replay.Replayer;
import org.tcsim.traces.trace.GemmSpec;

class ReplayReportTest {

  /**
   * Replays into {@code report}: GEMM "ones" against a golden case with one element changed
   * (one mismatch), then {@code more}.
   */
  static ReplayTotals replayOnesAnd(ReplayReport report, GemmSpec... more) {
    GoldenGemmCase bad = GoldenFixtures.withExpected(
        GoldenFixtures.allOnes("ones", 8, 8, 32, 0x42800000), 2, 3, 0x42800001);
    Replayer r = new Replayer(Replayer.Options.defaults().withGolden(Map.of("ones", bad)));
    List<GemmSpec> specs = new ArrayList<>(List.of(GoldenFixtures.specFor("ones", 8, 8, 32)));
    specs.addAll(List.of(more));
    return r.run(specs.iterator(), report::add);
  }

  @Test
  void reportIsOneFileWithDecodableChartsForEverySection(@TempDir Path dir) throws Exception {
    ReplayReport report = new ReplayReport("test <replay>");
    ReplayTotals totals = replayOnesAnd(report,
        GemmSpec.builder("plain", "h100", 64, 64, 128).build());
    Path file = report.write(dir, totals);
    String html = Files.readString(file);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("<title>test &lt;replay&gt;</title>"), "title escaped");
    // No external resource: nothing loaded from a server or another file.
    assertTrue(!html.contains("src=\"http") && !html.contains("<script") && !html.contains("<link"));
    // The failing GEMM row is highlighted, the plain one is not.
    assertTrue(html.contains("<tr class=\"bad\"><td>0</td><td>ones</td>"), html.substring(0, 2000));
    assertTrue(html.contains("<tr><td>1</td><td>plain</td>"));
    for (String caption : List.of("Sampled elements per |ULP error| bin",
        "Mismatching elements per ULP distance", "Mismatch rate over D, ones",
        "Predicted time per GEMM", "Roofline, h100-sxm")) {
      assertTrue(html.contains("<figcaption>" + caption), caption);
    }
    Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    List<int[]> sizes = new ArrayList<>();
    while (m.find()) {
      var img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
      sizes.add(new int[] {img.getWidth(), img.getHeight()});
    }
    assertEquals(5, sizes.size());
    for (int[] s : sizes) {
      assertEquals(800, s[0]);
      assertEquals(450, s[1]);
    }
  }

  @Test
  void everyChartHasItsOwnTitle() {
    // Two GEMMs of one name (one golden case, both mismatching): two heat maps, two titles.
    ReplayReport report = new ReplayReport("titles");
    ReplayTotals totals = replayOnesAnd(report, GoldenFixtures.specFor("ones", 8, 8, 32),
        GemmSpec.builder("plain", "h100", 64, 64, 128).build(),
        GemmSpec.builder("on_b200", "b200", 64, 64, 128).build());
    List<String> titles = report.build(totals).charts().stream()
        .map(c -> c.getTitle().getText()).toList();
    // error, mismatches, 2 heat maps, time, 2 rooflines (one per GPU)
    assertEquals(7, titles.size(), titles.toString());
    assertEquals(titles.size(), new java.util.HashSet<>(titles).size(), titles.toString());
  }
}

package org.tcsim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.replay.ReplayTotals;
import org.tcsim.traces.trace.GemmSpec;

/**
 * A replay report as a real browser shows it: Debian's Chromium, headless, takes a screenshot of
 * the page, which must be a PNG of the window's size with the page's text and its embedded charts
 * drawn. Skipped where /usr/bin/chromium is not installed (apt-get install chromium).
 */
class HeadlessChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final int W = 1000;
  private static final int H = 1200;

  @Test
  void aReportRendersInHeadlessChromium(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install chromium)");
    ReplayReport report = new ReplayReport("headless");
    ReplayTotals totals = ReplayReportTest.replayOnesAnd(report,
        GemmSpec.builder("plain", "h100", 64, 64, 128).build());
    Path html = report.write(dir.resolve("report"), totals);
    Path png = dir.resolve("shot.png");
    Path profile = Files.createDirectory(dir.resolve("profile"));
    Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=" + W + "," + H,
        html.toUri().toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium took over 20 s: " + Files.readString(
          dir.resolve("chromium.log")));
    }
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("chromium.log")));
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(W, img.getWidth());
    assertEquals(H, img.getHeight());
    long dark = 0;
    long chartBlue = 0;
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        int red = rgb >> 16;
        int green = (rgb >> 8) & 0xff;
        int blue = rgb & 0xff;
        if (red + green + blue < 200) {
          dark++; // text
        }
        // The bars of the first chart, 0x3b6ea8, as the browser decoded the embedded PNG.
        if (Math.abs(red - 0x3b) <= 4 && Math.abs(green - 0x6e) <= 4
            && Math.abs(blue - 0xa8) <= 4) {
          chartBlue++;
        }
      }
    }
    assertTrue(dark > 2000, "text drawn: " + dark + " dark pixels");
    assertTrue(colours.size() > 50, "not blank: " + colours.size() + " colours");
    assertTrue(chartBlue > 500, "a chart drawn: " + chartBlue + " pixels of its bars");
  }
}

package org.tcsim.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Writes a parameter sweep as a PNG line chart (JFreeChart, headless). */
final class SweepChart {
  private SweepChart() {}

  /** {@code points}: (parameter value, TFLOPS) pairs. */
  static void write(Path png, String title, String xLabel, List<double[]> points) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeries series = new XYSeries("predicted TFLOPS");
    for (double[] p : points) {
      series.add(p[0], p[1]);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, "TFLOPS", new XYSeriesCollection(series),
        PlotOrientation.VERTICAL, true, false, false);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 500);
  }
}

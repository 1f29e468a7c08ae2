package org.tcsim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.text.AttributedCharacterIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

/** Chart properties read from JFreeChart's object model, not from pixels. */
class ChartsTest {

  // Roofs of an H100-like machine; the numbers are the test's own, not the catalogue's.
  private static final Charts.Roofs ROOFS = new Charts.Roofs(1979, 3.35, 6.67);

  private static JFreeChart roofline() {
    return Charts.rooflineChart("Roofline: test", List.of(
        new Charts.RooflinePoint("q_proj", 1365, 1277),
        new Charts.RooflinePoint("o_proj", 1365, 1277),
        new Charts.RooflinePoint("k_proj", 780, 1048),
        new Charts.RooflinePoint("tiny", 3.2, 9.5)), ROOFS);
  }

  /** The tick labels an axis draws once the chart is laid out at report size. */
  private static List<String> tickLabels(JFreeChart chart, LogAxis axis, RectangleEdge edge) {
    BufferedImage img = new BufferedImage(Charts.WIDTH, Charts.HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g2 = img.createGraphics();
    ChartRenderingInfo info = new ChartRenderingInfo();
    chart.draw(g2, new Rectangle2D.Double(0, 0, Charts.WIDTH, Charts.HEIGHT), info);
    Rectangle2D area = info.getPlotInfo().getDataArea();
    List<String> labels = new ArrayList<>();
    for (Object t : axis.refreshTicks(g2, new AxisState(), area, edge)) {
      AttributedCharacterIterator it = ((LogTick) t).getAttributedLabel().getIterator();
      StringBuilder sb = new StringBuilder();
      for (char c = it.first(); c != AttributedCharacterIterator.DONE; c = it.next()) {
        sb.append(c);
      }
      labels.add(sb.toString());
    }
    g2.dispose();
    return labels;
  }

  @Test
  void rooflineTicksArePlainNumbers() {
    JFreeChart chart = roofline();
    XYPlot plot = chart.getXYPlot();
    List<String> x = tickLabels(chart, (LogAxis) plot.getDomainAxis(), RectangleEdge.BOTTOM);
    List<String> y = tickLabels(chart, (LogAxis) plot.getRangeAxis(), RectangleEdge.LEFT);
    assertTrue(x.size() >= 2 && y.size() >= 2, x + " " + y);
    for (String label : concat(x, y)) {
      assertTrue(label.matches("[0-9][0-9,]*(\\.[0-9]+)?"), "plain number: " + label);
    }
    // The decades, written out: 1,000 TFLOPS and 10 FLOP/byte are on these axes.
    assertTrue(y.contains("1,000"), y.toString());
    assertTrue(x.contains("10") && x.contains("1,000"), x.toString());
  }

  @Test
  void predictedAgainstMeasuredTicksArePlainNumbersEvenOnANarrowRange() {
    // 900 to 1300 TFLOPS: less than a decade of data.
    JFreeChart chart = Charts.predictedVsMeasuredChart("narrow", "TFLOPS", Map.of("h800",
        List.of(new double[] {900, 950}, new double[] {1300, 1250})));
    XYPlot plot = chart.getXYPlot();
    List<String> x = tickLabels(chart, (LogAxis) plot.getDomainAxis(), RectangleEdge.BOTTOM);
    List<String> y = tickLabels(chart, (LogAxis) plot.getRangeAxis(), RectangleEdge.LEFT);
    assertTrue(x.contains("1,000") && y.contains("1,000"), x + " " + y);
    assertTrue(x.size() >= 2 && y.size() >= 2, "two ticks or more: " + x + " " + y);
    for (String label : concat(x, y)) {
      assertTrue(label.matches("[0-9][0-9,]*(\\.[0-9]+)?"), "plain number: " + label);
    }
  }

  @Test
  void rooflineHasAnL2RoofBesideTheHbmRoof() {
    XYDataset data = roofline().getXYPlot().getDataset();
    assertEquals(3, data.getSeriesCount());
    assertEquals("GEMMs", data.getSeriesKey(0));
    assertTrue(data.getSeriesKey(1).toString().startsWith("HBM roof (3.35 TB/s"));
    assertTrue(data.getSeriesKey(2).toString().startsWith("L2 roof (6.67 TB/s"));
    // Below its ridge each roof is bandwidth x intensity (TB/s x FLOP/B = TFLOPS), above it
    // the compute roof.
    for (int s = 1; s <= 2; s++) {
      double tbps = s == 1 ? 3.35 : 6.67;
      assertEquals(tbps * data.getXValue(s, 0), data.getYValue(s, 0), 1e-9);
      int last = data.getItemCount(s) - 1;
      assertEquals(1979, data.getYValue(s, last), 1e-9);
      assertEquals(1979 / tbps, data.getXValue(s, 1), 1e-9, "ridge point");
    }
  }

  @Test
  void rooflinePointsAreLabelledOncePerPlace() {
    List<String> texts = new ArrayList<>();
    for (XYAnnotation a : roofline().getXYPlot().getAnnotations()) {
      if (a instanceof XYTextAnnotation t) {
        texts.add(t.getText());
      }
    }
    assertEquals(List.of("q_proj, o_proj", "k_proj", "tiny"), texts);
  }

  @Test
  void labelsOfClusteredPointsDoNotOverlap() {
    // The projections of one Llama layer: eight GEMMs within a factor 3 of intensity.
    List<Charts.RooflinePoint> points = List.of(
        new Charts.RooflinePoint("layer.q_proj, layer.o_proj", 2048, 1266),
        new Charts.RooflinePoint("layer.k_proj, layer.v_proj", 1170, 1060),
        new Charts.RooflinePoint("layer.gate_proj, layer.up_proj", 3000, 1338),
        new Charts.RooflinePoint("layer.down_proj", 2900, 1322),
        new Charts.RooflinePoint("lm_head", 3300, 1369));
    JFreeChart chart = Charts.rooflineChart("Roofline: clustered", points, ROOFS);
    XYPlot plot = chart.getXYPlot();
    Rectangle2D area = RooflineLabels.dataArea(chart);
    java.awt.font.FontRenderContext frc = new java.awt.font.FontRenderContext(null, true, true);
    List<Rectangle2D> boxes = new ArrayList<>();
    for (XYAnnotation a : plot.getAnnotations()) {
      if (a instanceof XYTextAnnotation t) {
        double x = plot.getDomainAxis().valueToJava2D(t.getX(), area, RectangleEdge.BOTTOM);
        double y = plot.getRangeAxis().valueToJava2D(t.getY(), area, RectangleEdge.LEFT);
        Rectangle2D b = t.getFont().getStringBounds(t.getText(), frc);
        double left = t.getTextAnchor() == org.jfree.chart.ui.TextAnchor.CENTER_RIGHT
            ? x - b.getWidth() : x;
        boxes.add(new Rectangle2D.Double(left, y - b.getHeight() / 2, b.getWidth(),
            b.getHeight()));
      }
    }
    assertEquals(points.size(), boxes.size());
    for (int i = 0; i < boxes.size(); i++) {
      assertTrue(area.contains(boxes.get(i)), "inside the plot: " + boxes.get(i));
      for (int j = i + 1; j < boxes.size(); j++) {
        assertTrue(!boxes.get(i).intersects(boxes.get(j)), i + " and " + j + " overlap");
      }
    }
  }

  @Test
  void rooflinePointsAreDrawnOverTheRoofs() {
    XYPlot plot = roofline().getXYPlot();
    // REVERSE: series 0, the GEMMs, is drawn last.
    assertEquals(SeriesRenderingOrder.REVERSE, plot.getSeriesRenderingOrder());
    assertTrue(plot.getRenderer().getSeriesPaint(0) instanceof Color c && c.getAlpha() < 255,
        "points translucent, so that points at one place show as darker");
  }

  @Test
  void coincidingLinesStayVisible() {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    List<double[]> same = List.of(new double[] {1, 2}, new double[] {2, 3}, new double[] {3, 5});
    for (String name : List.of("tensor", "rowwise", "block", "mxfp8")) {
      series.put(name, same);
    }
    JFreeChart chart = Charts.linesChart("Same values", "x", "y", series, false, false);
    XYPlot plot = chart.getXYPlot();
    XYItemRenderer r = plot.getRenderer();
    assertEquals(SeriesRenderingOrder.FORWARD, plot.getSeriesRenderingOrder(),
        "first series drawn first, at the bottom");
    Set<String> dashes = new HashSet<>();
    Set<String> shapes = new HashSet<>();
    float previous = Float.MAX_VALUE;
    for (int i = 0; i < series.size(); i++) {
      BasicStroke s = (BasicStroke) r.getSeriesStroke(i);
      assertTrue(s.getLineWidth() < previous, "each line narrower than the one below it");
      previous = s.getLineWidth();
      dashes.add(Arrays.toString(s.getDashArray()));
      shapes.add(r.getSeriesShape(i).getBounds2D() + r.getSeriesShape(i).getClass().getName()
          + Arrays.toString(pathOf(r.getSeriesShape(i))));
      Color c = (Color) r.getSeriesPaint(i);
      assertTrue(c.getAlpha() < 255, "translucent");
    }
    assertEquals(series.size(), dashes.size(), "a dash pattern per series");
    assertEquals(series.size(), shapes.size(), "a marker shape per series");
    assertNotEquals(r.getSeriesPaint(0), r.getSeriesPaint(1));
  }

  private static double[] pathOf(java.awt.Shape shape) {
    List<Double> coords = new ArrayList<>();
    double[] seg = new double[6];
    for (var it = shape.getPathIterator(null); !it.isDone(); it.next()) {
      int type = it.currentSegment(seg);
      coords.add((double) type);
      for (int i = 0; i < 2; i++) {
        coords.add(seg[i]);
      }
    }
    return coords.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}

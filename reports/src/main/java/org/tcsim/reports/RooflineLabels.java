package org.tcsim.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * Labels for the points of a roofline, placed so that they overlap neither each other nor the
 * points: GEMMs of a model sit close together (the projections of one layer differ little in
 * intensity), and labels written at each point would run into one another. Each label takes the
 * first free place among: right of its point, left of it, then a line at a time further above or
 * below with a thin leader line back to the point. Positions are worked out in pixels of the
 * chart at {@link Charts#WIDTH} x {@link Charts#HEIGHT} and stored in data coordinates.
 */
final class RooflineLabels {
  static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
  private static final double GAP = 7;
  private static final double LINE = 13;
  private static final int MAX_LINES = 8;

  private RooflineLabels() {}

  /** Adds {@code texts[i]} at data point {@code points[i]} (x, y) to the chart's XY plot. */
  static void place(JFreeChart chart, List<String> texts, List<double[]> points) {
    if (texts.isEmpty()) {
      return;
    }
    XYPlot plot = chart.getXYPlot();
    Rectangle2D area = dataArea(chart);
    ValueAxis x = plot.getDomainAxis();
    ValueAxis y = plot.getRangeAxis();
    FontRenderContext frc = new FontRenderContext(null, true, true);
    List<Rectangle2D> taken = new ArrayList<>();
    double[][] px = new double[points.size()][];
    for (int i = 0; i < points.size(); i++) {
      double[] p = points.get(i);
      px[i] = new double[] {x.valueToJava2D(p[0], area, RectangleEdge.BOTTOM),
          y.valueToJava2D(p[1], area, RectangleEdge.LEFT)};
      taken.add(new Rectangle2D.Double(px[i][0] - 5, px[i][1] - 5, 10, 10));
    }
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      double w = FONT.getStringBounds(text, frc).getWidth() + 2;
      double h = LINE - 1;
      Rectangle2D chosen = null;
      boolean right = true;
      double dy = 0;
      search:
      for (int line = 0; line <= MAX_LINES; line++) {
        for (int sign : line == 0 ? new int[] {1} : new int[] {-1, 1}) {
          for (boolean r : new boolean[] {true, false}) {
            double cy = px[i][1] + sign * line * LINE;
            double left = r ? px[i][0] + GAP : px[i][0] - GAP - w;
            Rectangle2D box = new Rectangle2D.Double(left, cy - h / 2, w, h);
            if (area.contains(box) && taken.stream().noneMatch(box::intersects)) {
              chosen = box;
              right = r;
              dy = sign * line * LINE;
              break search;
            }
          }
        }
      }
      if (chosen == null) {
        // Nowhere free: beside the point all the same.
        chosen = new Rectangle2D.Double(px[i][0] + GAP, px[i][1] - h / 2, w, h);
        right = true;
        dy = 0;
      }
      taken.add(chosen);
      double ax = right ? chosen.getMinX() : chosen.getMaxX();
      double ay = chosen.getCenterY();
      double dataX = x.java2DToValue(ax, area, RectangleEdge.BOTTOM);
      double dataY = y.java2DToValue(ay, area, RectangleEdge.LEFT);
      XYTextAnnotation label = new XYTextAnnotation(text, dataX, dataY);
      label.setFont(FONT);
      label.setPaint(new Color(0x333333));
      label.setTextAnchor(right ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT);
      plot.addAnnotation(label, false);
      if (dy != 0) {
        double[] p = points.get(i);
        plot.addAnnotation(new XYLineAnnotation(p[0], p[1], dataX, dataY,
            new BasicStroke(0.6f), new Color(0x999999)), false);
      }
    }
  }

  /** Where the data go when the chart is drawn at report size (labels do not move it). */
  static Rectangle2D dataArea(JFreeChart chart) {
    BufferedImage img = new BufferedImage(Charts.WIDTH, Charts.HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g2 = img.createGraphics();
    try {
      ChartRenderingInfo info = new ChartRenderingInfo();
      chart.draw(g2, new Rectangle2D.Double(0, 0, Charts.WIDTH, Charts.HEIGHT), info);
      return info.getPlotInfo().getDataArea();
    } finally {
      g2.dispose();
    }
  }
}

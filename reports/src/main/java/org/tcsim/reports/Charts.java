package org.tcsim.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The charts tcsim draws (JFreeChart, headless), as PNG bytes, in one style: white background,
 * light grid, readable at 800x450. Reports embed them; commands write them next to their CSVs.
 */
public final class Charts {
  public static final int WIDTH = 800;
  public static final int HEIGHT = 450;

  private Charts() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Lines through (x, y) points, one per named series. */
  public static byte[] lines(String title, String xLabel, String yLabel,
      Map<String, List<double[]>> series, boolean logY) {
    return lines(title, xLabel, yLabel, series, false, logY);
  }

  /**
   * Lines through (x, y) points, one per named series, with a logarithmic x axis (base 2, for
   * sizes such as K) and/or y axis (for errors spanning decades). Points with a y that is not
   * finite, or not positive on a log axis, are left out.
   */
  public static byte[] lines(String title, String xLabel, String yLabel,
      Map<String, List<double[]>> series, boolean logX, boolean logY) {
    return png(linesChart(title, xLabel, yLabel, series, logX, logY));
  }

  /** The chart {@link #lines(String, String, String, Map, boolean, boolean)} draws. */
  public static JFreeChart linesChart(String title, String xLabel, String yLabel,
      Map<String, List<double[]>> series, boolean logX, boolean logY) {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach((name, points) -> {
      XYSeries s = new XYSeries(name, false, true);
      for (double[] p : points) {
        if (Double.isFinite(p[1]) && (!logY || p[1] > 0)) {
          s.add(p[0], p[1]);
        }
      }
      data.addSeries(s);
    });
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data,
        PlotOrientation.VERTICAL, series.size() > 1, false, false);
    XYPlot plot = chart.getXYPlot();
    int most = series.values().stream().mapToInt(List::size).max().orElse(0);
    // Markers help read a few points; on long curves they only hide the lines.
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, most <= 40);
    overlapVisibly(plot, renderer, series.size());
    if (logY) {
      LogAxis axis = new LogAxis(yLabel);
      axis.setSmallestValue(1e-12);
      double lo = Double.POSITIVE_INFINITY;
      double hi = 0;
      for (List<double[]> points : series.values()) {
        for (double[] p : points) {
          if (Double.isFinite(p[1]) && p[1] > 0) {
            lo = Math.min(lo, p[1]);
            hi = Math.max(hi, p[1]);
          }
        }
      }
      if (hi >= 10 * lo) {
        // One tick per decade, written 1E-3, rather than fractional powers of ten.
        axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0));
        axis.setNumberFormatOverride(new java.text.DecimalFormat("0E0"));
      } else {
        // Less than a decade: JFreeChart's own ticks, in plain scientific notation.
        axis.setNumberFormatOverride(new java.text.DecimalFormat("0.00E0"));
      }
      plot.setRangeAxis(axis);
    }
    if (logX) {
      LogAxis axis = new LogAxis(xLabel);
      axis.setBase(2);
      axis.setSmallestValue(1e-12);
      axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      plot.setDomainAxis(axis);
    }
    style(chart);
    return chart;
  }

  /**
   * Series that coincide (two recipes with the same error, say) must all stay visible: they are
   * drawn first to last, each narrower than the one below it, with its own dash pattern, marker
   * shape and a slightly transparent colour, so a line on top of another leaves it showing at the
   * edges.
   */
  static void overlapVisibly(XYPlot plot, XYLineAndShapeRenderer renderer, int series) {
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    java.awt.Shape[] shapes = DefaultDrawingSupplier.createStandardSeriesShapes();
    for (int i = 0; i < series; i++) {
      float width = Math.max(1f, 4.5f - 1f * i);
      float[] dash = DASHES[i % DASHES.length];
      renderer.setSeriesStroke(i, dash == null
          ? new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
          : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
      Color c = PALETTE[i % PALETTE.length];
      renderer.setSeriesPaint(i, new Color(c.getRed(), c.getGreen(), c.getBlue(), 210));
      renderer.setSeriesShape(i, shapes[i % shapes.length]);
    }
    plot.setRenderer(renderer);
  }

  /** Dash patterns by series: solid, then dashes that tell the series apart in grey print too. */
  private static final float[][] DASHES = {null, {9f, 5f}, {3f, 4f}, {12f, 4f, 3f, 4f},
      {6f, 3f}, {2f, 2f}};

  /**
   * Grouped vertical bars: for each category (x), one bar per series, e.g. the error of each
   * recipe (category) on each data distribution (series). On a log axis the bars start just below
   * the smallest value; values that are not finite (or not positive on a log axis) are left out.
   */
  public static byte[] groupedBars(String title, String xLabel, String yLabel,
      Map<String, Map<String, Double>> series, boolean logY) {
    return png(groupedBarsChart(title, xLabel, yLabel, series, logY));
  }

  /** The chart {@link #groupedBars} draws. */
  public static JFreeChart groupedBarsChart(String title, String xLabel, String yLabel,
      Map<String, Map<String, Double>> series, boolean logY) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    double min = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
      for (Map.Entry<String, Double> e : s.getValue().entrySet()) {
        double v = e.getValue();
        if (Double.isFinite(v) && (!logY || v > 0)) {
          data.addValue(v, s.getKey(), e.getKey());
          min = Math.min(min, v);
        } else {
          data.addValue(null, s.getKey(), e.getKey());
        }
      }
    }
    JFreeChart chart = ChartFactory.createBarChart(title, xLabel, yLabel, data,
        PlotOrientation.VERTICAL, series.size() > 1, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    org.jfree.chart.renderer.category.BarRenderer renderer =
        (org.jfree.chart.renderer.category.BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    renderer.setShadowVisible(false);
    Color[] palette = {new Color(0x3b6ea8), new Color(0xd1743b), new Color(0x4a9a5b),
        new Color(0x9b59b6), new Color(0xc0392b), new Color(0x7f8c8d)};
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, palette[i % palette.length]);
    }
    if (logY && Double.isFinite(min)) {
      LogAxis axis = new LogAxis(yLabel);
      axis.setSmallestValue(1e-12);
      double base = Math.pow(10, Math.floor(Math.log10(min)));
      axis.setLowerBound(base);
      axis.setAutoRange(true);
      renderer.setBase(base);
      renderer.setIncludeBaseInRange(true);
      plot.setRangeAxis(axis);
    }
    categoryLabels(plot, data.getColumnCount());
    style(chart);
    return chart;
  }

  /** Vertical bars: one per category. */
  public static byte[] bars(String title, String xLabel, String yLabel, Map<String, Double> values) {
    return png(barsChart(title, xLabel, yLabel, values));
  }

  /** The chart {@link #bars} draws. */
  public static JFreeChart barsChart(String title, String xLabel, String yLabel,
      Map<String, Double> values) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    values.forEach((k, v) -> data.addValue(v, yLabel, k));
    JFreeChart chart = ChartFactory.createBarChart(title, xLabel, yLabel, data,
        PlotOrientation.VERTICAL, false, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.getRenderer().setSeriesPaint(0, new Color(0x3b6ea8));
    categoryLabels(plot, data.getColumnCount());
    style(chart);
    return chart;
  }

  /**
   * A heat map of a grid (rows top to bottom, columns left to right), e.g. the mismatch rate over
   * blocks of an output matrix. Colours run from white (0) to dark red (the maximum).
   */
  public static byte[] heatMap(String title, String xLabel, String yLabel, double[][] grid) {
    return png(heatMapChart(title, xLabel, yLabel, grid));
  }

  /** The chart {@link #heatMap} draws. */
  public static JFreeChart heatMapChart(String title, String xLabel, String yLabel,
      double[][] grid) {
    int rows = grid.length;
    int cols = rows == 0 ? 0 : grid[0].length;
    double[] xs = new double[rows * cols];
    double[] ys = new double[rows * cols];
    double[] zs = new double[rows * cols];
    double max = 0;
    for (int r = 0, i = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++, i++) {
        xs[i] = c;
        ys[i] = rows - 1 - r;
        zs[i] = grid[r][c];
        max = Math.max(max, grid[r][c]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("grid", new double[][] {xs, ys, zs});
    NumberAxis x = new NumberAxis(xLabel);
    NumberAxis y = new NumberAxis(yLabel);
    XYBlockRenderer renderer = new XYBlockRenderer();
    double top = max > 0 ? max : 1;
    LookupPaintScale scale = new LookupPaintScale(0, top * 1.0001, Color.WHITE);
    for (int i = 0; i <= 10; i++) {
      float t = i / 10f;
      scale.add(top * t, new Color(1f, 1f - 0.85f * t, 1f - 0.85f * t));
    }
    renderer.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    JFreeChart chart = new JFreeChart(title, plot);
    chart.removeLegend();
    NumberAxis scaleAxis = new NumberAxis("rate");
    scaleAxis.setRange(0, top * 1.0001);
    PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    chart.addSubtitle(legend);
    style(chart);
    return chart;
  }

  /**
   * A roofline: one point per GEMM at (arithmetic intensity in FLOP/byte, achieved TFLOPS), under
   * the machine's compute roof and its two bandwidth roofs, HBM and L2 (bandwidth x intensity,
   * capped by the compute roof), both axes logarithmic with ticks written as plain numbers. The
   * intensity is FLOPs over the minimum (HBM) bytes, so the L2 roof is an upper bound for data
   * served from L2, as in a hierarchical roofline. Points are labelled (GEMMs at the same point
   * share one label, at most {@link #ROOFLINE_LABELS} labels) and drawn on top of the roofs.
   */
  public static byte[] roofline(String title, List<RooflinePoint> points, Roofs roofs) {
    return png(rooflineChart(title, points, roofs));
  }

  /** Labels drawn on a roofline, at most (the first distinct points). */
  public static final int ROOFLINE_LABELS = 24;

  /**
   * One GEMM on a roofline.
   *
   * @param label what the point is called on the chart (a GEMM's name)
   * @param intensity FLOPs per byte of minimum traffic
   * @param tflops achieved (predicted) TFLOPS
   */
  public record RooflinePoint(String label, double intensity, double tflops) {}

  /**
   * A machine's roofs.
   *
   * @param peakTflops compute roof
   * @param hbmTbps HBM bandwidth, TB/s
   * @param l2Tbps L2-to-SM bandwidth, TB/s (0: none drawn)
   */
  public record Roofs(double peakTflops, double hbmTbps, double l2Tbps) {}

  /** The chart {@link #roofline} draws. */
  public static JFreeChart rooflineChart(String title, List<RooflinePoint> points, Roofs roofs) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYSeries gemms = new XYSeries("GEMMs", false, true);
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    // Points at the same place (the same shape twice) get one label naming them all.
    Map<String, List<String>> labels = new java.util.LinkedHashMap<>();
    Map<String, double[]> at = new java.util.HashMap<>();
    for (RooflinePoint p : points) {
      if (p.intensity() > 0 && p.tflops() > 0) {
        gemms.add(p.intensity(), p.tflops());
        lo = Math.min(lo, p.intensity());
        hi = Math.max(hi, p.intensity());
        String key = p.intensity() + "," + p.tflops();
        labels.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(p.label());
        at.put(key, new double[] {p.intensity(), p.tflops()});
      }
    }
    double peak = roofs.peakTflops();
    double ridge = peak / roofs.hbmTbps();
    double l2Ridge = roofs.l2Tbps() > 0 ? peak / roofs.l2Tbps() : ridge;
    // Wide enough that each axis spans two decades or more: a tick per decade, at least two.
    lo = Math.min(Double.isInfinite(lo) ? l2Ridge : lo, l2Ridge) / 30;
    hi = Math.max(hi, ridge) * 10;
    double bottom = roofs.hbmTbps() * lo;
    for (RooflinePoint p : points) {
      if (p.intensity() > 0 && p.tflops() > 0) {
        bottom = Math.min(bottom, p.tflops());
      }
    }
    data.addSeries(gemms);
    data.addSeries(roof(String.format(java.util.Locale.ROOT, "HBM roof (%.3g TB/s)",
        roofs.hbmTbps()), lo, hi, roofs.hbmTbps(), peak));
    if (roofs.l2Tbps() > 0) {
      data.addSeries(roof(String.format(java.util.Locale.ROOT, "L2 roof (%.3g TB/s)",
          roofs.l2Tbps()), lo, hi, roofs.l2Tbps(), peak));
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "arithmetic intensity (FLOP/byte)",
        "TFLOPS", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    renderer.setSeriesLinesVisible(0, false);
    renderer.setSeriesShapesVisible(0, true);
    renderer.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
    renderer.setSeriesPaint(0, new Color(0x3b, 0x6e, 0xa8, 200));
    renderer.setSeriesLinesVisible(1, true);
    renderer.setSeriesShapesVisible(1, false);
    renderer.setSeriesPaint(1, new Color(0xb03030));
    renderer.setSeriesStroke(1, new BasicStroke(2.5f));
    renderer.setSeriesLinesVisible(2, true);
    renderer.setSeriesShapesVisible(2, false);
    renderer.setSeriesPaint(2, new Color(0xd1743b));
    renderer.setSeriesStroke(2, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f));
    plot.setRenderer(renderer);
    // Series 0 (the points) is drawn last, over the roofs.
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.REVERSE);
    LogAxis x = new LogAxis("arithmetic intensity (FLOP/byte)");
    x.setSmallestValue(1e-3);
    LogAxis y = new LogAxis("TFLOPS");
    y.setSmallestValue(1e-6);
    plainTicks(x);
    plainTicks(y);
    x.setRange(lo, hi);
    y.setRange(bottom / 2, peak * 1.5);
    plot.setDomainAxis(x);
    plot.setRangeAxis(y);
    style(chart);
    List<String> texts = new java.util.ArrayList<>();
    List<double[]> where = new java.util.ArrayList<>();
    for (Map.Entry<String, List<String>> e : labels.entrySet()) {
      if (texts.size() >= ROOFLINE_LABELS) {
        break;
      }
      texts.add(String.join(", ", e.getValue()));
      where.add(at.get(e.getKey()));
    }
    RooflineLabels.place(chart, texts, where);
    return chart;
  }

  private static XYSeries roof(String name, double lo, double hi, double tbps, double peak) {
    XYSeries roof = new XYSeries(name, false, true);
    double ridge = peak / tbps;
    roof.add(lo, Math.min(peak, tbps * lo));
    if (ridge > lo && ridge < hi) {
      roof.add(ridge, peak);
    }
    roof.add(hi, Math.min(peak, tbps * hi));
    return roof;
  }

  /**
   * A log axis with a tick per decade (or per power of two when a decade is too coarse) written as
   * a plain number (1,000 and 0.01, not 1E3 and 1E-2).
   */
  static void plainTicks(LogAxis axis) {
    axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0));
    axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.######",
        java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
  }

  /**
   * Predicted against measured: one point series per named group (a GPU, say), both axes
   * logarithmic, with the line predicted = measured and the band of +-10% around it.
   */
  public static byte[] predictedVsMeasured(String title, String unit, Map<String, List<double[]>> groups) {
    return png(predictedVsMeasuredChart(title, unit, groups));
  }

  /** The chart {@link #predictedVsMeasured} draws. */
  public static JFreeChart predictedVsMeasuredChart(String title, String unit,
      Map<String, List<double[]>> groups) {
    XYSeriesCollection data = new XYSeriesCollection();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (Map.Entry<String, List<double[]>> g : groups.entrySet()) {
      XYSeries s = new XYSeries(g.getKey(), false, true);
      for (double[] p : g.getValue()) {
        if (p[0] > 0 && p[1] > 0 && Double.isFinite(p[0]) && Double.isFinite(p[1])) {
          s.add(p[0], p[1]);
          lo = Math.min(lo, Math.min(p[0], p[1]));
          hi = Math.max(hi, Math.max(p[0], p[1]));
        }
      }
      data.addSeries(s);
    }
    if (hi == 0) {
      lo = 1;
      hi = 10;
    }
    lo /= 1.5;
    hi *= 1.5;
    // At least two decades, so that the plain decade ticks are two or more.
    double widen = Math.sqrt(Math.max(1, 100 / (hi / lo)));
    lo /= widen;
    hi *= widen;
    int guides = data.getSeriesCount();
    double[] factors = {1.0, 1.1, 1 / 1.1};
    String[] names = {"predicted = measured", "+10%", "-10%"};
    for (int i = 0; i < factors.length; i++) {
      XYSeries line = new XYSeries(names[i], false, true);
      line.add(lo, lo * factors[i]);
      line.add(hi, hi * factors[i]);
      data.addSeries(line);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "measured " + unit, "predicted " + unit,
        data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    java.awt.Shape[] shapes = DefaultDrawingSupplier.createStandardSeriesShapes();
    for (int i = 0; i < guides; i++) {
      // Points of several groups may coincide: each group its own marker, translucent.
      renderer.setSeriesLinesVisible(i, false);
      renderer.setSeriesShapesVisible(i, true);
      Color c = PALETTE[i % PALETTE.length];
      renderer.setSeriesPaint(i, new Color(c.getRed(), c.getGreen(), c.getBlue(), 180));
      renderer.setSeriesShape(i, shapes[i % shapes.length]);
    }
    for (int i = guides; i < guides + factors.length; i++) {
      renderer.setSeriesLinesVisible(i, true);
      renderer.setSeriesShapesVisible(i, false);
      renderer.setSeriesPaint(i, i == guides ? Color.DARK_GRAY : Color.LIGHT_GRAY);
      renderer.setSeriesStroke(i, new BasicStroke(i == guides ? 1.5f : 1f));
    }
    plot.setRenderer(renderer);
    LogAxis x = new LogAxis("measured " + unit);
    LogAxis y = new LogAxis("predicted " + unit);
    plainTicks(x);
    plainTicks(y);
    x.setRange(lo, hi);
    y.setRange(lo, hi);
    plot.setDomainAxis(x);
    plot.setRangeAxis(y);
    style(chart);
    return chart;
  }

  /**
   * Category labels at 45 degrees while they fit; vertical and smaller when there are many (a
   * histogram of a few dozen bins), so that neighbours do not run into each other.
   */
  static void categoryLabels(CategoryPlot plot, int categories) {
    org.jfree.chart.axis.CategoryAxis axis = plot.getDomainAxis();
    if (categories > 16) {
      axis.setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_90);
      if (categories > 30) {
        axis.setTickLabelFont(axis.getTickLabelFont().deriveFont(9f));
      }
    } else {
      axis.setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
    }
  }

  /** Colours told apart by most eyes (the Tableau 10 palette), in series order. */
  static final Color[] PALETTE = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759),
      new Color(0x76b7b2), new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1),
      new Color(0xff9da7), new Color(0x9c755f), new Color(0xbab0ac)};

  private static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    if (chart.getPlot() instanceof XYPlot p) {
      p.setBackgroundPaint(Color.WHITE);
      p.setDomainGridlinePaint(new Color(0xdddddd));
      p.setRangeGridlinePaint(new Color(0xdddddd));
    } else if (chart.getPlot() instanceof CategoryPlot p) {
      p.setBackgroundPaint(Color.WHITE);
      p.setRangeGridlinePaint(new Color(0xdddddd));
    }
  }

  /** The chart as a PNG of {@link #WIDTH} x {@link #HEIGHT}. */
  public static byte[] png(JFreeChart chart) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

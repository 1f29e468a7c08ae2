package org.tcsim.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.tcsim.traces.io.AtomicFiles;

/**
 * A self-contained HTML report: one file, charts embedded as PNG data URIs, no script and no
 * server, so it opens in any browser straight from disk and can be attached to a bug report.
 */
public final class HtmlReport {
  private final StringBuilder body = new StringBuilder();
  private final List<JFreeChart> charts = new ArrayList<>();
  private final String title;

  public HtmlReport(String title) {
    this.title = title;
  }

  public HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  public HtmlReport paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A table; cells are text (escaped). A row whose first cell starts with "!" is highlighted. */
  public HtmlReport table(List<String> header, List<List<String>> rows) {
    // Wide tables scroll sideways inside the page rather than pushing it wider.
    body.append("<div class=\"wide\"><table>\n<tr>");
    for (String h : header) {
      body.append("<th>").append(escape(h)).append("</th>");
    }
    body.append("</tr>\n");
    for (List<String> row : rows) {
      boolean bad = !row.isEmpty() && row.get(0).startsWith("!");
      body.append(bad ? "<tr class=\"bad\">" : "<tr>");
      for (int i = 0; i < row.size(); i++) {
        String cell = i == 0 && bad ? row.get(0).substring(1) : row.get(i);
        body.append("<td>").append(escape(cell)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table></div>\n");
    return this;
  }

  /**
   * A chart, drawn as a PNG with {@code caption} under it; the chart object is kept for
   * {@link #charts()}.
   */
  public HtmlReport chart(String caption, JFreeChart chart) {
    charts.add(chart);
    return image(caption, Charts.png(chart));
  }

  /** The charts added with {@link #chart}, in order (to check their titles, series, axes). */
  public List<JFreeChart> charts() {
    return List.copyOf(charts);
  }

  public HtmlReport image(String alt, byte[] png) {
    body.append("<figure><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>")
        .append(escape(alt)).append("</figcaption></figure>\n");
    return this;
  }

  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title>\n<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
        + "text-align:right}th{background:#f0f0f0}tr.bad td{background:#fde0e0}"
        + "figure{margin:1em 0}img{max-width:100%}div.wide{overflow-x:auto}</style></head>\n<body>\n<h1>" + escape(title)
        + "</h1>\n" + body + "</body></html>\n";
  }

  /** Writes {@code index.html} in {@code dir} (atomically) and returns its path. */
  public Path write(Path dir) throws IOException {
    Path file = dir.resolve("index.html");
    String html = html();
    AtomicFiles.write(file, w -> w.write(html));
    return file;
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}

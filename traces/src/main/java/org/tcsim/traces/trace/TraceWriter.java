package org.tcsim.traces.trace;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.tcsim.traces.io.AtomicFiles;

/**
 * Writes native traces: comment lines, the full header of {@link TraceColumns}, then one row per
 * GEMM, with every column filled in so that the file says everything (no defaults assumed).
 * Files are written atomically ({@link AtomicFiles}).
 */
public final class TraceWriter {
  private final CSVPrinter printer;
  private long written;

  private TraceWriter(CSVPrinter printer) {
    this.printer = printer;
  }

  /**
   * Starts a trace on {@code out}: writes the comment lines and the header, then one row per
   * {@link #add}. Call {@link #flush} at the end; the writer is not closed.
   */
  public static TraceWriter on(Writer out, List<String> comments) throws IOException {
    for (String c : comments) {
      if (c.contains("\n") || c.contains("\r")) {
        throw new IllegalArgumentException("comment must be one line: " + c);
      }
      out.write("# " + c + "\n");
    }
    CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();
    CSVPrinter printer = new CSVPrinter(out, format);
    printer.printRecord(TraceColumns.ALL);
    return new TraceWriter(printer);
  }

  /** Writes one GEMM. */
  public void add(GemmSpec spec) throws IOException {
    printer.printRecord(row(spec));
    written++;
  }

  /** GEMMs written so far. */
  public long written() {
    return written;
  }

  public void flush() throws IOException {
    printer.flush();
  }

  /** Writes {@code specs} (consumed once, streaming) to {@code file} after the comment lines. */
  public static void write(Path file, List<String> comments, Iterator<GemmSpec> specs)
      throws IOException {
    AtomicFiles.write(file, w -> write(w, comments, specs));
  }

  public static void write(Path file, List<String> comments, Iterable<GemmSpec> specs)
      throws IOException {
    write(file, comments, specs.iterator());
  }

  /** Writes to a writer (not closed). Comment lines must be single lines. */
  public static void write(Writer out, List<String> comments, Iterator<GemmSpec> specs)
      throws IOException {
    TraceWriter w = on(out, comments);
    while (specs.hasNext()) {
      w.add(specs.next());
    }
    w.flush();
  }

  static List<String> row(GemmSpec s) {
    List<String> r = new ArrayList<>(TraceColumns.ALL.size());
    r.add(s.name());
    r.add(s.gpu());
    r.add(Long.toString(s.m()));
    r.add(Long.toString(s.n()));
    r.add(Long.toString(s.k()));
    r.add(Integer.toString(s.groups()));
    r.add(s.aFormat().shortName());
    r.add(s.bFormat().shortName());
    r.add(s.aLayout().traceName());
    r.add(s.bLayout().traceName());
    r.add(s.scaling().traceName());
    r.add(s.outFormat().shortName());
    r.add(Boolean.toString(s.fastAccum()));
    r.add(s.library().id());
    r.add(number(s.alpha()));
    r.add(number(s.beta()));
    if (s.data() instanceof OperandData.Seeded seeded) {
      r.add(Long.toString(seeded.seed()));
      r.add("");
      r.add("");
      r.add("");
      r.add("");
      r.add("");
    } else if (s.data() instanceof OperandData.Files f) {
      r.add("");
      r.add(f.a().toString());
      r.add(f.b().toString());
      r.add(f.c().map(Path::toString).orElse(""));
      r.add(f.aScale().map(Path::toString).orElse(""));
      r.add(f.bScale().map(Path::toString).orElse(""));
    } else {
      throw new IllegalStateException("unknown operand data " + s.data());
    }
    r.add(s.source());
    return r;
  }

  /** Integers without ".0", everything else in the shortest form that reads back exactly. */
  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}

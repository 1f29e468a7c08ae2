package org.tcsim.traces.trace;

import static org.tcsim.traces.trace.TraceColumns.*;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.InputFormatException;
import org.tcsim.gpu.Library;

/**
 * Reads a native trace (one GEMM per CSV row, see {@link TraceColumns}) one row at a time, so
 * that a trace of any length needs memory for one row only. Lines starting with '#' are comments;
 * columns are found by header name, in any order; an unknown column is an error that names it.
 * Every problem is an {@link InputFormatException} with the file, line and column.
 *
 * <p>Relative {@code .npy} paths are kept as written; {@link #traceDir()} is where they are
 * relative to.
 */
public final class TraceReader implements Iterator<GemmSpec>, AutoCloseable {

  private final String source;
  private final Path traceDir;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final Map<String, Integer> columns = new HashMap<>();
  private GemmSpec next;

  private TraceReader(Reader reader, String source, Path traceDir) throws IOException {
    this.source = source;
    this.traceDir = traceDir;
    CSVFormat format = CSVFormat.DEFAULT.builder()
        .setCommentMarker('#')
        .setIgnoreSurroundingSpaces(true)
        .setIgnoreEmptyLines(true)
        .get();
    this.parser = CSVParser.builder().setReader(reader).setFormat(format).get();
    this.records = parser.iterator();
    readHeader();
  }

  /** Opens a trace file. */
  public static TraceReader open(Path file) throws IOException {
    Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    try {
      Path dir = file.toAbsolutePath().getParent();
      return new TraceReader(r, file.toString(), dir);
    } catch (RuntimeException | IOException e) {
      r.close();
      throw e;
    }
  }

  /** Reads a trace from any reader; relative data paths are relative to the working folder. */
  public static TraceReader of(Reader reader, String source) throws IOException {
    return new TraceReader(reader, source, Path.of("").toAbsolutePath());
  }

  /** Reads a whole (small) trace into a list. */
  public static List<GemmSpec> readAll(Path file) throws IOException {
    try (TraceReader r = open(file)) {
      List<GemmSpec> out = new ArrayList<>();
      r.forEachRemaining(out::add);
      return out;
    }
  }

  /** The folder relative data paths are resolved against. */
  public Path traceDir() {
    return traceDir;
  }

  /** The remaining specs as a stream; closing the stream closes the file. */
  public Stream<GemmSpec> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
        Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(this::closeQuietly);
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      CSVRecord r = nextRecord();
      if (r != null) {
        next = parseRow(r);
      }
    }
    return next != null;
  }

  @Override
  public GemmSpec next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    GemmSpec s = next;
    next = null;
    return s;
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CSVRecord nextRecord() {
    try {
      return records.hasNext() ? records.next() : null;
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new InputFormatException(source, parser.getCurrentLineNumber(), null,
          "malformed CSV: " + e.getMessage());
    }
  }

  private void readHeader() {
    CSVRecord header = nextRecord();
    if (header == null) {
      throw new InputFormatException(source, 0, null, "empty trace: expected a header line with"
          + " at least " + String.join(",", TraceColumns.ALL.subList(0, 5)));
    }
    long line = header.getParser().getCurrentLineNumber();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      String col = header.get(i).trim().toLowerCase(Locale.ROOT);
      if (!TraceColumns.ALL.contains(col)) {
        unknown.add(header.get(i));
      } else if (columns.putIfAbsent(col, i) != null) {
        throw new InputFormatException(source, line, col, "column appears twice in the header");
      }
    }
    if (!unknown.isEmpty()) {
      throw new InputFormatException(source, line, unknown.get(0), "unknown column(s) "
          + unknown + "; known: " + String.join(",", TraceColumns.ALL));
    }
    TreeSet<String> missing = new TreeSet<>(TraceColumns.REQUIRED);
    missing.removeAll(columns.keySet());
    if (!missing.isEmpty()) {
      throw new InputFormatException(source, line, missing.first(),
          "required column(s) missing from the header: " + missing);
    }
  }

  private GemmSpec parseRow(CSVRecord r) {
    long line = r.getParser().getCurrentLineNumber();
    Row row = new Row(r, line);
    if (r.size() > columnCount()) {
      throw new InputFormatException(source, line, null, "expected at most " + columnCount()
          + " fields (the header's), found " + r.size());
    }
    GemmSpec.Builder b = GemmSpec.builder(row.required(NAME), row.required(GPU),
        row.longValue(M), row.longValue(N), row.longValue(K));
    row.get(GROUPS).ifPresent(v -> b.groups((int) row.parseLong(GROUPS, v, Integer.MAX_VALUE)));
    FpFormat af = row.get(A_FORMAT).map(v -> row.format(A_FORMAT, v, GemmSpec.INPUT_FORMATS))
        .orElse(FpFormat.E4M3);
    FpFormat bf = row.get(B_FORMAT).map(v -> row.format(B_FORMAT, v, GemmSpec.INPUT_FORMATS))
        .orElse(FpFormat.E4M3);
    b.formats(af, bf);
    Layout al = row.get(A_LAYOUT).map(v -> row.parse(A_LAYOUT, () -> Layout.parse(v)))
        .orElse(Layout.ROW);
    Layout bl = row.get(B_LAYOUT).map(v -> row.parse(B_LAYOUT, () -> Layout.parse(v)))
        .orElse(Layout.COL);
    b.layouts(al, bl);
    row.get(SCALING).ifPresent(v -> b.scaling(row.parse(SCALING, () -> {
      Scaling s = Scaling.parse(v);
      GemmSpec.checkScaling(s);
      return s;
    })));
    row.get(OUT_FORMAT).ifPresent(v -> b.outFormat(row.format(OUT_FORMAT, v,
        GemmSpec.OUTPUT_FORMATS)));
    row.get(FAST_ACCUM).ifPresent(v -> b.fastAccum(row.bool(FAST_ACCUM, v)));
    row.get(LIBRARY).ifPresent(v -> b.library(row.parse(LIBRARY, () -> Library.parse(v))));
    row.get(ALPHA).ifPresent(v -> b.alpha(row.real(ALPHA, v)));
    row.get(BETA).ifPresent(v -> b.beta(row.real(BETA, v)));
    b.data(row.data());
    row.get(SOURCE).ifPresent(b::source);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(source, line, null, e.getMessage());
    }
  }

  private int columnCount() {
    return columns.values().stream().mapToInt(i -> i + 1).max().orElse(0);
  }

  /** One record with its line, and typed access by column name. */
  private final class Row extends CsvRow {
    Row(CSVRecord record, long line) {
      super(record, TraceReader.this.columns, TraceReader.this.source, line);
    }

    String required(String column) {
      return get(column).orElseThrow(() -> error(column, "required, but empty"));
    }

    long longValue(String column) {
      return parseLong(column, required(column), Long.MAX_VALUE);
    }

    long parseLong(String column, String v, long max) {
      long x;
      try {
        x = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw error(column, "not an integer: '" + v + "'");
      }
      if (x < 1 || x > max) {
        throw error(column, "must be 1.." + max + ", got " + x);
      }
      return x;
    }

    double real(String column, String v) {
      double x;
      try {
        x = Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw error(column, "not a number: '" + v + "'");
      }
      if (!Double.isFinite(x)) {
        throw error(column, "must be finite, got '" + v + "'");
      }
      return x;
    }

    boolean bool(String column, String v) {
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes" -> true;
        case "false", "0", "no" -> false;
        default -> throw error(column, "expected true or false, got '" + v + "'");
      };
    }

    FpFormat format(String column, String v, java.util.Set<FpFormat> allowed) {
      FpFormat f = FpFormat.byName(v).orElseThrow(() -> error(column,
          org.tcsim.core.format.FormatNames.whyNot(v)));
      if (!allowed.contains(f)) {
        throw error(column, f.shortName() + " is not allowed here; use one of "
            + allowed.stream().map(FpFormat::shortName).sorted().toList());
      }
      return f;
    }

    <T> T parse(String column, java.util.function.Supplier<T> parser) {
      try {
        return parser.get();
      } catch (IllegalArgumentException e) {
        throw error(column, e.getMessage());
      }
    }

    Path path(String column, String v) {
      try {
        return Path.of(v);
      } catch (InvalidPathException e) {
        throw error(column, "not a valid path: '" + v + "'");
      }
    }

    OperandData data() {
      Optional<String> seed = get(SEED);
      Optional<Path> a = get(A_DATA).map(v -> path(A_DATA, v));
      Optional<Path> b = get(B_DATA).map(v -> path(B_DATA, v));
      Optional<Path> c = get(C_DATA).map(v -> path(C_DATA, v));
      Optional<Path> as = get(A_SCALE_DATA).map(v -> path(A_SCALE_DATA, v));
      Optional<Path> bs = get(B_SCALE_DATA).map(v -> path(B_SCALE_DATA, v));
      boolean anyFile = a.isPresent() || b.isPresent() || c.isPresent() || as.isPresent()
          || bs.isPresent();
      if (!anyFile) {
        long s = 0;
        if (seed.isPresent()) {
          try {
            s = Long.parseLong(seed.get());
          } catch (NumberFormatException e) {
            throw error(SEED, "not a 64-bit integer: '" + seed.get() + "'");
          }
        }
        return new OperandData.Seeded(s);
      }
      if (seed.isPresent()) {
        throw error(SEED, "give either a seed or data files (a_data, b_data), not both");
      }
      if (a.isEmpty() || b.isEmpty()) {
        throw error(a.isEmpty() ? A_DATA : B_DATA,
            "data files need both a_data and b_data (c_data and the scales are optional)");
      }
      return new OperandData.Files(a.get(), b.get(), c, as, bs);
    }
  }
}

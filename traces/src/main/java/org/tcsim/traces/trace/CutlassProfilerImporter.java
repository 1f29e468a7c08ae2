package org.tcsim.traces.trace;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.core.InputFormatException;
import org.tcsim.gpu.Library;

/**
 * Imports the CSV written by {@code cutlass_profiler --output=FILE.csv} (docs/hardware-facts.md,
 * Trace formats). Columns
 * are found by header name (case-insensitive) because they vary between CUTLASS versions and
 * operation kinds; only {@code m, n, k, A, B} are required.
 *
 * <p>Operands are written {@code type:layout}, e.g. {@code fe4m3:row} or {@code bf16:column}: the
 * type names are CUTLASS library's ({@code fe4m3, fe5m2, f16, bf16, f32}; {@code e4m3} and
 * {@code f8e4m3} are accepted too) and the layouts its aliases ({@code row}/{@code t},
 * {@code column}/{@code col}/{@code n}). CUTLASS's A is m x k and B k x n, as in our
 * {@link Layout} model, so layouts carry over unchanged. The out format is D's ({@code C}'s when
 * there is no {@code D} column).
 *
 * <p>Rows whose {@code Status} is not {@code success} and rows with non-FP8 A or B are skipped and
 * counted. The profiler's scale is alpha, so scaling is none unless the operation name says
 * {@code ue8m0} (a block-scaled MXFP8 kernel, VEC32_UE8M0); an operation name containing
 * {@code fastaccum} sets fast accumulation. {@code batch_count} above 1 is the number of groups.
 */
public final class CutlassProfilerImporter {

  private CutlassProfilerImporter() {}

  public static ImportSummary importCsv(Reader reader, String source, String gpu,
      Consumer<GemmSpec> sink) throws IOException {
    ImportSummary summary = new ImportSummary();
    CSVFormat format = CSVFormat.DEFAULT.builder()
        .setIgnoreSurroundingSpaces(true)
        .setIgnoreEmptyLines(true)
        .setCommentMarker('#')
        .get();
    try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
      Map<String, Integer> columns = null;
      for (CSVRecord r : parser) {
        long line = parser.getCurrentLineNumber();
        if (columns == null) {
          columns = header(r, source, line);
          continue;
        }
        Optional<GemmSpec> spec = row(new Row(r, columns, source, line), gpu, summary);
        if (spec.isPresent()) {
          sink.accept(spec.get());
          summary.imported();
        }
      }
      if (columns == null) {
        throw new InputFormatException(source, 0, null, "empty file: no CUTLASS profiler header");
      }
    } catch (UncheckedIOException e) {
      throw new InputFormatException(source, 0, null, "malformed CSV: " + e.getMessage());
    }
    return summary;
  }

  private static Map<String, Integer> header(CSVRecord r, String source, long line) {
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < r.size(); i++) {
      columns.putIfAbsent(r.get(i).trim().toLowerCase(Locale.ROOT), i);
    }
    for (String needed : new String[] {"m", "n", "k", "a", "b"}) {
      if (!columns.containsKey(needed)) {
        String shown = needed.equals("a") || needed.equals("b") ? needed.toUpperCase(Locale.ROOT)
            : needed;
        throw new InputFormatException(source, line, shown,
            "column missing from the CUTLASS profiler header (need m,n,k,A,B)");
      }
    }
    return columns;
  }

  private static Optional<GemmSpec> row(Row r, String gpu, ImportSummary summary) {
    Optional<String> status = r.get("status");
    if (status.isPresent() && !status.get().equalsIgnoreCase("success")) {
      summary.skipped("Status " + status.get());
      return Optional.empty();
    }
    Operand a = r.operand("a");
    Operand b = r.operand("b");
    Optional<Operand> d = r.get("d").isPresent() ? Optional.of(r.operand("d"))
        : r.get("c").isPresent() ? Optional.of(r.operand("c")) : Optional.empty();
    if (a.format().isEmpty() || b.format().isEmpty()
        || !GemmSpec.INPUT_FORMATS.contains(a.format().get())
        || !GemmSpec.INPUT_FORMATS.contains(b.format().get())) {
      summary.skipped("non-FP8 A or B");
      return Optional.empty();
    }
    String outColumn = r.get("d").isPresent() ? "D" : "C";
    FpFormat out = FpFormat.BF16;
    if (d.isPresent()) {
      out = d.get().format().orElseThrow(() -> r.error(outColumn, "unsupported output type"));
    } else {
      summary.assumed("out format bf16 (no C or D column)");
    }
    String operation = r.get("operation").orElse("");
    String op = operation.toLowerCase(Locale.ROOT);
    Scaling scaling = op.contains("ue8m0") ? Scaling.both(ScaleMode.VEC32_UE8M0) : Scaling.NONE;
    long batch = r.get("batch_count").map(v -> r.positive("batch_count", v)).orElse(1L);
    if (batch > Integer.MAX_VALUE) {
      // A cast would wrap (2^32 + 1 becomes 1 group): refuse instead of replaying another GEMM.
      throw r.error("batch_count", "must be at most " + Integer.MAX_VALUE + ", got " + batch);
    }
    int groups = (int) batch;
    try {
      return Optional.of(GemmSpec.builder("cutlass-" + r.line, gpu,
              r.positive("m", r.required("m")), r.positive("n", r.required("n")),
              r.positive("k", r.required("k")))
          .groups(groups)
          .formats(a.format().get(), b.format().get())
          .layouts(a.layout(), b.layout())
          .scaling(scaling)
          .outFormat(out)
          .fastAccum(op.contains("fastaccum"))
          .library(Library.CUTLASS)
          .alpha(r.get("alpha").map(v -> r.real("alpha", v)).orElse(1.0))
          .beta(r.get("beta").map(v -> r.real("beta", v)).orElse(0.0))
          .source("CUTLASS profiler " + r.source + ":" + r.line
              + (operation.isEmpty() ? "" : " " + operation))
          .build());
    } catch (IllegalArgumentException e) {
      throw r.error(null, e.getMessage());
    }
  }

  /** A {@code type:layout} operand; the format is empty for types outside tcsim's formats. */
  private record Operand(Optional<FpFormat> format, Layout layout) {}

  private static final class Row extends CsvRow {
    Row(CSVRecord record, Map<String, Integer> columns, String source, long line) {
      super(record, columns, source, line);
    }

    String required(String column) {
      return get(column).orElseThrow(() -> error(column, "empty"));
    }

    long positive(String column, String v) {
      try {
        long x = Long.parseLong(v);
        if (x >= 1) {
          return x;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw error(column, "expected a positive integer, got '" + v + "'");
    }

    double real(String column, String v) {
      try {
        double x = Double.parseDouble(v);
        if (Double.isFinite(x)) {
          return x;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw error(column, "expected a finite number, got '" + v + "'");
    }

    Operand operand(String column) {
      String v = required(column);
      String shown = column.toUpperCase(Locale.ROOT);
      int colon = v.indexOf(':');
      if (colon < 0) {
        throw error(shown, "expected type:layout (e.g. fe4m3:row), got '" + v + "'");
      }
      String type = v.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String layout = v.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      Layout l = switch (layout) {
        case "row", "t" -> Layout.ROW;
        case "column", "col", "n" -> Layout.COL;
        default -> throw error(shown, "unsupported layout '" + layout + "' in '" + v
            + "' (expected row or column)");
      };
      return new Operand(cutlassType(type), l);
    }
  }

  /** The formats a CUTLASS operand may have here; other types are skipped and counted. */
  private static final java.util.Set<FpFormat> CUTLASS_FORMATS = java.util.EnumSet.of(
      FpFormat.E4M3, FpFormat.E5M2, FpFormat.FP16, FpFormat.BF16, FpFormat.FP32, FpFormat.TF32);

  /**
   * CUTLASS library type names ({@code tools/library} NumericTypeID aliases: fe4m3, f16, ...) to
   * our formats, through the one vocabulary of format names ({@link FpFormat#byName}).
   */
  static Optional<FpFormat> cutlassType(String type) {
    return FpFormat.byName(type).filter(CUTLASS_FORMATS::contains);
  }
}

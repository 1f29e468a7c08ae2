package org.tcsim.traces.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What kind of file holds a list of GEMMs, told from its first lines, so that commands can take
 * what a kernel author has (a cuBLASLt log, a CUTLASS profiler CSV) as well as a native trace.
 */
public enum TraceKind {
  /** tcsim's own trace CSV (header with name, gpu, m, n, k ...). */
  NATIVE,
  /** A cuBLASLt API log ({@code CUBLASLT_LOG_LEVEL=2}). */
  CUBLASLT_LOG,
  /** The CSV written by {@code cutlass_profiler --output=FILE.csv}. */
  CUTLASS_PROFILER;

  /** Lines looked at before deciding; a log whose first cuBLASLt line is later is not one. */
  static final int LINES_LOOKED_AT = 200;

  /**
   * The kind of {@code file}: a cuBLASLt log if one of its first lines is a cuBLASLt log line,
   * a CUTLASS profiler CSV if its first non-comment line is a header with columns {@code A} and
   * {@code B} (a native trace names its operands' columns a_format, a_data ... and no column
   * {@code A}), else a native trace, whose reader then names what is wrong.
   */
  public static TraceKind detect(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return detect(r);
    }
  }

  /** Like {@link #detect(Path)} for text from any reader (reads at most the first lines). */
  public static TraceKind detect(Reader reader) throws IOException {
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    String header = null;
    for (int i = 0; i < LINES_LOOKED_AT; i++) {
      String line = in.readLine();
      if (line == null) {
        break;
      }
      if (CublasLtLogImporter.isLogLine(line)) {
        return CUBLASLT_LOG;
      }
      String text = line.strip();
      if (header == null && !text.isEmpty() && !text.startsWith("#")) {
        header = text.startsWith("\uFEFF") ? text.substring(1) : text;
      }
    }
    if (header != null) {
      List<String> columns = Arrays.stream(header.split(",", -1))
          .map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
      if (columns.contains("a") && columns.contains("b")) {
        return CUTLASS_PROFILER;
      }
    }
    return NATIVE;
  }

  /** How the kind is named in messages and on the command line. */
  public String label() {
    return switch (this) {
      case NATIVE -> "tcsim trace";
      case CUBLASLT_LOG -> "cuBLASLt log";
      case CUTLASS_PROFILER -> "CUTLASS profiler CSV";
    };
  }
}

package org.tcsim.traces.trace;

import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVRecord;
import org.tcsim.core.InputFormatException;

/**
 * One CSV record read by column name (header position), with its file and line for error
 * messages. The readers of traces and CUTLASS profiler files extend it with their typed fields.
 */
class CsvRow {
  final CSVRecord record;
  final Map<String, Integer> columns;
  final String source;
  final long line;

  CsvRow(CSVRecord record, Map<String, Integer> columns, String source, long line) {
    this.record = record;
    this.columns = columns;
    this.source = source;
    this.line = line;
  }

  /** The trimmed value of a column, empty when the column is absent, short or blank. */
  Optional<String> get(String column) {
    Integer i = columns.get(column);
    if (i == null || i >= record.size()) {
      return Optional.empty();
    }
    String v = record.get(i).trim();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  InputFormatException error(String column, String message) {
    return new InputFormatException(source, line, column, message);
  }
}

package org.tcsim.traces.golden;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.InputFormatException;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.isa.InstructionFamily;

/**
 * Reads golden MMA files (docs/hardware-facts.md, Golden data format): comment lines start with
 * '#', then the header
 * {@code gpu,a_format,b_format,c_format,d_format,k,a,b,c,d} with an optional last column
 * {@code instruction} (the MMA family: {@code mma.sync}, the default, {@code wgmma.mma_async} or
 * {@code tcgen05.mma}), then one dot product per row with hex codes. Every problem is reported with
 * file, line and field.
 */
public final class GoldenMmaReader {

  static final String[] HEADER = {"gpu", "a_format", "b_format", "c_format", "d_format", "k", "a",
      "b", "c", "d"};

  /** The optional last column: the instruction family of the row. */
  static final String INSTRUCTION = "instruction";

  /** The largest K accepted: far beyond any single MMA, small enough to refuse garbage. */
  static final int MAX_K = 1 << 16;

  private GoldenMmaReader() {}

  /** Reads a whole (small) file into a list. */
  public static List<GoldenMmaRow> read(Reader reader, String source) throws IOException {
    List<GoldenMmaRow> rows = new ArrayList<>();
    forEach(reader, source, rows::add);
    return rows;
  }

  /**
   * Streams the rows of a file to {@code sink} one at a time, so a file of any length needs memory
   * for one row only. Returns the number of rows; a file without data rows is an error.
   */
  public static long forEach(Reader reader, String source, Consumer<GoldenMmaRow> sink)
      throws IOException {
    CSVFormat format = CSVFormat.DEFAULT.builder()
        .setCommentMarker('#')
        .setIgnoreSurroundingSpaces(true)
        .setIgnoreEmptyLines(true)
        .get();
    long count = 0;
    try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
      boolean headerSeen = false;
      int fields = HEADER.length;
      for (CSVRecord record : parser) {
        long line = record.getParser().getCurrentLineNumber();
        if (!headerSeen) {
          fields = checkHeader(record, source, line);
          headerSeen = true;
          continue;
        }
        sink.accept(parseRow(record, fields, source, line));
        count++;
      }
      if (!headerSeen) {
        throw new InputFormatException(source, 0, null,
            "no header line: expected " + String.join(",", HEADER));
      }
    } catch (java.io.UncheckedIOException e) {
      throw new InputFormatException(source, 0, null, "malformed CSV: " + e.getMessage());
    }
    if (count == 0) {
      throw new InputFormatException(source, 0, null, "no data rows after the header");
    }
    return count;
  }

  /** Checks the header; returns its number of fields (with or without {@code instruction}). */
  private static int checkHeader(CSVRecord record, String source, long line) {
    List<String> got = record.toList();
    List<String> withInstruction = new ArrayList<>(List.of(HEADER));
    withInstruction.add(INSTRUCTION);
    if (!got.equals(List.of(HEADER)) && !got.equals(withInstruction)) {
      throw new InputFormatException(source, line, null,
          "header is '" + String.join(",", got) + "', expected '" + String.join(",", HEADER)
              + "' (optionally followed by '," + INSTRUCTION + "')");
    }
    return got.size();
  }

  private static GoldenMmaRow parseRow(CSVRecord r, int fields, String source, long line) {
    if (r.size() != fields) {
      throw new InputFormatException(source, line, null,
          "expected " + fields + " fields, found " + r.size());
    }
    InstructionFamily instruction = GoldenMmaRow.DEFAULT_INSTRUCTION;
    if (fields > HEADER.length) {
      String name = r.get(HEADER.length);
      instruction = InstructionFamily.byPtxOpcode(name).orElseThrow(() -> new InputFormatException(
          source, line, INSTRUCTION, "unknown instruction family '" + name + "'; known: "
              + Arrays.stream(InstructionFamily.values()).map(InstructionFamily::ptxOpcode)
                  .collect(Collectors.joining(", "))));
    }
    String gpu = r.get(0).toLowerCase(Locale.ROOT);
    if (gpu.isEmpty()) {
      throw new InputFormatException(source, line, "gpu", "empty");
    }
    if (GpuCatalog.find(gpu).isEmpty()) {
      throw new InputFormatException(source, line, "gpu", "unknown GPU '" + r.get(0)
          + "'; known: " + String.join(", ", GpuCatalog.ids()));
    }
    FpFormat af = format(r.get(1), source, line, "a_format");
    FpFormat bf = format(r.get(2), source, line, "b_format");
    FpFormat cf = format(r.get(3), source, line, "c_format");
    FpFormat df = format(r.get(4), source, line, "d_format");
    int k;
    try {
      k = Integer.parseInt(r.get(5));
    } catch (NumberFormatException e) {
      throw new InputFormatException(source, line, "k", "not an integer: '" + r.get(5) + "'");
    }
    if (k < 1 || k > MAX_K) {
      throw new InputFormatException(source, line, "k", "must be 1.." + MAX_K + ", got " + k);
    }
    int[] a = codes(r.get(6), af, k, source, line, "a");
    int[] b = codes(r.get(7), bf, k, source, line, "b");
    int c = code(r.get(8), cf, source, line, "c");
    int d = code(r.get(9), df, source, line, "d");
    return new GoldenMmaRow(gpu, af, bf, cf, df, k, a, b, c, d, source, line, instruction);
  }

  private static FpFormat format(String name, String source, long line, String field) {
    Optional<FpFormat> f = FpFormat.byName(name);
    return f.orElseThrow(() -> new InputFormatException(source, line, field,
        org.tcsim.core.format.FormatNames.whyNot(name)));
  }

  private static int[] codes(String text, FpFormat f, int k, String source, long line,
      String field) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != k) {
      throw new InputFormatException(source, line, field,
          "expected k=" + k + " codes, found " + (text.isBlank() ? 0 : parts.length));
    }
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = code(parts[i], f, source, line, field + "[" + i + "]");
    }
    return out;
  }

  private static int code(String hex, FpFormat f, String source, long line, String field) {
    int digits = f == FpFormat.TF32 ? 8 : (f.width() + 3) / 4;
    if (hex.isEmpty() || hex.length() > digits) {
      throw new InputFormatException(source, line, field, "'" + hex + "' is not a " + f
          + " code (" + digits + " hex digits at most)");
    }
    long value;
    try {
      value = Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new InputFormatException(source, line, field, "'" + hex + "' is not hexadecimal");
    }
    if (value >= (1L << (f.width() + f.containerShift()))) {
      throw new InputFormatException(source, line, field,
          "0x" + hex + " does not fit " + f + " (" + f.width() + " bits)");
    }
    if (f.containerShift() > 0 && (value & ((1L << f.containerShift()) - 1)) != 0) {
      throw new InputFormatException(source, line, field, "0x" + hex + " is not a " + f
          + " value: its low " + f.containerShift() + " bits must be zero");
    }
    return f.fromContainer(value);
  }
}

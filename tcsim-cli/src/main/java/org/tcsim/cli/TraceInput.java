package org.tcsim.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.tcsim.core.InputFormatException;
import org.tcsim.traces.trace.CublasLtLogImporter;
import org.tcsim.traces.trace.CutlassProfilerImporter;
import org.tcsim.traces.trace.ExampleTraces;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.ImportSummary;
import org.tcsim.traces.trace.TraceKind;
import org.tcsim.traces.trace.TraceReader;

/**
 * The GEMMs a TRACE argument names: a bundled example, a native trace (streamed), or a cuBLASLt
 * log or CUTLASS profiler CSV (told apart by {@link TraceKind}, imported as {@code tcsim trace
 * import} would, in memory: one small record per GEMM).
 */
final class TraceInput implements java.io.Closeable {

  /** GPU an imported log's GEMMs are given when none is named (logs do not say). */
  static final String DEFAULT_IMPORT_GPU = "h100";

  private final Iterator<GemmSpec> specs;
  private final Path dir;
  private final Rescan rescan;
  private final String note;
  private final java.io.Closeable closer;

  /** Reads the GEMMs once more from the start (a second pass, for totals before the work). */
  @FunctionalInterface
  private interface Rescan {
    Iterator<GemmSpec> open() throws IOException;
  }

  private TraceInput(Iterator<GemmSpec> specs, Path dir, Rescan rescan, String note,
      java.io.Closeable closer) {
    this.specs = specs;
    this.dir = dir;
    this.rescan = rescan;
    this.note = note;
    this.closer = closer;
  }

  /**
   * Opens {@code trace}; {@code gpu} (may be null) is the GPU an imported log's GEMMs ran on.
   * A missing file, a file that is not UTF-8 and a malformed import are bad input.
   */
  static TraceInput open(String trace, String gpu) throws IOException {
    Path file;
    try {
      file = Path.of(trace);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("TRACE '" + trace + "' is not a valid path: "
          + e.getReason());
    }
    if (!Files.exists(file) && ExampleTraces.NAMES.contains(trace)) {
      TraceReader r = ExampleTraces.open(trace);
      return new TraceInput(r, r.traceDir(), () -> ExampleTraces.open(trace), "", r::close);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no trace file '" + trace + "' (bundled examples: "
          + String.join(", ", ExampleTraces.NAMES) + ")");
    }
    try {
      TraceKind kind = TraceKind.detect(file);
      if (kind == TraceKind.NATIVE) {
        TraceReader r = TraceReader.open(file);
        return new TraceInput(r, r.traceDir(), () -> TraceReader.open(file), "", r::close);
      }
      String g = gpu != null ? gpu : DEFAULT_IMPORT_GPU;
      List<GemmSpec> list = new ArrayList<>();
      ImportSummary summary;
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        summary = switch (kind) {
          case CUBLASLT_LOG -> CublasLtLogImporter.importLog(r, file.toString(), g, list::add);
          case CUTLASS_PROFILER -> CutlassProfilerImporter.importCsv(r, file.toString(), g,
              list::add);
          case NATIVE -> throw new AssertionError("handled above");
        };
      }
      if (list.isEmpty()) {
        throw new InputFormatException(file.toString(), 0, null, "read as a " + kind.label()
            + ": no FP8 GEMM found (" + summary + ")");
      }
      String note = "read " + file + " as a " + kind.label() + ": " + summary + "; gpu " + g
          + (gpu == null ? " (the log does not say; --gpu to choose)" : "");
      Path dir = file.toAbsolutePath().getParent();
      return new TraceInput(list.iterator(), dir, list::iterator, note, () -> { });
    } catch (CharacterCodingException e) {
      throw new InputFormatException(file.toString(), 0, null, "not UTF-8 text");
    }
  }

  /** The GEMMs, in file order. */
  Iterator<GemmSpec> specs() {
    return specs;
  }

  /** The folder relative data paths are resolved against. */
  Path dir() {
    return dir;
  }

  /**
   * The sum of {@code f} over every GEMM (their multiply-adds, for a progress bar), from a pass
   * of its own over the trace before the work: a bad row is found here, before any GEMM runs.
   */
  long sum(java.util.function.ToLongFunction<GemmSpec> f) throws IOException {
    long total = 0;
    Iterator<GemmSpec> pass = rescan.open();
    try {
      while (pass.hasNext()) {
        total += f.applyAsLong(pass.next());
      }
    } finally {
      if (pass instanceof TraceReader r) {
        r.close();
      }
    }
    return total;
  }

  /** What was read, when it was not a native trace (empty otherwise). */
  String note() {
    return note;
  }

  @Override
  public void close() throws IOException {
    closer.close();
  }
}

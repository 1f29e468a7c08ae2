package org.tcsim.traces.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.core.InputFormatException;

/**
 * Imports the cuBLASLt API log ({@code CUBLASLT_LOG_LEVEL=2}; docs/hardware-facts.md, Trace
 * formats): one
 * {@code [time][cublasLt][pid][Trace][function] key=value ...} line per call. Each
 * {@code cublasLtMatmul} line becomes a {@link GemmSpec}; lines of other functions (and lines that
 * are not log lines) are skipped and counted; a {@code cublasLtMatmul} line that cannot be
 * understood is an error naming its line and field.
 *
 * <h2>Shapes: cuBLASLt's column-major convention</h2>
 *
 * cuBLASLt computes {@code D = alpha op(A) op(B) + beta C} with every matrix column-major unless
 * its layout says {@code order=ROW}; {@code op(A)} is m x k, {@code op(B)} is k x n and D is m x n.
 * {@code Adesc rows/cols} describe A <em>as stored</em>, before {@code transa}: with
 * {@code transa=OP_N} A is m x k (rows=m, cols=k); with {@code OP_T} it is k x m. Likewise B is
 * k x n stored, or n x k with {@code transb=OP_T}. The log prints {@code transa}/{@code transb}
 * only when they are not {@code OP_N}.
 *
 * <p>In our layout model (A m x k, B k x n, see {@link Layout}) a column-major stored A read
 * through {@code OP_T} is the m x k matrix row-major: layout = storage order, flipped by the
 * transpose. Frameworks with row-major tensors (PyTorch) call cuBLASLt with the operands swapped
 * (they compute {@code D^T = B^T A^T}), so cuBLASLt's m is the framework's n; the spec keeps
 * cuBLASLt's view, which is what the kernel ran.
 *
 * <h2>Other fields</h2>
 *
 * Types {@code R_8F_E4M3, R_8F_E5M2, R_16BF, R_16F, R_32F} (with or without {@code CUDA_}); the
 * out format is D's (C's if D has no descriptor). {@code aScaleMode}/{@code bScaleMode} give the
 * scaling; without them a call with scale pointers is per-tensor ({@code SCALAR_32F}, cuBLASLt's
 * default mode) and one without is unscaled. Fast accumulation is read from any computeDesc key
 * containing {@code fastAccum} or {@code FAST_ACCUM} (false when absent). {@code batchCount} in
 * Adesc is the number of groups. {@code alpha} is 1 and {@code beta} 0 when not printed; a
 * {@code beta=?} (device-pointer scalars) is taken as 0 and counted in
 * {@link ImportSummary#assumptions()}. Calls whose A or B is not FP8 are skipped and counted.
 */
public final class CublasLtLogImporter {

  /** {@code [timestamp][cublasLt][pid][level][function] rest}. */
  private static final Pattern LINE = Pattern.compile(
      "^\\s*\\[([^\\]]*)\\]\\[cublasLt\\]\\[([^\\]]*)\\]\\[([^\\]]*)\\]\\[([^\\]]*)\\]\\s*(.*)$");

  /** The types a logged operand may have here. */
  private static final java.util.Set<FpFormat> LOG_FORMATS = java.util.EnumSet.of(FpFormat.E4M3,
      FpFormat.E5M2, FpFormat.BF16, FpFormat.FP16, FpFormat.FP32);

  private CublasLtLogImporter() {}

  /** Whether a line is a cuBLASLt API log line ({@code [time][cublasLt][pid][level][function]}). */
  public static boolean isLogLine(String line) {
    return LINE.matcher(line).matches();
  }

  /**
   * Reads the log and hands each GEMM to {@code sink} as it is parsed.
   *
   * @param source the file name, for error messages and provenance
   * @param gpu the GPU the log came from (the log does not say)
   */
  public static ImportSummary importLog(Reader reader, String source, String gpu,
      Consumer<GemmSpec> sink) throws IOException {
    ImportSummary summary = new ImportSummary();
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    long lineNo = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      Matcher mt = LINE.matcher(line);
      if (!mt.matches()) {
        summary.skipped("not a cuBLASLt log line");
        continue;
      }
      String function = mt.group(4).trim();
      if (!function.equals("cublasLtMatmul")) {
        summary.skipped(function);
        continue;
      }
      Optional<GemmSpec> spec = parseMatmul(mt.group(5), source, lineNo, gpu, summary);
      if (spec.isPresent()) {
        sink.accept(spec.get());
        summary.imported();
      }
    }
    return summary;
  }

  private static Optional<GemmSpec> parseMatmul(String body, String source, long line,
      String gpu, ImportSummary summary) {
    Map<String, String> fields = KeyValues.parse(body, source, line);
    Map<String, String> a = desc(fields, "Adesc", source, line, true);
    Map<String, String> b = desc(fields, "Bdesc", source, line, true);
    Map<String, String> c = desc(fields, "Cdesc", source, line, false);
    Map<String, String> d = desc(fields, "Ddesc", source, line, false);
    Map<String, String> compute = desc(fields, "computeDesc", source, line, false);
    Map<String, String> out = d.isEmpty() ? c : d;
    String outName = d.isEmpty() ? "Cdesc" : "Ddesc";
    if (out.isEmpty()) {
      throw new InputFormatException(source, line, "Ddesc", "neither Ddesc nor Cdesc is given");
    }

    Optional<FpFormat> af = type(a, "Adesc", source, line);
    Optional<FpFormat> bf = type(b, "Bdesc", source, line);
    FpFormat of = type(out, outName, source, line).orElseThrow(() -> new InputFormatException(
        source, line, outName + ".type", "unsupported type '" + out.get("type") + "'"));
    if (af.isEmpty() || bf.isEmpty() || !GemmSpec.INPUT_FORMATS.contains(af.get())
        || !GemmSpec.INPUT_FORMATS.contains(bf.get())) {
      summary.skipped("cublasLtMatmul with non-FP8 A or B");
      return Optional.empty();
    }

    boolean transA = trans(compute, "transa", source, line);
    boolean transB = trans(compute, "transb", source, line);
    long aRows = positive(a, "rows", "Adesc", source, line);
    long aCols = positive(a, "cols", "Adesc", source, line);
    long bRows = positive(b, "rows", "Bdesc", source, line);
    long bCols = positive(b, "cols", "Bdesc", source, line);
    long m = transA ? aCols : aRows;
    long kA = transA ? aRows : aCols;
    long kB = transB ? bCols : bRows;
    long n = transB ? bRows : bCols;
    if (kA != kB) {
      throw new InputFormatException(source, line, "Bdesc", "inner dimensions disagree: op(A) is "
          + m + "x" + kA + " but op(B) is " + kB + "x" + n);
    }
    long outRows = positive(out, "rows", outName, source, line);
    long outCols = positive(out, "cols", outName, source, line);
    if (outRows != m || outCols != n) {
      throw new InputFormatException(source, line, outName, "is " + outRows + "x" + outCols
          + " but op(A) op(B) is " + m + "x" + n);
    }
    Layout aLayout = storage(a, "Adesc", source, line);
    Layout bLayout = storage(b, "Bdesc", source, line);
    if (transA) {
      aLayout = aLayout.transposed();
    }
    if (transB) {
      bLayout = bLayout.transposed();
    }
    int groups = 1;
    if (a.containsKey("batchCount")) {
      long batch = positive(a, "batchCount", "Adesc", source, line);
      if (batch > Integer.MAX_VALUE) {
        // Clamping would replay a different GEMM than the one logged: refuse.
        throw new InputFormatException(source, line, "Adesc.batchCount", "must be at most "
            + Integer.MAX_VALUE + ", got " + batch);
      }
      groups = (int) batch;
    }

    Scaling scaling = scaling(compute, source, line);
    boolean fast = fastAccum(compute, source, line);
    double alpha = scalar(fields, "alpha", 1, source, line, summary);
    double beta = scalar(fields, "beta", 0, source, line, summary);

    String name = "cublaslt-" + line;
    try {
      return Optional.of(GemmSpec.builder(name, gpu, m, n, kA).groups(groups)
          .formats(af.get(), bf.get()).layouts(aLayout, bLayout).scaling(scaling)
          .outFormat(of).fastAccum(fast).alpha(alpha).beta(beta)
          .source("cuBLASLt log " + source + ":" + line).build());
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(source, line, null, e.getMessage());
    }
  }

  private static Map<String, String> desc(Map<String, String> fields, String key, String source,
      long line, boolean required) {
    String v = fields.get(key);
    if (v == null) {
      if (required) {
        throw new InputFormatException(source, line, key, "missing");
      }
      return Map.of();
    }
    if (!v.startsWith("[") || !v.endsWith("]")) {
      throw new InputFormatException(source, line, key, "expected [key=value ...], got '" + v
          + "'");
    }
    return KeyValues.parse(v.substring(1, v.length() - 1), source, line);
  }

  /** Empty for a type that is known but not modelled (e.g. R_16BF inputs), error for garbage. */
  private static Optional<FpFormat> type(Map<String, String> desc, String name, String source,
      long line) {
    String t = desc.get("type");
    if (t == null) {
      throw new InputFormatException(source, line, name + ".type", "missing");
    }
    String u = t.toUpperCase(Locale.ROOT);
    if (u.startsWith("CUDA_")) {
      u = u.substring(5);
    }
    // cudaDataType_t names through the one vocabulary of format names; other R_/C_ types
    // (integers, complex, FP4 ...) are known but not modelled here.
    Optional<FpFormat> f = u.startsWith("R_") ? FpFormat.byName(u).filter(LOG_FORMATS::contains)
        : Optional.empty();
    if (f.isPresent() || u.matches("[RC]_\\w+")) {
      return f;
    }
    throw new InputFormatException(source, line, name + ".type", "unknown type '" + t + "'");
  }

  private static boolean trans(Map<String, String> compute, String key, String source,
      long line) {
    String v = compute.get(key);
    if (v == null) {
      return false;
    }
    return switch (v.toUpperCase(Locale.ROOT).replace("CUBLAS_", "")) {
      case "OP_N" -> false;
      case "OP_T" -> true;
      default -> throw new InputFormatException(source, line, "computeDesc." + key,
          "expected OP_N or OP_T, got '" + v + "' (conjugate transposes are not FP8)");
    };
  }

  private static Layout storage(Map<String, String> desc, String name, String source,
      long line) {
    String order = desc.get("order");
    if (order == null) {
      return Layout.COL;
    }
    String u = order.toUpperCase(Locale.ROOT);
    if (u.endsWith("ORDER_COL") || u.equals("COL")) {
      return Layout.COL;
    }
    if (u.endsWith("ORDER_ROW") || u.equals("ROW")) {
      return Layout.ROW;
    }
    throw new InputFormatException(source, line, name + ".order",
        "unsupported order '" + order + "' (expected COL or ROW)");
  }

  private static long positive(Map<String, String> desc, String key, String name, String source,
      long line) {
    String v = desc.get(key);
    if (v == null) {
      throw new InputFormatException(source, line, name + "." + key, "missing");
    }
    try {
      long x = Long.parseLong(v);
      if (x >= 1) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputFormatException(source, line, name + "." + key,
        "expected a positive integer, got '" + v + "'");
  }

  private static Scaling scaling(Map<String, String> compute, String source, long line) {
    ScaleMode a = mode(compute, "aScaleMode", source, line);
    ScaleMode b = mode(compute, "bScaleMode", source, line);
    boolean pointers = compute.containsKey("aScalePointer") || compute.containsKey("bScalePointer");
    if (a == null && b == null) {
      return pointers ? Scaling.both(ScaleMode.SCALAR_32F) : Scaling.NONE;
    }
    // cuBLASLt's default for an operand whose mode is not set is SCALAR_32F.
    return new Scaling(a == null ? ScaleMode.SCALAR_32F : a, b == null ? ScaleMode.SCALAR_32F : b);
  }

  private static ScaleMode mode(Map<String, String> compute, String key, String source,
      long line) {
    String v = compute.get(key);
    if (v == null) {
      return null;
    }
    String name = v.replaceFirst("(?i)^CUBLASLT_MATMUL_MATRIX_SCALE_", "");
    try {
      return ScaleMode.parse(name);
    } catch (IllegalArgumentException e) {
      throw new InputFormatException(source, line, "computeDesc." + key, e.getMessage());
    }
  }

  private static boolean fastAccum(Map<String, String> compute, String source, long line) {
    for (Map.Entry<String, String> e : compute.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT).replace("_", "");
      if (key.contains("fastaccum")) {
        return switch (e.getValue().toLowerCase(Locale.ROOT)) {
          case "1", "true", "on" -> true;
          case "0", "false", "off" -> false;
          default -> throw new InputFormatException(source, line, "computeDesc." + e.getKey(),
              "expected 0 or 1, got '" + e.getValue() + "'");
        };
      }
    }
    return false;
  }

  private static double scalar(Map<String, String> fields, String key, double absent,
      String source, long line, ImportSummary summary) {
    String v = fields.get(key);
    if (v == null) {
      return absent;
    }
    if (v.equals("?")) {
      summary.assumed(key + "=" + (absent == 0 ? "0" : "1") + " where the log printed " + key
          + "=?");
      return absent;
    }
    try {
      double x = Double.parseDouble(v);
      if (Double.isFinite(x)) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputFormatException(source, line, key, "expected a finite number or ?, got '" + v
        + "'");
  }

  /** Splits {@code key=value key=[nested ...]} into a map, keeping bracketed values whole. */
  static final class KeyValues {
    private KeyValues() {}

    static Map<String, String> parse(String text, String source, long line) {
      Map<String, String> out = new HashMap<>();
      int i = 0;
      int len = text.length();
      while (i < len) {
        while (i < len && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        if (i >= len) {
          break;
        }
        int eq = i;
        while (eq < len && text.charAt(eq) != '=' && !Character.isWhitespace(text.charAt(eq))) {
          eq++;
        }
        if (eq >= len || text.charAt(eq) != '=') {
          // a bare word (some versions print flags without values): keep it as a key
          out.putIfAbsent(text.substring(i, eq), "");
          i = eq;
          continue;
        }
        String key = text.substring(i, eq);
        int start = eq + 1;
        int end = start;
        if (end < len && text.charAt(end) == '[') {
          int depth = 0;
          for (; end < len; end++) {
            char ch = text.charAt(end);
            if (ch == '[') {
              depth++;
            } else if (ch == ']' && --depth == 0) {
              end++;
              break;
            }
          }
          if (depth != 0) {
            throw new InputFormatException(source, line, key, "unbalanced '[' in value");
          }
        } else {
          while (end < len && !Character.isWhitespace(text.charAt(end))) {
            end++;
          }
        }
        out.put(key, text.substring(start, end));
        i = end;
      }
      return out;
    }
  }
}

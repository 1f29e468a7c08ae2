package org.tcsim.traces.golden.gemm;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.core.InputFormatException;
import org.tcsim.traces.io.AtomicFiles;

/**
 * The golden GEMM folder: {@value #TABLE} (one row per case, {@link #COLUMNS}), operand files under
 * {@code operands/} and measured results under {@code results/}, each a {@link HexMatrix} file
 * whose SHA-256 is recorded in the case row. Operand files may be shared between cases (the same
 * A with fast accumulation on and off). Lines starting with '#' are comments.
 *
 * <p>Fields never contain commas or quotes, so that the C++ capture program can split rows on
 * commas; "-" stands for "not applicable". Scales, alpha and beta are FP32 bit patterns in hex
 * (exact); a row-wise scale vector is a file of M (or N) lines of one FP32 code.
 */
public final class GoldenGemmFolder {

  public static final String TABLE = "capture.csv";
  public static final String NA = "-";

  public static final List<String> COLUMNS = List.of("id", "purpose", "m", "n", "k", "a_format",
      "b_format", "c_format", "d_format", "transa", "transb", "lda", "ldb", "ldc", "ldd",
      "scale_mode", "scale_a", "scale_b", "scale_d", "alpha", "beta", "bias", "fast_accum",
      "a_gen", "b_gen", "c_gen", "scale_a_gen", "scale_b_gen", "a_file", "a_sha256", "b_file",
      "b_sha256", "c_file", "c_sha256", "scale_a_file", "scale_a_sha256", "scale_b_file",
      "scale_b_sha256", "d_file", "d_sha256", "status", "gpu", "driver", "cuda", "cublas",
      "algo_id", "tile", "stages", "splitk", "reduction_scheme", "swizzle", "custom_option",
      "cluster_shape", "library_call");

  private GoldenGemmFolder() {}

  // ------------------------------------------------------------------ writing

  /**
   * Writes {@code cases} into {@code dir}: every operand file, every result present, then the
   * table (last, so a half-written folder has no table). Returns the table's path.
   */
  public static Path write(Path dir, List<String> comments, List<GoldenGemmCase> cases)
      throws IOException {
    Map<String, String> fileBySha = new HashMap<>();
    List<List<String>> rows = new ArrayList<>();
    for (GoldenGemmCase c : cases) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("id", c.id());
      row.put("purpose", clean(c.purpose()));
      row.put("m", Integer.toString(c.m()));
      row.put("n", Integer.toString(c.n()));
      row.put("k", Integer.toString(c.k()));
      row.put("a_format", c.aFormat().toString());
      row.put("b_format", c.bFormat().toString());
      row.put("c_format", c.cFormat().toString());
      row.put("d_format", c.dFormat().toString());
      row.put("transa", "T");
      row.put("transb", "N");
      row.put("lda", Integer.toString(c.k()));
      row.put("ldb", Integer.toString(c.k()));
      row.put("ldc", Integer.toString(c.m()));
      row.put("ldd", Integer.toString(c.m()));
      row.put("scale_mode", c.scaleMode().cublasName());
      boolean scalar = c.scaleMode() == ScaleMode.SCALAR_32F;
      row.put("scale_a", scalar ? floatHex(c.scaleA()[0]) : NA);
      row.put("scale_b", scalar ? floatHex(c.scaleB()[0]) : NA);
      row.put("scale_d", floatHex(c.scaleD()));
      row.put("alpha", floatHex(c.alpha()));
      row.put("beta", floatHex(c.beta()));
      row.put("bias", "none");
      row.put("fast_accum", c.fastAccum() ? "1" : "0");
      row.put("a_gen", clean(c.generators().a()));
      row.put("b_gen", clean(c.generators().b()));
      row.put("c_gen", clean(c.generators().c()));
      row.put("scale_a_gen", clean(c.generators().scaleA()));
      row.put("scale_b_gen", clean(c.generators().scaleB()));
      put(dir, fileBySha, row, "a", "operands/" + c.id() + ".a.hex",
          HexMatrix.render(widen(c.a()), c.m(), c.k(), c.aFormat()));
      put(dir, fileBySha, row, "b", "operands/" + c.id() + ".b.hex",
          HexMatrix.render(widen(c.b()), c.n(), c.k(), c.bFormat()));
      if (c.c() != null) {
        put(dir, fileBySha, row, "c", "operands/" + c.id() + ".c.hex",
            HexMatrix.render(c.c(), c.m(), c.n(), c.cFormat()));
      } else {
        row.put("c_file", NA);
        row.put("c_sha256", NA);
      }
      if (scalar) {
        row.put("scale_a_file", NA);
        row.put("scale_a_sha256", NA);
        row.put("scale_b_file", NA);
        row.put("scale_b_sha256", NA);
      } else {
        put(dir, fileBySha, row, "scale_a", "operands/" + c.id() + ".scale_a.hex",
            HexMatrix.render(floatCodes(c.scaleA()), c.m(), 1, FpFormat.FP32));
        put(dir, fileBySha, row, "scale_b", "operands/" + c.id() + ".scale_b.hex",
            HexMatrix.render(floatCodes(c.scaleB()), c.n(), 1, FpFormat.FP32));
      }
      String dFile = "results/" + c.id() + ".d.hex";
      row.put("d_file", dFile);
      if (c.expectedD() != null) {
        String text = HexMatrix.render(c.expectedD(), c.m(), c.n(), c.dFormat());
        AtomicFiles.write(dir.resolve(dFile), w -> w.write(text));
        row.put("d_sha256", Sha256.of(text));
      } else {
        row.put("d_sha256", NA);
      }
      row.put("status", clean(c.status()));
      String[] prov = c.provenance().values();
      for (int i = 0; i < prov.length; i++) {
        row.put(COLUMNS.get(COLUMNS.indexOf("gpu") + i), clean(prov[i]));
      }
      rows.add(new ArrayList<>(row.values()));
    }
    Path table = dir.resolve(TABLE);
    AtomicFiles.write(table, w -> {
      for (String comment : comments) {
        w.write("# " + comment.replace('\n', ' ') + "\n");
      }
      w.write(String.join(",", COLUMNS) + "\n");
      for (List<String> row : rows) {
        w.write(String.join(",", row) + "\n");
      }
    });
    return table;
  }

  private static void put(Path dir, Map<String, String> fileBySha, Map<String, String> row,
      String what, String name, String text) throws IOException {
    String sha = Sha256.of(text);
    String existing = fileBySha.get(sha);
    if (existing == null) {
      AtomicFiles.write(dir.resolve(name), w -> w.write(text));
      fileBySha.put(sha, name);
      existing = name;
    }
    row.put(what + "_file", existing);
    row.put(what + "_sha256", sha);
  }

  /** Makes free text safe for the comma-split table: no commas, quotes or line breaks. */
  static String clean(String s) {
    String t = s == null ? NA : s.replaceAll("[,\"\r\n]", " ").trim();
    return t.isEmpty() ? NA : t;
  }

  static String floatHex(float f) {
    return FpFormat.FP32.hex(Float.floatToRawIntBits(f));
  }

  private static int[] widen(byte[] codes) {
    int[] out = new int[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = codes[i] & 0xFF;
    }
    return out;
  }

  private static int[] floatCodes(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }

  // ------------------------------------------------------------------ reading

  /** The cases of a folder, every file checked against its recorded SHA-256. */
  public static List<GoldenGemmCase> read(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InputFormatException(dir.toString(), 0, null, "is a file, not a golden GEMM"
          + " folder (a folder holding " + TABLE + ", operands/ and results/)");
    }
    Path table = dir.resolve(TABLE);
    String source = table.toString();
    String text;
    try {
      text = Files.readString(table, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InputFormatException(source, 0, null, "no such file: " + dir
          + " is not a golden GEMM folder (write one with 'tcsim capture plan')");
    }
    return read(dir, new java.io.StringReader(text), source);
  }

  static List<GoldenGemmCase> read(Path dir, Reader reader, String source) throws IOException {
    CSVFormat format = CSVFormat.DEFAULT.builder().setCommentMarker('#')
        .setIgnoreEmptyLines(true).get();
    List<GoldenGemmCase> cases = new ArrayList<>();
    Map<String, String> checkedSha = new HashMap<>();
    try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
      boolean header = false;
      for (CSVRecord rec : parser) {
        long line = rec.getParser().getCurrentLineNumber();
        if (!header) {
          if (!rec.toList().equals(COLUMNS)) {
            throw new InputFormatException(source, line, null, "header is not the golden GEMM "
                + "header; expected " + String.join(",", COLUMNS));
          }
          header = true;
          continue;
        }
        Row row = new Row(rec, source, line);
        cases.add(parseCase(dir, row, checkedSha));
      }
      if (!header) {
        throw new InputFormatException(source, 0, null, "no header line");
      }
    } catch (UncheckedIOException e) {
      throw new InputFormatException(source, 0, null, "malformed CSV: " + e.getMessage());
    }
    if (cases.isEmpty()) {
      throw new InputFormatException(source, 0, null, "no cases after the header");
    }
    List<String> ids = new ArrayList<>();
    for (GoldenGemmCase c : cases) {
      if (ids.contains(c.id())) {
        throw new InputFormatException(source, 0, "id", "case id '" + c.id() + "' appears twice");
      }
      ids.add(c.id());
    }
    return cases;
  }

  /** One table row with field access that names the line and column on error. */
  private record Row(CSVRecord rec, String source, long line) {
    Row {
      if (rec.size() != COLUMNS.size()) {
        throw new InputFormatException(source, line, null, "expected " + COLUMNS.size()
            + " fields, found " + rec.size());
      }
    }

    String get(String column) {
      return rec.get(COLUMNS.indexOf(column)).trim();
    }

    InputFormatException error(String column, String message) {
      return new InputFormatException(source, line, column, message);
    }

    int positive(String column) {
      try {
        int v = Integer.parseInt(get(column));
        if (v < 1 || v > (1 << 20)) {
          throw error(column, "must be 1.." + (1 << 20) + ", got " + v);
        }
        return v;
      } catch (NumberFormatException e) {
        throw error(column, "not an integer: '" + get(column) + "'");
      }
    }

    FpFormat format(String column) {
      Optional<FpFormat> f = FpFormat.byName(get(column));
      return f.orElseThrow(() -> error(column,
          org.tcsim.core.format.FormatNames.whyNot(get(column))));
    }

    float floatBits(String column) {
      String v = get(column);
      if (!v.matches("[0-9a-f]{8}")) {
        throw error(column, "'" + v + "' is not an FP32 bit pattern (8 lower-case hex digits)");
      }
      return Float.intBitsToFloat(Integer.parseUnsignedInt(v, 16));
    }

    void expect(String column, String value) {
      if (!get(column).equals(value)) {
        throw error(column, "is '" + get(column) + "', expected '" + value + "'");
      }
    }
  }

  private static GoldenGemmCase parseCase(Path dir, Row row, Map<String, String> checkedSha)
      throws IOException {
    String id = row.get("id");
    if (!id.matches("[a-z0-9_]{1,64}")) {
      throw row.error("id", "'" + id + "' must be 1-64 of [a-z0-9_]");
    }
    int m = row.positive("m");
    int n = row.positive("n");
    int k = row.positive("k");
    FpFormat af = row.format("a_format");
    FpFormat bf = row.format("b_format");
    FpFormat cf = row.format("c_format");
    FpFormat df = row.format("d_format");
    // Only the layout cuBLASLt accepts for FP8 on Hopper is captured (see GoldenGemmCase).
    row.expect("transa", "T");
    row.expect("transb", "N");
    row.expect("lda", Integer.toString(k));
    row.expect("ldb", Integer.toString(k));
    row.expect("ldc", Integer.toString(m));
    row.expect("ldd", Integer.toString(m));
    row.expect("bias", "none");
    ScaleMode mode;
    try {
      mode = ScaleMode.parse(row.get("scale_mode"));
    } catch (IllegalArgumentException e) {
      throw row.error("scale_mode", e.getMessage());
    }
    float[] sa;
    float[] sb;
    if (mode == ScaleMode.SCALAR_32F) {
      sa = new float[] {row.floatBits("scale_a")};
      sb = new float[] {row.floatBits("scale_b")};
    } else if (mode == ScaleMode.OUTER_VEC_32F) {
      sa = HexMatrix.toFloats(load(dir, row, "scale_a", m, 1, FpFormat.FP32, checkedSha));
      sb = HexMatrix.toFloats(load(dir, row, "scale_b", n, 1, FpFormat.FP32, checkedSha));
    } else {
      throw row.error("scale_mode", mode + " is not captured (SCALAR_32F and OUTER_VEC_32F only)");
    }
    float scaleD = row.floatBits("scale_d");
    float alpha = row.floatBits("alpha");
    float beta = row.floatBits("beta");
    String fast = row.get("fast_accum");
    if (!fast.equals("0") && !fast.equals("1")) {
      throw row.error("fast_accum", "must be 0 or 1, got '" + fast + "'");
    }
    byte[] a = HexMatrix.toBytes(load(dir, row, "a", m, k, af, checkedSha));
    byte[] b = HexMatrix.toBytes(load(dir, row, "b", n, k, bf, checkedSha));
    int[] c = row.get("c_file").equals(NA) ? null
        : load(dir, row, "c", m, n, cf, checkedSha);
    String status = row.get("status");
    int[] d = null;
    if (!row.get("d_sha256").equals(NA)) {
      d = load(dir, row, "d", m, n, df, checkedSha);
    } else if (status.equals("ok")) {
      throw row.error("d_sha256", "status is ok but no result digest is recorded");
    }
    GemmProvenance prov = new GemmProvenance(row.get("gpu"), row.get("driver"), row.get("cuda"),
        row.get("cublas"), row.get("algo_id"), row.get("tile"), row.get("stages"),
        row.get("splitk"), row.get("reduction_scheme"), row.get("swizzle"),
        row.get("custom_option"), row.get("cluster_shape"), row.get("library_call"));
    GoldenGemmCase.Generators gens = new GoldenGemmCase.Generators(row.get("a_gen"),
        row.get("b_gen"), row.get("c_gen"), row.get("scale_a_gen"), row.get("scale_b_gen"));
    try {
      return new GoldenGemmCase(id, row.get("purpose"), m, n, k, af, bf, cf, df, mode, sa, sb,
          scaleD, alpha, beta, fast.equals("1"), a, b, c, d, status, gens, prov);
    } catch (IllegalArgumentException e) {
      throw row.error(null, e.getMessage());
    }
  }

  private static int[] load(Path dir, Row row, String what, int rows, int cols, FpFormat f,
      Map<String, String> checkedSha) throws IOException {
    String name = row.get(what + "_file");
    String sha = row.get(what + "_sha256");
    if (name.equals(NA)) {
      throw row.error(what + "_file", "missing");
    }
    if (name.startsWith("/") || name.contains("..") || name.contains("\\")) {
      throw row.error(what + "_file", "'" + name + "' must be a relative path inside the folder");
    }
    if (!Sha256.isDigest(sha)) {
      throw row.error(what + "_sha256", "'" + sha + "' is not a SHA-256 (64 lower-case hex digits)");
    }
    Path file;
    try {
      file = dir.resolve(name);
    } catch (java.nio.file.InvalidPathException e) {
      throw row.error(what + "_file", "'" + name + "' is not a valid path: " + e.getReason());
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InputFormatException(file.toString(), 0, null, "no such file (named by "
          + row.source() + ":" + row.line() + " [" + what + "_file])");
    } catch (IOException e) {
      // A folder, an unreadable file: the row names something that is not a readable file.
      throw new InputFormatException(file.toString(), 0, null, "cannot be read ("
          + e.getMessage() + "; named by " + row.source() + ":" + row.line() + " [" + what
          + "_file])");
    }
    String actual = checkedSha.computeIfAbsent(name, x -> Sha256.of(bytes));
    if (!actual.equals(sha)) {
      throw new InputFormatException(file.toString(), 0, null, "corrupted: its SHA-256 is "
          + actual + " but " + row.source() + ":" + row.line() + " [" + what + "_sha256] records "
          + sha);
    }
    return HexMatrix.parse(new String(bytes, StandardCharsets.UTF_8), rows, cols, f,
        file.toString());
  }


}

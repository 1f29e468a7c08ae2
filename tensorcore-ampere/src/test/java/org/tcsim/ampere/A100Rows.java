package org.tcsim.ampere;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;

/**
 * The A100 golden rows (Khattak &amp; Mikaitis, ACM TACO, doi 10.1145/3830409; BSD-2-Clause), read
 * from the files that traces ships, copied onto this module's test class path by its pom. Each
 * file's SHA-256 is checked against the shipped manifest first, so a test here never runs on
 * other bytes than {@code tcsim verify} does.
 */
record A100Rows(String file, List<Row> rows) {

  /** One measured dot product: D = sum a[i]*b[i] + C, codes of the row's formats. */
  record Row(int line, FpFormat in, FpFormat out, int k, int[] a, int[] b, int c, int d) {}

  private static final String DIR = "/golden/";

  /** The rows of one file whose output is {@code out}. */
  static A100Rows load(String file, FpFormat out) {
    byte[] data = bytes(file);
    checkDigest(file, data);
    List<Row> rows = new ArrayList<>();
    String[] lines = new String(data, StandardCharsets.US_ASCII).split("\n");
    boolean header = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      if (!header) {
        if (!line.equals("gpu,a_format,b_format,c_format,d_format,k,a,b,c,d")) {
          throw new IllegalStateException(file + ":" + (i + 1) + ": unexpected header " + line);
        }
        header = true;
        continue;
      }
      Row row = parse(file, i + 1, line);
      if (row.out() == out) {
        rows.add(row);
      }
    }
    return new A100Rows(file, rows);
  }

  /** How many rows {@code params} reproduces bit for bit. */
  long matched(BlockFmaParams params) {
    return rows.stream().filter(r -> new BlockFmaDatapath(r.in(), r.in(), params)
        .dot(r.a(), r.b(), r.k(), r.c()) == r.d()).count();
  }

  private static Row parse(String file, int line, String text) {
    String[] f = text.split(",");
    if (f.length != 10 || !f[0].equals("a100") || !f[3].equals(f[4])) {
      throw new IllegalStateException(file + ":" + line + ": not an A100 row with C and D alike");
    }
    FpFormat in = FpFormat.parse(f[1]);
    FpFormat out = FpFormat.parse(f[4]);
    int k = Integer.parseInt(f[5]);
    int[] a = codes(f[6], in);
    int[] b = codes(f[7], in);
    if (!f[1].equals(f[2]) || a.length != k || b.length != k) {
      throw new IllegalStateException(file + ":" + line + ": expected k=" + k + " codes of one format");
    }
    return new Row(line, in, out, k, a, b, code(f[8], out), code(f[9], out));
  }

  private static int[] codes(String text, FpFormat f) {
    return Arrays.stream(text.trim().split(" ")).mapToInt(x -> code(x, f)).toArray();
  }

  private static int code(String hex, FpFormat f) {
    return f.fromContainer(Long.parseLong(hex, 16));
  }

  private static void checkDigest(String file, byte[] data) {
    String manifest = new String(bytes("SHA256SUMS"), StandardCharsets.US_ASCII);
    String actual;
    try {
      actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (!manifest.contains(actual + "  " + file + "\n")) {
      throw new IllegalStateException(file + " does not match the shipped SHA256SUMS");
    }
  }

  private static byte[] bytes(String name) {
    try (InputStream in = A100Rows.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + DIR + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

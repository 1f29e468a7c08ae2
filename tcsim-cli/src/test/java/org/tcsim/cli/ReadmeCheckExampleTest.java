package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.traces.io.Npy;
import org.tcsim.traces.io.NpyDtype;

/**
 * The worked example on the README's first screen is real: this test writes the three files of
 * its Python snippet, runs the {@code tcsim check} command line the README shows, and requires
 * the README's output block to be exactly what the command prints.
 *
 * <p>The files are those of the snippet byte for byte: their SHA-256 digests below are those of
 * the files the snippet itself wrote (NumPy 2.4.6, ml_dtypes 0.5.4), so a change to either the
 * snippet or this generator shows here.
 */
class ReadmeCheckExampleTest {

  private static final int M = 4;
  private static final int N = 8;
  private static final int K = 64;

  private static final String A_SHA256 =
      "e47752d6e13edd99ed2b6f4e5640e186f4c9b335d9f54e44cae922f64c0ef7d3";
  private static final String B_SHA256 =
      "73a3081b50fe4652141573419a4229e4322fcc03fcc8f2dadbd738246495c5a0";
  private static final String D_SHA256 =
      "8b10484e308fbe58a1d08e89dfde5cb6201d5ad889c7f453f87c57886dcb1e1e";

  @TempDir Path dir;

  /** {@code (np.arange(rows*cols).reshape(rows, cols) * mul % 1000 - 500) / div}, then float32. */
  private static float[] data(int rows, int cols, long mul, double div) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((i * mul % 1000 - 500) / div);
    }
    return v;
  }

  /** {@code .astype(ml_dtypes.float8_e4m3fn)}: round to nearest even (no value near overflow). */
  private static int[] e4m3(float[] v) {
    int[] c = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      c[i] = FpFormat.E4M3.encode(v[i], Rounding.RNE, Overflow.IEEE);
    }
    return c;
  }

  /** Writes a.npy, b.npy and d.npy as the README's snippet does. */
  private void writeExample() throws IOException {
    int[] a = e4m3(data(M, K, 7919, 137.0));
    int[] b = e4m3(data(K, N, 6007, 211.0));
    Npy.write(dir.resolve("a.npy"), NpyDtype.V1, false, new long[] {M, K}, a);
    Npy.write(dir.resolve("b.npy"), NpyDtype.V1, false, new long[] {K, N}, b);
    // (a.astype(np.float64) @ b.astype(np.float64)).astype(np.float32): products of E4M3 values
    // and their sum over K = 64 are exact in a double (they span fewer than 53 bits), so the
    // order numpy sums in does not matter and the float cast rounds once.
    float[] d = new float[M * N];
    for (int i = 0; i < M; i++) {
      for (int j = 0; j < N; j++) {
        double s = 0;
        for (int k = 0; k < K; k++) {
          s += FpFormat.E4M3.decode(a[i * K + k]) * FpFormat.E4M3.decode(b[k * N + j]);
        }
        d[i * N + j] = (float) s;
      }
    }
    Npy.writeFloats(dir.resolve("d.npy"), false, new long[] {M, N}, d);
  }

  private static String sha256(Path p) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(p)));
  }

  /** The README, found from the module folder up. */
  private static List<String> readme() throws IOException {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.isRegularFile(p.resolve("README.md"))
        && Files.isDirectory(p.resolve("tcsim-cli")))) {
      p = p.getParent();
    }
    assertTrue(p != null, "README.md of the project not found above " + Path.of("")
        .toAbsolutePath());
    return Files.readAllLines(p.resolve("README.md"));
  }

  @Test
  void theReadmeExampleOutputIsWhatTheCommandPrints() throws Exception {
    writeExample();
    assertEquals(A_SHA256, sha256(dir.resolve("a.npy")), "a.npy differs from the snippet's");
    assertEquals(B_SHA256, sha256(dir.resolve("b.npy")), "b.npy differs from the snippet's");
    assertEquals(D_SHA256, sha256(dir.resolve("d.npy")), "d.npy differs from the snippet's");

    List<String> lines = readme();
    assertTrue(lines.contains("x = (np.arange(M * K).reshape(M, K) * 7919 % 1000 - 500) / 137.0"
        + "      # any FP32 data"), "the README's snippet is the one this test mirrors");
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("$ ./tcsim check ")) {
        at = i;
        break;
      }
    }
    assertTrue(at >= 0, "no '$ ./tcsim check' example in the README");
    List<String> args = new ArrayList<>(Arrays.asList(lines.get(at).substring(
        "$ ./tcsim ".length()).split(" ")));
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).endsWith(".npy")) {
        args.set(i, dir.resolve(args.get(i)).toString());
      }
    }
    List<String> shown = new ArrayList<>();
    for (int i = at + 1; !lines.get(i).startsWith("```"); i++) {
      shown.add(lines.get(i));
    }
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(1, run.exit(), run.err());
    assertEquals(String.join("\n", shown), String.join("\n", run.out().lines().toList()));
  }
}

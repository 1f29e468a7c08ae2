package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.traces.io.Npy;
import org.tcsim.traces.io.NpyDtype;

/**
 * {@code tcsim check} refuses bad input with exit status 2 and a message naming the file and what
 * is wrong, before anything is computed: shapes, dtypes, formats, codes, scale files, a GPU or
 * library that cannot run the recipe.
 */
class CheckInputsTest {

  @TempDir Path dir;

  /** A 2 x 32 A, 32 x 3 B (E4M3 1.0) and a 2 x 3 FP32 D of 32s, plus extra files. */
  private void files() throws IOException {
    int[] ones = new int[2 * 32];
    Arrays.fill(ones, 0x38);
    Npy.write(dir.resolve("a.npy"), NpyDtype.U1, false, new long[] {2, 32}, ones);
    int[] b = new int[32 * 3];
    Arrays.fill(b, 0x38);
    Npy.write(dir.resolve("b.npy"), NpyDtype.U1, false, new long[] {32, 3}, b);
    float[] d = new float[6];
    Arrays.fill(d, 32f);
    Npy.writeFloats(dir.resolve("d.npy"), false, new long[] {2, 3}, d);
    Npy.writeFloats(dir.resolve("d_bad_shape.npy"), false, new long[] {3, 2}, d);
    Npy.write(dir.resolve("d_u2.npy"), NpyDtype.U2, false, new long[] {2, 3}, new int[6]);
    Npy.write(dir.resolve("a_v1.npy"), NpyDtype.V1, false, new long[] {2, 32}, ones);
    Npy.writeFloats(dir.resolve("a_f4.npy"), false, new long[] {2, 32}, new float[64]);
    int[] fp4 = new int[64];
    fp4[33] = 0x22; // two E2M1 codes packed in one byte: not read as one code
    Npy.write(dir.resolve("a_packed.npy"), NpyDtype.U1, false, new long[] {2, 32}, fp4);
    Npy.writeFloats(dir.resolve("s1.npy"), false, new long[] {1}, new float[] {1f});
    Npy.writeFloats(dir.resolve("s_m1.npy"), false, new long[] {2, 1}, new float[] {1f, 1f});
    Npy.writeFloats(dir.resolve("s_1m.npy"), false, new long[] {1, 2}, new float[] {1f, 1f});
    Npy.write(dir.resolve("s_u1.npy"), NpyDtype.U1, false, new long[] {2, 1}, new int[] {127,
        127});
    Npy.write(dir.resolve("ue_neg.npy"), NpyDtype.U1, false, new long[] {2, 2}, new int[] {0x38,
        0xB8, 0x38, 0x38});
    Npy.write(dir.resolve("a_fp4.npy"), NpyDtype.U1, false, new long[] {2, 32}, new int[64]);
    Npy.write(dir.resolve("b_fp4.npy"), NpyDtype.U1, false, new long[] {32, 3}, new int[96]);
    Files.createDirectories(dir.resolve("folder"));
  }

  private CliRun check(String... extra) {
    List<String> args = new ArrayList<>(List.of("check"));
    List<String> given = List.of(extra);
    for (String[] def : new String[][] {{"--gpu", "h100"}, {"--a", "a.npy"}, {"--b", "b.npy"},
        {"--out-dtype", "fp32"}, {"--expect", "d.npy"}}) {
      if (!given.contains(def[0])) {
        args.addAll(List.of(def[0], def[1]));
      }
    }
    args.addAll(given);
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).endsWith(".npy") || args.get(i).endsWith(".json")
          || args.get(i).equals("folder")) {
        args.set(i, dir.resolve(args.get(i)).toString());
      }
    }
    return CliRun.of(args.toArray(String[]::new));
  }

  private void refused(String expected, String... args) {
    CliRun r = check(args);
    assertEquals(2, r.exit(), String.join(" ", args) + "\n" + r.out() + r.err());
    assertTrue(r.err().startsWith("tcsim check: "), r.err());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    assertTrue(r.out().isEmpty(), "nothing computed or printed: " + r.out());
  }

  @Test
  void theFilesMatchAsWritten() throws IOException {
    files();
    CliRun r = check();
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("d.npy: 6/6 bit-exact"), r.out());
  }

  @Test
  void shapesDtypesAndFormatsAreCheckedBeforeComputing() throws IOException {
    files();
    refused("missing.npy: no such file", "--a", "missing.npy");
    refused("K differs; --b-layout nk?", "--b", "a.npy");
    refused("d_bad_shape.npy [shape]: D must be 2 x 3 (M x N) but the file holds (3, 2)",
        "--expect", "d_bad_shape.npy");
    refused("d_u2.npy [descr]: D is fp32, read from float32 (<f4), but the file holds <u2",
        "--expect", "d_u2.npy");
    refused("a_v1.npy [descr]: A holds raw bytes (<V1", "--a", "a_v1.npy");
    refused("a_f4.npy [descr]: A must hold one byte per element", "--a", "a_f4.npy");
    refused("unknown format 'e9m9'; known: e4m3 (float8_e4m3fn)", "--a-format", "e9m9");
    refused("A format bf16 is not an FP8, FP6 or FP4 element format", "--a-format", "bf16");
    refused("tf32 is not a GEMM output format", "--out-dtype", "tf32");
    refused("--b-layout must be kn", "--b-layout", "xy");
    refused("unknown recipe 'blocky'", "--scaling", "blocky");
    refused("unknown library 'cudnn'", "--library", "cudnn");
    refused("--alpha must be finite", "--alpha", "NaN");
    refused("--json " + dir.resolve("folder") + " is a folder", "--json", "folder");
    refused("a_packed.npy [[1, 1]]: byte 0x22 is not a e2m1 code", "--a", "a_packed.npy",
        "--b", "b_fp4.npy", "--gpu", "b200", "--scaling", "nvfp4", "--scale-a", "ue_neg.npy",
        "--scale-b", "ue_neg.npy");
  }

  @Test
  void scaleFilesAreCheckedAgainstTheRecipesShapes() throws IOException {
    files();
    refused("--scaling rowwise needs --scale-a and --scale-b", "--scaling", "rowwise");
    refused("s_1m.npy [shape]: A scales for OUTER_VEC_32F must be 2 x 1 (M x 1)", "--scaling",
        "rowwise", "--scale-a", "s_1m.npy", "--scale-b", "s1.npy");
    refused("s_m1.npy [shape]: B scales for OUTER_VEC_32F must be 1 x 3 (1 x N)", "--scaling",
        "rowwise", "--scale-a", "s_m1.npy", "--scale-b", "s_m1.npy");
    refused("s_m1.npy [shape]: B scales for BLK128x128_32F must be 1 x 1 (ceil(K/128) x "
        + "ceil(N/128)) but the file holds shape (2, 1)", "--scaling", "block", "--scale-a",
        "s_m1.npy", "--scale-b", "s_m1.npy");
    refused("s_u1.npy [descr]: A scales for VEC128_32F must be float32 (<f4)", "--scaling",
        "block", "--scale-a", "s_u1.npy", "--scale-b", "s1.npy");
    refused("s1.npy [descr]: A scales for VEC32_UE8M0 must be e8m0 codes", "--gpu", "b200",
        "--scaling", "mxfp8", "--scale-a", "s1.npy", "--scale-b", "s1.npy");
    refused("ue_neg.npy [[1]]: byte 0xb8 is negative as E4M3", "--gpu", "b200", "--scaling",
        "nvfp4", "--a", "a_fp4.npy", "--b", "b_fp4.npy", "--scale-a", "ue_neg.npy",
        "--scale-b", "ue_neg.npy");
  }

  @Test
  void aGpuThatCannotRunTheRecipeIsBadInput() throws IOException {
    files();
    // cuBLASLt (the default library) lists MX block scaling for compute capability 10.0 only.
    refused("16/32-element block scaling needs compute capability 10.0 or later", "--scaling",
        "mxfp8", "--scale-a", "s_u1.npy", "--scale-b", "s_u1.npy");
    refused("unknown GPU", "--gpu", "h900");
  }

  @Test
  void badInputIsAlsoReportedInTheJsonFile() throws IOException {
    files();
    Path json = dir.resolve("r.json");
    CliRun r = check("--b", "a.npy", "--json", "r.json");
    assertEquals(2, r.exit());
    JsonObject doc = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals("tcsim check", doc.get("tool").getAsString());
    assertEquals(2, doc.get("exit_code").getAsInt());
    assertEquals(false, doc.get("passed").getAsBoolean());
    assertTrue(doc.get("error").getAsString().contains("K differs"), doc.toString());
  }
}

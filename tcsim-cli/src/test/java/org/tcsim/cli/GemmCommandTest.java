package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GemmCommandTest {

  @Test
  void smallGemmPrintsAccuracyAndWritesCsv(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("g.csv");
    CliRun r = CliRun.of("gemm", "--m", "8", "--n", "16", "--k", "256", "--scaling", "block",
        "--out-dtype", "bf16", "--dist", "outliers", "--threads", "2", "--write", csv.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("accuracy vs exact (all 128 of 128 elements)"), r.out());
    assertTrue(r.out().contains("kernel fp8-row-batch"), r.out());
    // the timing model's prediction for the same GEMM stands beside its accuracy
    assertTrue(r.out().contains("predicted on h100-sxm: "), r.out());
    // header + comment + 8*256 A + 8*2 A scales + 16*256 B + 2 B scales + 128 D
    assertEquals(2 + 2048 + 16 + 4096 + 2 + 128, Files.readAllLines(csv).size());
  }

  /**
   * The time beside the bits is the timing model's for the same GEMM: tcsim time with the same
   * GPU, shape, recipe and output width predicts the same microseconds, bound and tile.
   */
  @Test
  void thePredictedTimeIsTcsimTimesForTheSameGemm() {
    CliRun gemm = CliRun.of("gemm", "--gpu", "h800", "--m", "256", "--n", "512", "--k", "1024",
        "--scaling", "block", "--out-dtype", "bf16", "--quiet");
    assertEquals(0, gemm.exit(), gemm.err());
    CliRun time = CliRun.of("time", "--gpu", "h800", "--m", "256", "--n", "512", "--k", "1024",
        "--recipe", "block", "--out-bytes", "2");
    assertEquals(0, time.exit(), time.err());
    String us = time.out().lines().filter(l -> l.startsWith("time ")).findFirst().orElseThrow()
        .split(" +")[1];
    String bound = time.out().lines().filter(l -> l.startsWith("bound ")).findFirst().orElseThrow();
    String tile = time.out().lines().filter(l -> l.startsWith("kernel tile ")).findFirst().orElseThrow()
        .split(" +")[2].replace(",", "");
    String waves = time.out().lines().filter(l -> l.startsWith("waves ")).findFirst().orElseThrow()
        .split(" +")[1];
    String expected = "predicted on h800: " + us + " us, ";
    String line = gemm.out().lines().filter(l -> l.startsWith("predicted on ")).findFirst().orElseThrow();
    assertTrue(line.startsWith(expected), line + " against " + expected);
    assertTrue(line.contains(", " + bound + " (tile " + tile + ", " + waves + " wave"
        + ("1".equals(waves) ? ")" : "s)")), line + " against " + bound + ", " + tile + ", " + waves);
  }

  /** Oversized problems are refused before anything is allocated: bad input, exit 2. */
  @Test
  void refusesWhatDoesNotFitAndBadShapes() {
    CliRun big = CliRun.of("gemm", "--m", "100000", "--n", "100000", "--k", "100000");
    assertEquals(2, big.exit(), "too large for the heap is bad input");
    assertTrue(big.err().contains("GiB") && big.err().contains("raise -Xmx"), big.err());
    assertTrue(big.out().isEmpty(), "refused before the GEMM starts: " + big.out());
    // cuBLASLt's 1x128 groups take L = ceil(K/128) blocks: K = 200 runs.
    CliRun block = CliRun.of("gemm", "--m", "8", "--n", "8", "--k", "200", "--scaling", "block");
    assertEquals(0, block.exit(), block.err());
    CliRun mx = CliRun.of("gemm", "--gpu", "b200", "--m", "8", "--n", "8", "--k", "48",
        "--scaling", "mxfp8");
    assertEquals(2, mx.exit());
    assertTrue(mx.err().contains("K=48 is not a multiple of 32"), mx.err());
    assertTrue(mx.err().startsWith("tcsim gemm: "), mx.err());
  }

  /** Promotion and fast accumulation per library and GPU, as the config line states them. */
  @Test
  void libraryDecidesPromotionFastAccumulationAndEpilogue() {
    String[] shape = {"--m", "64", "--n", "64", "--k", "256", "--threads", "1", "--sample", "16"};
    CliRun h100 = CliRun.of(cat(shape, "gemm", "--gpu", "h100"));
    assertTrue(h100.out().contains("promotion every 4 MMAs (128 K)"), h100.out());
    CliRun fast = CliRun.of(cat(shape, "gemm", "--gpu", "h100", "--fast-accum"));
    assertTrue(fast.out().contains("fast accumulation (no promotion)"), fast.out());
    CliRun b200 = CliRun.of(cat(shape, "gemm", "--gpu", "b200"));
    assertTrue(b200.out().contains("library cublaslt on b200: mma k32, no promotion, fast accum: "
        + "ignored"), b200.out());
    assertTrue(b200.out().contains("fast accumulation (no promotion)"), b200.out());
    CliRun deep = CliRun.of(cat(shape, "gemm", "--gpu", "h800", "--library", "deepgemm",
        "--fast-accum", "--scaling", "block", "--out-dtype", "bf16"));
    assertEquals(2, deep.exit());
    assertTrue(deep.err().contains("deepgemm has no fast-accumulation mode"), deep.err());
    // On sm_90 PyTorch's row-wise _scaled_mm is a cuBLASLt call with the operands swapped (as
    // measured on an H200): B's scale first, FP32 output allowed; on sm_100 its own kernel,
    // bf16/fp16 output only.
    CliRun torch = CliRun.of(cat(shape, "gemm", "--library", "torch", "--scaling", "rowwise"));
    assertEquals(0, torch.exit(), torch.err());
    assertTrue(torch.out().contains("epilogue fma(alpha*sA, sB*acc, beta*C)"), torch.out());
    CliRun torchB200 = CliRun.of(cat(shape, "gemm", "--gpu", "b200", "--library", "torch",
        "--scaling", "rowwise"));
    assertEquals(2, torchB200.exit());
    assertTrue(torchB200.err().contains("only bf16 and fp16 outputs")
        && torchB200.err().contains("Blas.cpp"), torchB200.err());
    CliRun b200Rowwise = CliRun.of(cat(shape, "gemm", "--gpu", "b200", "--scaling", "rowwise",
        "--out-dtype", "bf16"));
    assertEquals(2, b200Rowwise.exit());
    assertTrue(b200Rowwise.err().contains("compute capability 9.0 only"), b200Rowwise.err());
  }

  /**
   * An NVFP4 GEMM into E2M1: D is block-scaled with computed UE4M3 scales, and --write writes
   * every scale: A's and B's block scales, their FP32 tensor scales, D's scales and scale_D^in.
   */
  @Test
  void blockScaledOutputWritesEveryScale(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("nv.csv");
    CliRun r = CliRun.of("gemm", "--gpu", "b200", "--m", "40", "--n", "32", "--k", "128",
        "--scaling", "nvfp4", "--out-dtype", "e2m1", "--scale-d", "2", "--threads", "2", "--write",
        csv.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("out e2m1 with VEC16_UE4M3 block scales (scale_D^in 2.0)"),
        r.out());
    assertTrue(r.out().contains("D: e2m1 with 3 x 32 VEC16_UE4M3 block scales"), r.out());
    List<String> lines = Files.readAllLines(csv);
    // comment + header; A 40x128 and its 40x8 scales and tensor scale; B 32x128, 32x8, 1;
    // D 40x32; D's ceil(40/16) x 32 scales; scale_D^in
    assertEquals(2 + 5120 + 320 + 1 + 4096 + 256 + 1 + 1280 + 96 + 1, lines.size());
    assertEquals(1, count(lines, "A_tensor_scale,"));
    assertEquals(1, count(lines, "B_tensor_scale,"));
    assertEquals(96, count(lines, "D_scale,"));
    assertTrue(lines.contains("D_scale_in,0,0,,2.0"), "scale_D^in row");
    // A UE4M3 scale row carries its code: its value is that code's.
    String scaleRow = lines.stream().filter(l -> l.startsWith("D_scale,0,0,")).findFirst()
        .orElseThrow();
    String[] f = scaleRow.split(",");
    assertEquals(org.tcsim.core.format.FpFormat.UE4M3.decode(Integer.parseInt(f[3], 16)),
        Double.parseDouble(f[4]), scaleRow);
  }

  private static long count(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).count();
  }

  private static String[] cat(String[] tail, String... head) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  /** --out is a path everywhere in tcsim; the output format is --out-dtype. */
  @Test
  void outIsNotAFormat() {
    CliRun r = CliRun.of("gemm", "--m", "8", "--n", "8", "--k", "32", "--out", "bf16");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--out-dtype bf16"), r.err());
    assertEquals("", r.out());
    CliRun ok = CliRun.of("gemm", "--m", "8", "--n", "8", "--k", "32", "--out-dtype",
        "R_16BF");
    assertEquals(0, ok.exit(), ok.err());
    assertTrue(ok.out().contains("out bf16"), ok.out());
  }

  @Test
  void unknownOptionSaysWhichAndSuggestsOne() {
    CliRun r = CliRun.of("gemm", "-m", "5");
    assertEquals(2, r.exit());
    List<String> lines = r.err().lines().toList();
    assertEquals(List.of("tcsim gemm: unknown option '-m'", "did you mean '--m'?",
        "Try 'tcsim gemm --help' for more information."), lines);
    assertEquals("", r.out());
  }
}

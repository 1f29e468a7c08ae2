package org.tcsim.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tcsim.core.InputFormatException;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.gpu.GemmRecipe;
import org.tcsim.gpu.GemmWorkload;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Library;
import org.tcsim.gpu.Simulation;
import org.tcsim.replay.GemmCheck;
import org.tcsim.replay.GoldenComparison;
import org.tcsim.replay.Mismatch;
import org.tcsim.replay.NpyOperand;
import org.tcsim.replay.NpyOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tcsim check}: a kernel author's output D, saved as {@code .npy}, compared bit for bit
 * with what the GPU's tensor cores compute for the same A and B (saved as {@code .npy} too), with
 * the ULP histogram of the mismatches, the first of them and what would explain them. Every input
 * is read and checked before the GEMM runs.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Check a kernel's output D.npy, bit for bit, against what the GPU's tensor cores compute "
            + "for A.npy x B.npy (D = alpha * scaleA * scaleB * (A B)).",
        "A is M x K and B is K x N as in a @ b (--b-layout nk: N x K), one byte per element: "
            + "uint8 codes or ml_dtypes arrays. Scales are decode scales (value = code * scale) "
            + "in the shapes torch._scaled_mm and cuBLASLt use. D is float32 (fp32), float16 or "
            + "uint16 bits (fp16, bf16), uint8 codes (e4m3, e5m2).",
        "Example: tcsim check --gpu h100 --a a.npy --b b.npy --out-dtype fp32 --expect d.npy"},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {"0:every element of D is bit-exact",
        "1:some element differs",
        "2:bad input (file, shape, dtype, format, scales; a GPU or library that cannot run it)",
        ExitCodes.LINE_INTERNAL})
public final class CheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--gpu", required = true, description = "GPU, any name of tcsim gpus")
  String gpu;

  @Option(names = "--a", required = true, paramLabel = "A.npy", description = "A, M x K")
  Path a;

  @Option(names = "--b", required = true, paramLabel = "B.npy",
      description = "B, K x N (or N x K with --b-layout nk)")
  Path b;

  @Option(names = "--a-format", paramLabel = "FORMAT", description = "A's element format: e4m3 "
      + "(default for uint8 codes), e5m2 (default for an ml_dtypes float8_e5m2 array), e2m1, "
      + "e2m3, e3m2; required for other ml_dtypes arrays (<V1), which do not say")
  String aFormat;

  @Option(names = "--b-format", paramLabel = "FORMAT", description = "B's element format, as --a-format")
  String bFormat;

  @Option(names = "--b-layout", defaultValue = "kn", paramLabel = "kn|nk",
      description = "kn: B.npy is K x N (a @ b); nk: N x K (cuBLASLt's TN layout); default ${DEFAULT-VALUE}")
  String bLayout;

  @Option(names = {"--scaling", "--recipe"}, defaultValue = "tensor", paramLabel = "RECIPE",
      description = "tensor (one FP32 scale each; scale files optional, 1 without), rowwise "
          + "(M x 1 and 1 x N), block (M x ceil(K/128) and ceil(K/128) x ceil(N/128)), mxfp8 "
          + "(E8M0 codes, M x ceil(K/32) and ceil(K/32) x N), nvfp4 (E2M1 elements, UE4M3 codes "
          + "per 16; fold the FP32 tensor scales into --alpha), mxfp4; default ${DEFAULT-VALUE}")
  String scaling;

  @Option(names = "--scale-a", paramLabel = "SA.npy", description = "A's scales")
  Path scaleA;

  @Option(names = "--scale-b", paramLabel = "SB.npy",
      description = "B's scales, in B.npy's orientation")
  Path scaleB;

  @Option(names = "--library", defaultValue = "cublaslt", paramLabel = "LIBRARY",
      description = "the library whose kernel is reproduced: cublaslt, torch, deepgemm, cutlass "
          + "(default ${DEFAULT-VALUE})")
  String library;

  @Option(names = "--fast-accum", description = "the library's fast-accumulation flag (cuBLASLt "
      + "FAST_ACCUM, torch use_fast_accum)")
  boolean fastAccum;

  @Option(names = "--alpha", defaultValue = "1", description = "FP32 alpha (default ${DEFAULT-VALUE})")
  float alpha;

  @Option(names = "--out-dtype", required = true, paramLabel = "FORMAT",
      description = "D's format: fp32, bf16, fp16, e4m3, e5m2")
  String outDtype;

  @Option(names = "--expect", required = true, paramLabel = "D.npy",
      description = "the kernel's output, M x N")
  Path expect;

  @Option(names = "--json", paramLabel = "FILE",
      description = "also write the result as JSON to FILE (for pytest, gtest or CI)")
  Path json;

  @Option(names = "--show", defaultValue = "10", paramLabel = "N",
      description = "mismatching elements shown (at most 10; default ${DEFAULT-VALUE})")
  int show;

  @Option(names = "--no-diagnose", description = "do not search for settings that would explain "
      + "the mismatches")
  boolean noDiagnose;

  @Option(names = "--threads", description = "worker threads (default: all processors)")
  Integer threads;

  /** Everything read and checked, ready to run. */
  private record Prepared(Gpu gpu, Simulation sim, QuantizedTensor a, QuantizedTensor b,
      int[] d, String name) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonObject doc = JsonOut.document("check");
    String error;
    try {
      JsonOut.requireWritable(json);
      Prepared p = prepare();
      GemmCheck.Result r = GemmCheck.run(p.sim(), p.a(), p.b(), alpha, p.d(), p.name(),
          threads == null ? Runtime.getRuntime().availableProcessors() : threads, !noDiagnose);
      print(out, p, r);
      int code = r.passed() ? 0 : 1;
      CheckJson.fill(doc, p.sim(), alpha, r);
      JsonOut.write(json, doc, code);
      return code;
    } catch (NoSuchFileException e) {
      error = e.getFile() + ": no such file";
    } catch (InputFormatException | IllegalArgumentException e) {
      error = e.getMessage();
    } catch (IOException e) {
      error = e.toString();
    }
    out.flush();
    err.println("tcsim check: " + error);
    err.flush();
    doc.addProperty("error", error);
    try {
      JsonOut.write(json, doc, 2);
    } catch (IOException | IllegalArgumentException e) {
      err.println("tcsim check: cannot write --json " + json + ": " + e);
    }
    return 2;
  }

  /** Reads and checks every input; nothing is computed yet. */
  private Prepared prepare() throws IOException {
    if (!Float.isFinite(alpha)) {
      throw new IllegalArgumentException("--alpha must be finite, got " + alpha);
    }
    if (show < 0 || (threads != null && threads < 1)) {
      throw new IllegalArgumentException("--show must be >= 0 and --threads >= 1");
    }
    Gpu g = GpuCatalog.byName(gpu);
    GemmRecipe recipe = GemmRecipe.parse(scaling);
    Library lib = Library.parse(library);
    FpFormat out = FpFormat.parse(outDtype);
    NpyOutput.accepted(out); // refuses formats that are not GEMM outputs
    NpyOperand.Role bRole = switch (bLayout.trim().toLowerCase(Locale.ROOT)) {
      case "kn" -> NpyOperand.Role.B_KN;
      case "nk" -> NpyOperand.Role.B_NK;
      default -> throw new IllegalArgumentException("--b-layout must be kn (K x N, as in a @ b) "
          + "or nk (N x K), got '" + bLayout + "'");
    };
    FpFormat fa = format(aFormat, "--a-format", a, recipe);
    FpFormat fb = format(bFormat, "--b-format", b, recipe);
    long[] as = NpyOperand.shape(a, NpyOperand.Role.A);
    long[] bs = NpyOperand.shape(b, bRole);
    long m = as[0];
    long k = as[1];
    long bk = bRole == NpyOperand.Role.B_KN ? bs[0] : bs[1];
    long n = bRole == NpyOperand.Role.B_KN ? bs[1] : bs[0];
    if (bk != k) {
      throw new IllegalArgumentException("A (" + a + ") is " + m + " x " + k + " (M x K) but B ("
          + b + ") is " + bs[0] + " x " + bs[1] + " (" + (bRole == NpyOperand.Role.B_KN ? "K x N"
          : "N x K") + "): K differs" + (bs[0] == k || bs[1] == k ? "; --b-layout "
          + (bRole == NpyOperand.Role.B_KN ? "nk" : "kn") + "?" : ""));
    }
    long[] ds = NpyOutput.shape(expect);
    if (ds[0] != m || ds[1] != n) {
      throw new InputFormatException(expect.toString(), 0, "shape", "D must be " + m + " x " + n
          + " (M x N) but the file holds (" + ds[0] + ", " + ds[1] + ")");
    }
    if (m * n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("D is " + m + " x " + n + ": more elements than one check"
          + " holds (" + (Integer.MAX_VALUE - 8) + ")");
    }
    if (recipe != GemmRecipe.TENSOR && (scaleA == null || scaleB == null)) {
      throw new IllegalArgumentException("--scaling " + recipe + " needs --scale-a and --scale-b");
    }
    Simulation sim = Simulation.of(g, new GemmWorkload(m, n, k, 1, fa, fb, recipe, fastAccum, lib,
        out));
    if (!sim.hasPreset()) {
      throw new IllegalArgumentException(sim.whyNoPreset());
    }
    QuantizedTensor qa = NpyOperand.read(new NpyOperand.Request(NpyOperand.Role.A, a, fa,
        given(aFormat, recipe), mode(recipe.aMode(), recipe, scaleA), scaleA));
    QuantizedTensor qb = NpyOperand.read(new NpyOperand.Request(bRole, b, fb,
        given(bFormat, recipe), mode(recipe.bMode(), recipe, scaleB), scaleB));
    int[] d = NpyOutput.read(expect, out, (int) m, (int) n, "D");
    String name = expect.getFileName() == null ? expect.toString()
        : expect.getFileName().toString();
    return new Prepared(g, sim, qa, qb, d, name);
  }

  /** The element format: named, fixed by the recipe, implied by the file, or E4M3. */
  private static FpFormat format(String name, String option, Path file, GemmRecipe recipe)
      throws IOException {
    FpFormat fixed = recipe.elementFormat(FpFormat.E4M3);
    boolean fp4 = fixed == FpFormat.E2M1;
    if (name != null) {
      FpFormat f = FpFormat.parse(name);
      NpyOperand.requireElementFormat(f, option.substring(2, 3).toUpperCase(Locale.ROOT));
      if (fp4 && f != FpFormat.E2M1) {
        throw new IllegalArgumentException(option + " " + name + ": " + recipe + " takes E2M1 "
            + "elements");
      }
      return f;
    }
    if (fp4) {
      return FpFormat.E2M1;
    }
    return NpyOperand.impliedFormat(file).orElse(FpFormat.E4M3);
  }

  private static boolean given(String name, GemmRecipe recipe) {
    return name != null || recipe.elementFormat(FpFormat.E4M3) == FpFormat.E2M1;
  }

  /** Per-tensor scaling without a file means a scale of 1 (no mode); other recipes need one. */
  private static ScaleMode mode(ScaleMode mode, GemmRecipe recipe, Path scale) {
    return recipe == GemmRecipe.TENSOR && scale == null ? null : mode;
  }

  private void print(PrintWriter out, Prepared p, GemmCheck.Result r) {
    GemmWorkload w = p.sim().workload();
    out.printf(Locale.ROOT, "gemm   %dx%dx%d %s x %s -> %s, %s scaling, %s on %s (preset %s)%n",
        w.m(), w.n(), w.k(), w.a().shortName(), w.b().shortName(), w.out().shortName(),
        w.recipe(), w.library(), p.gpu().id(), r.preset());
    out.println("kernel " + r.config());
    GoldenComparison c = r.comparison();
    out.printf(Locale.ROOT, "%s: %d/%d bit-exact%n", r.name(), c.bitExact(), c.compared());
    if (c.mismatches() == 0) {
      out.flush();
      return;
    }
    String bins = UlpBins.nonEmpty(UlpBins.DISTANCE_LABELS, c.ulpHistogram());
    out.println("mismatches by ULP distance: " + bins);
    List<Mismatch> first = c.firstMismatches();
    int shown = Math.min(show, first.size());
    if (shown > 0) {
      out.println("first " + shown + " mismatch" + (shown == 1 ? "" : "es") + " (" + r.name()
          + " against tcsim):");
      for (Mismatch m : first.subList(0, shown)) {
        out.println("  " + m.describe(r.name(), "tcsim"));
      }
    }
    if (!noDiagnose) {
      out.println(r.diagnosis().line(r.name()));
    }
    out.flush();
  }
}

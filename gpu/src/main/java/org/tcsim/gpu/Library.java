package org.tcsim.gpu;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The GEMM library whose kernel is being reproduced. A kernel author compares against a library,
 * not an abstract GEMM: libraries differ in when the tensor-core partial sum is promoted into FP32,
 * in what "fast accumulation" means and in the order of the epilogue's multiplications. Each GPU
 * states its defaults per library in its {@link Gpu#kernels} table.
 */
public enum Library {
  /** NVIDIA cuBLASLt ({@code cublasLtMatmul}); the default. */
  CUBLASLT("cublaslt", "cublas", "cublasLt"),
  /** PyTorch {@code torch._scaled_mm} (cuBLASLt for per-tensor scales, its own CUTLASS kernels for row-wise). */
  TORCH("torch", "pytorch", "torch._scaled_mm", "_scaled_mm"),
  /** DeepSeek's DeepGEMM. */
  DEEPGEMM("deepgemm", "deep_gemm"),
  /** NVIDIA CUTLASS 3.x collective mainloops. */
  CUTLASS("cutlass");

  private final String id;
  private final String[] aliases;

  Library(String id, String... aliases) {
    this.id = id;
    this.aliases = aliases;
  }

  /** The name users type ({@code cublaslt}). */
  public String id() {
    return id;
  }

  /** Looks a library up by id or alias, case-insensitively; an unknown name lists the known ones. */
  public static Library parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Library l : values()) {
      if (l.id.equals(n) || Arrays.stream(l.aliases).anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(n))) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown library '" + name + "'; known: "
        + Arrays.stream(values()).map(Library::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}

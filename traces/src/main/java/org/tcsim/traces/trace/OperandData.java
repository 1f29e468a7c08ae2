package org.tcsim.traces.trace;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a GEMM's operands come from: generated from a seed, or read from NumPy {@code .npy} files
 * (FP8 codes as {@code |u1}, FP32 as {@code <f4}, BF16 bits as {@code <u2}).
 */
public sealed interface OperandData permits OperandData.Seeded, OperandData.Files {

  /** Operands drawn by a pseudo-random generator from this seed. */
  record Seeded(long seed) implements OperandData {}

  /**
   * Operands read from {@code .npy} files. Relative paths are relative to the trace file's folder
   * ({@link #resolvedAgainst}).
   *
   * @param a the m x k A matrix (one per group stacked along the first axis for grouped GEMMs)
   * @param b the k x n B matrix
   * @param c the m x n C matrix, if beta uses one
   * @param aScale A's scale factors, if the scaling has them
   * @param bScale B's scale factors
   */
  record Files(Path a, Path b, Optional<Path> c, Optional<Path> aScale, Optional<Path> bScale)
      implements OperandData {
    public Files {
      Objects.requireNonNull(a, "A data file");
      Objects.requireNonNull(b, "B data file");
      Objects.requireNonNull(c);
      Objects.requireNonNull(aScale);
      Objects.requireNonNull(bScale);
    }

    /** The same files with relative paths resolved against {@code dir}. */
    public Files resolvedAgainst(Path dir) {
      return new Files(dir.resolve(a), dir.resolve(b), c.map(dir::resolve),
          aScale.map(dir::resolve), bScale.map(dir::resolve));
    }
  }
}

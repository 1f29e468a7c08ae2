package org.tcsim.traces.golden.gemm;

/**
 * Where a captured GEMM result came from: the machine and library versions and what cuBLASLt's
 * heuristic chose (read back with {@code cublasLtMatmulAlgoConfigGetAttribute}). Text as the
 * capture program printed it; "-" where not recorded (every field of a plan that has not run).
 *
 * @param libraryCall the call that produced the result, e.g. {@code cublasLtMatmul}
 */
public record GemmProvenance(String gpu, String driver, String cuda, String cublas, String algoId,
    String tile, String stages, String splitK, String reductionScheme, String swizzle,
    String customOption, String clusterShape, String libraryCall) {

  public static final String NONE = "-";

  /** The provenance of a case that has not been captured. */
  public static GemmProvenance none() {
    return new GemmProvenance(NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,
        NONE, NONE);
  }

  /** Field values in column order (see {@link GoldenGemmFolder#COLUMNS}). */
  String[] values() {
    return new String[] {gpu, driver, cuda, cublas, algoId, tile, stages, splitK, reductionScheme,
        swizzle, customOption, clusterShape, libraryCall};
  }
}

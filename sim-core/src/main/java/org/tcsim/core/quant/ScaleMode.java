package org.tcsim.core.quant;

import org.tcsim.core.format.FpFormat;

/**
 * Scale layouts, named as cuBLASLt's {@code cublasLtMatmulMatrixScale_t} (cuBLAS documentation;
 * nvmath-python
 * {@code MatmulMatrixScale}). Each has a block extent along K and across K (0 = the whole extent)
 * and the format its scales are stored in.
 */
public enum ScaleMode {
  /** One FP32 scale for the whole tensor (Transformer Engine delayed/current scaling). */
  SCALAR_32F(0, 0, FpFormat.FP32),
  /** One FP32 scale per row of A / column of B, i.e. per M or N index (PyTorch row-wise {@code _scaled_mm}). */
  OUTER_VEC_32F(0, 1, FpFormat.FP32),
  /** One FP32 scale per 1 x 128 group along K (DeepSeek-V3 activations). */
  VEC128_32F(128, 1, FpFormat.FP32),
  /** One FP32 scale per 128 x 128 block (DeepSeek-V3 weights). */
  BLK128x128_32F(128, 128, FpFormat.FP32),
  /** MXFP8/MXFP6/MXFP4: one E8M0 scale per 32 elements along K (OCP MX v1.0). */
  VEC32_UE8M0(32, 1, FpFormat.E8M0),
  /** NVFP4: one UE4M3 scale per 16 E2M1 elements along K, plus an FP32 per-tensor scale. */
  VEC16_UE4M3(16, 1, FpFormat.UE4M3);

  private final int alongK;
  private final int acrossK;
  private final FpFormat scaleFormat;

  ScaleMode(int alongK, int acrossK, FpFormat scaleFormat) {
    this.alongK = alongK;
    this.acrossK = acrossK;
    this.scaleFormat = scaleFormat;
  }

  /** Elements per block along K; 0 means the whole of K. */
  public int alongK() {
    return alongK;
  }

  /** Elements per block across K (along M or N); 0 means the whole extent. */
  public int acrossK() {
    return acrossK;
  }

  /** The format scales are stored in (FP32 as floats, E8M0 and UE4M3 as byte codes). */
  public FpFormat scaleFormat() {
    return scaleFormat;
  }

  /**
   * The block shape in matrix coordinates for a matrix of this shape with K on the given axis.
   * Blocks keep their nominal size; the last block along a dimension that the block size does not
   * divide is partial, which is the same as padding with zeros (as DeepGEMM's
   * {@code per_block_cast_to_fp8} and microxcaling's {@code _reshape_to_blocks} do), since zeros
   * change neither an amax nor the other elements.
   */
  public BlockShape blockShape(int rows, int cols, KAxis k) {
    return blockShape(rows, cols, k, alongK == 0 ? k.kExtent(rows, cols) : alongK);
  }

  /**
   * The block shape with a what-if extent along K ({@code alongK} elements per block) and this
   * mode's extent across K. Not a cuBLASLt layout unless {@code alongK} is the mode's own: recipes
   * use it for block-size studies (issue 8), and the GEMM engine accepts it for the modes whose
   * scales vary along K.
   */
  public BlockShape blockShape(int rows, int cols, KAxis k, int alongK) {
    if (alongK <= 0) {
      throw new IllegalArgumentException("block size along K must be positive, got " + alongK);
    }
    int along = alongK;
    int across = acrossK == 0 ? k.outerExtent(rows, cols) : acrossK;
    return switch (k) {
      case ALONG_ROWS -> new BlockShape(across, along);
      case ALONG_COLUMNS -> new BlockShape(along, across);
    };
  }

  /** The cuBLASLt spelling, e.g. {@code BLK128x128_32F}. */
  public String cublasName() {
    return name();
  }

  /** Looks a mode up by its cuBLASLt name, case-insensitively. */
  public static ScaleMode parse(String name) {
    for (ScaleMode m : values()) {
      if (m.name().equalsIgnoreCase(name.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown scale mode '" + name + "'; known: "
        + java.util.Arrays.toString(values()));
  }
}

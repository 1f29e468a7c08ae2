package org.tcsim.core.gemm;

import java.util.Objects;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;

/**
 * The block scales a block-scaled narrow output computed for D (cuBLASLt writes them through
 * {@code CUBLASLT_MATMUL_DESC_D_OUT_SCALE_POINTER}): one scale per block of {@code block()}
 * consecutive elements of a column of D, i.e. along M, which is the dimension cuBLAS names for D's
 * blocks (cuBLAS documentation, "1D Block Quantization": "a single block of k elements of D in the
 * M dimension"; "1D Block Scaling Factors Layout": inner index M for C and D). D's element (i, j)
 * stands for {@code code(i, j) * scale(i / block, j) / scaleDIn}.
 *
 * <p>PyTorch and most frameworks store D row-major and call cuBLASLt with the operands swapped, so
 * their N is cuBLAS's M: to see their layout, swap A and B.
 *
 * @param mode {@code VEC32_UE8M0} (scales 2^e, E8M0 codes) or {@code VEC16_UE4M3} (UE4M3 codes)
 * @param element D's element format
 * @param rows M, D's rows
 * @param cols N, D's columns
 * @param codes the scale codes, {@code ceil(M / block)} block rows of N, row-major: the scale of
 *     rows {@code [b * block, (b + 1) * block)} of column j is at {@code b * N + j}; a last partial
 *     block covers the rows that exist
 * @param scaleDIn the FP32 tensor-wide scale D was multiplied by before quantisation
 *     ({@code scale_D^in}; 1 with UE8M0 scales)
 */
public record DBlockScales(ScaleMode mode, FpFormat element, int rows, int cols, byte[] codes,
    float scaleDIn) {

  public DBlockScales {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(element, "element");
    Objects.requireNonNull(codes, "codes");
    if (mode != ScaleMode.VEC32_UE8M0 && mode != ScaleMode.VEC16_UE4M3) {
      throw new IllegalArgumentException("D block scales are VEC32_UE8M0 or VEC16_UE4M3, got "
          + mode);
    }
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("shape must be positive, got " + rows + "x" + cols);
    }
    long expected = (long) ((rows + mode.alongK() - 1) / mode.alongK()) * cols;
    if (codes.length != expected) {
      throw new IllegalArgumentException("a " + rows + "x" + cols + " D has " + expected + " "
          + mode + " scales, got " + codes.length);
    }
    codes = codes.clone();
  }

  @Override
  public byte[] codes() {
    return codes.clone();
  }

  /** Elements per block along M: 32 (UE8M0) or 16 (UE4M3). */
  public int block() {
    return mode.alongK();
  }

  /** Block rows: {@code ceil(M / block)}. */
  public int blockRows() {
    return (rows + block() - 1) / block();
  }

  /** The scale code of the block holding D's element (row, col). */
  public int codeAt(int row, int col) {
    if (row < 0 || row >= rows || col < 0 || col >= cols) {
      throw new IndexOutOfBoundsException("(" + row + ", " + col + ") outside " + rows + "x"
          + cols);
    }
    return codes[row / block() * cols + col] & 0xFF;
  }

  /** The exact value of the scale of the block holding (row, col). */
  public double scaleAt(int row, int col) {
    return mode.scaleFormat().decode(codeAt(row, col));
  }

  /**
   * The FP32 conversion factor D's elements in that block were multiplied by: {@code 1 / S} in
   * FP32 (cuBLAS documentation, 1D Block Quantization, {@code R = 1 / fp32(S)}); 0 for a UE4M3
   * scale of 0 (see {@link DBlockQuantizer}).
   */
  public float conversionFactorAt(int row, int col) {
    return DBlockQuantizer.conversionFactor(mode, codeAt(row, col));
  }

  /**
   * What D's element (row, col) stands for, given its code in {@code d}: code value times block
   * scale divided by {@code scaleDIn} (in double; exact unless scaleDIn is not a power of two).
   */
  public double dequantize(CodeMatrix d, int row, int col) {
    return d.value(row, col) * scaleAt(row, col) / scaleDIn;
  }
}

package org.tcsim.core.quant;

import java.util.Arrays;
import org.tcsim.core.format.FpFormat;

/**
 * A quantised tensor: element codes plus block scales, as a scaled GEMM consumes them.
 *
 * <p>The value of element (r, c) is {@code element * blockScale * tensorScale}, where blockScale is
 * the decode scale of the block holding (r, c) (for FP32 modes the "scale_inv" that
 * {@code torch._scaled_mm} and cuBLASLt take, for E8M0 2^(code-127), for UE4M3 its value) and
 * tensorScale is NVFP4's FP32 per-tensor decode scale (1 for every other mode).
 *
 * @param rows matrix rows
 * @param cols matrix columns
 * @param kAxis which index is K
 * @param mode the scale layout
 * @param elementFormat the element format
 * @param block the block shape in matrix coordinates
 * @param codes one byte per element, row-major, the code in the low bits; FP4 and FP6 codes are
 *     NOT packed two or four to a word, so that every element can be read on its own
 * @param scales FP32 decode scales per block (row-major over the block grid) for the FP32 modes,
 *     else null
 * @param scaleCodes E8M0 or UE4M3 scale codes per block (row-major over the block grid), else null
 * @param tensorScale NVFP4's FP32 per-tensor decode scale; 1 for the other modes
 */
public record QuantizedTensor(int rows, int cols, KAxis kAxis, ScaleMode mode,
    FpFormat elementFormat, BlockShape block, byte[] codes, float[] scales, byte[] scaleCodes,
    float tensorScale) {

  public QuantizedTensor {
    if ((long) rows * cols != codes.length) {
      throw new IllegalArgumentException(
          "codes holds " + codes.length + " elements, shape is " + rows + "x" + cols);
    }
    int blocks = block.gridRows(rows) * block.gridCols(cols);
    boolean fp32 = mode.scaleFormat() == FpFormat.FP32;
    if (fp32 ? (scales == null || scales.length != blocks || scaleCodes != null)
        : (scaleCodes == null || scaleCodes.length != blocks || scales != null)) {
      throw new IllegalArgumentException("mode " + mode + " needs " + blocks + " "
          + mode.scaleFormat() + " scales in " + (fp32 ? "scales" : "scaleCodes"));
    }
    codes = codes.clone();
    scales = scales == null ? null : scales.clone();
    scaleCodes = scaleCodes == null ? null : scaleCodes.clone();
  }

  @Override
  public byte[] codes() {
    return codes.clone();
  }

  @Override
  public float[] scales() {
    return scales == null ? null : scales.clone();
  }

  @Override
  public byte[] scaleCodes() {
    return scaleCodes == null ? null : scaleCodes.clone();
  }

  /** Block rows in the scale grid. */
  public int gridRows() {
    return block.gridRows(rows);
  }

  /** Block columns in the scale grid. */
  public int gridCols() {
    return block.gridCols(cols);
  }

  /** Number of blocks (and scales). */
  public int blockCount() {
    return gridRows() * gridCols();
  }

  /** Index into the scale arrays of the block holding (row, col). */
  public int blockIndex(int row, int col) {
    checkIndex(row, col);
    return (row / block.rows()) * gridCols() + col / block.cols();
  }

  /** The element code at (row, col). */
  public int code(int row, int col) {
    checkIndex(row, col);
    return codes[row * cols + col] & 0xFF;
  }

  /** The exact decode scale of a block (its FP32 scale, or the value of its E8M0/UE4M3 code). */
  public double blockScale(int blockIndex) {
    if (scales != null) {
      return scales[blockIndex];
    }
    return mode.scaleFormat().decode(scaleCodes[blockIndex] & 0xFF);
  }

  /**
   * The exact dequantised value of (row, col). The product is exact in a double: an element has at
   * most 4 significant bits, a scale at most 24 and NVFP4's two scales 4 + 24.
   */
  public double dequantize(int row, int col) {
    double element = elementFormat.decode(code(row, col));
    return element * blockScale(blockIndex(row, col)) * tensorScale;
  }

  /** All dequantised values, row-major. */
  public double[] dequantize() {
    double[] out = new double[codes.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r * cols + c] = dequantize(r, c);
      }
    }
    return out;
  }

  private void checkIndex(int row, int col) {
    if (row < 0 || row >= rows || col < 0 || col >= cols) {
      throw new IndexOutOfBoundsException(
          "(row " + row + ", col " + col + ") outside " + rows + "x" + cols);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuantizedTensor q && q.rows == rows && q.cols == cols
        && q.kAxis == kAxis && q.mode == mode && q.elementFormat == elementFormat
        && q.block.equals(block) && Arrays.equals(q.codes, codes) && Arrays.equals(q.scales, scales)
        && Arrays.equals(q.scaleCodes, scaleCodes)
        && Float.floatToIntBits(q.tensorScale) == Float.floatToIntBits(tensorScale);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(codes) * 31 + Arrays.hashCode(scales) * 17
        + Arrays.hashCode(scaleCodes) + mode.hashCode();
  }

  @Override
  public String toString() {
    return "QuantizedTensor[" + rows + "x" + cols + " " + elementFormat + " " + mode + " K "
        + kAxis + ", block " + block.rows() + "x" + block.cols() + "]";
  }
}

package org.tcsim.traces.io;

import java.util.Optional;

/**
 * The little-endian NumPy element types tcsim reads and writes: what a kernel author has for FP8
 * codes, BF16 bits, FP16 and FP32 tensors. ml_dtypes arrays (float8_e4m3fn, bfloat16) have no
 * standard descriptor, so they are saved as their bits: {@code x.view(np.uint8)} for FP8,
 * {@code x.view(np.uint16)} for BF16.
 */
public enum NpyDtype {
  /** {@code |u1}: unsigned bytes, FP8 (or other 8-bit) codes. */
  U1("|u1", 1),
  /** {@code <u2}: little-endian 16-bit unsigned, BF16 (or FP16) bit patterns. */
  U2("<u2", 2),
  /** {@code <f2}: IEEE binary16. */
  F2("<f2", 2),
  /** {@code <f4}: IEEE binary32. */
  F4("<f4", 4);

  private final String descr;
  private final int itemSize;

  NpyDtype(String descr, int itemSize) {
    this.descr = descr;
    this.itemSize = itemSize;
  }

  /** The descriptor written in headers. */
  public String descr() {
    return descr;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  /**
   * The type of a header descriptor. For one-byte types the byte order character is
   * meaningless, so {@code |u1}, {@code <u1}, {@code >u1} and {@code =u1} are all accepted
   * (NumPy writes {@code |u1}).
   */
  public static Optional<NpyDtype> byDescr(String descr) {
    return switch (descr) {
      case "|u1", "<u1", ">u1", "=u1" -> Optional.of(U1);
      case "<u2" -> Optional.of(U2);
      case "<f2" -> Optional.of(F2);
      case "<f4" -> Optional.of(F4);
      default -> Optional.empty();
    };
  }
}

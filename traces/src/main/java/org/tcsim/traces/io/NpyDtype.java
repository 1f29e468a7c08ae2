package org.tcsim.traces.io;

import java.util.Optional;

/**
 * The little-endian NumPy element types tcsim reads and writes: what a kernel author has for FP8
 * codes, BF16 bits, FP16 and FP32 tensors. ml_dtypes arrays have no standard descriptor: NumPy
 * saves {@code float8_e4m3fn}, {@code float8_e8m0fnu} and {@code float4_e2m1fn} as the void type
 * {@code <V1}, {@code bfloat16} as {@code <V2}, and {@code float8_e5m2} as {@code <f1} (its
 * {@code dtype.str}, ml_dtypes 0.5), which NumPy itself cannot read back. Those are read here as
 * raw bits whose format the caller must know ({@link #raw}); {@code x.view(np.uint8)} or
 * {@code x.view(np.uint16)} saves the same bits with a plain descriptor.
 */
public enum NpyDtype {
  /** {@code |u1}: unsigned bytes, FP8 (or other 8-bit) codes. */
  U1("|u1", 1),
  /** {@code <u2}: little-endian 16-bit unsigned, BF16 (or FP16) bit patterns. */
  U2("<u2", 2),
  /** {@code <f2}: IEEE binary16. */
  F2("<f2", 2),
  /** {@code <f4}: IEEE binary32. */
  F4("<f4", 4),
  /** {@code <V1}: one raw byte, an ml_dtypes 8-bit (or 4-bit) float whose format the reader names. */
  V1("<V1", 1),
  /** {@code <f1}: ml_dtypes {@code float8_e5m2}, the one 1-byte type NumPy saves with kind 'f'. */
  F1("<f1", 1),
  /** {@code <V2}: two raw bytes, an ml_dtypes 16-bit float ({@code bfloat16}). */
  V2("<V2", 2);

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

  /** Whether the descriptor says nothing about the format: the reader must be told it. */
  public boolean raw() {
    return switch (this) {
      case V1, V2 -> true;
      case U1, U2, F2, F4, F1 -> false;
    };
  }

  /**
   * The type of a header descriptor. For one-byte types the byte order character is
   * meaningless, so {@code |u1}, {@code <u1}, {@code >u1} and {@code =u1} are all accepted
   * (NumPy writes {@code |u1}); a void type is raw bytes in any order character.
   */
  public static Optional<NpyDtype> byDescr(String descr) {
    return switch (descr) {
      case "|u1", "<u1", ">u1", "=u1" -> Optional.of(U1);
      case "<u2" -> Optional.of(U2);
      case "<f2" -> Optional.of(F2);
      case "<f4" -> Optional.of(F4);
      case "|V1", "<V1", ">V1", "=V1" -> Optional.of(V1);
      case "<f1", "|f1", "=f1" -> Optional.of(F1);
      case "<V2", "|V2", "=V2" -> Optional.of(V2);
      default -> Optional.empty();
    };
  }
}

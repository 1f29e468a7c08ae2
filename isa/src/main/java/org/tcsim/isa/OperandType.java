package org.tcsim.isa;

import java.util.Optional;
import org.tcsim.core.format.FpFormat;

/**
 * The element types that appear in MMA instructions, spelled as PTX spells them.
 *
 * <p>Floating-point types wrap an {@link FpFormat}; the integer types ({@code s8}, {@code u8},
 * {@code s32}) have no FpFormat, which is why MMA operands are described by this enum rather than by
 * FpFormat directly. Type names: PTX ISA 8.7, §5.2 "Fundamental Types" and §5.2.5 "Alternate
 * Floating-Point Data Formats".
 */
public enum OperandType {
  F16("f16", FpFormat.FP16, 16),
  BF16("bf16", FpFormat.BF16, 16),
  /** TF32 is stored in a 32-bit register (PTX ISA §5.2.5); 19 bits are significant. */
  TF32("tf32", FpFormat.TF32, 32),
  F32("f32", FpFormat.FP32, 32),
  E4M3("e4m3", FpFormat.E4M3, 8),
  E5M2("e5m2", FpFormat.E5M2, 8),
  E2M3("e2m3", FpFormat.E2M3, 6),
  E3M2("e3m2", FpFormat.E3M2, 6),
  E2M1("e2m1", FpFormat.E2M1, 4),
  S8("s8", null, 8),
  U8("u8", null, 8),
  S32("s32", null, 32);

  private final String ptxName;
  private final FpFormat format;
  private final int bits;

  OperandType(String ptxName, FpFormat format, int bits) {
    this.ptxName = ptxName;
    this.format = format;
    this.bits = bits;
  }

  /** The PTX type qualifier without its dot ({@code e4m3}). */
  public String ptxName() {
    return ptxName;
  }

  /** The number format, empty for the integer types. */
  public Optional<FpFormat> fpFormat() {
    return Optional.ofNullable(format);
  }

  public boolean isInteger() {
    return format == null;
  }

  /** Storage bits of one element as the instruction reads it (TF32: its 32-bit container). */
  public int bits() {
    return bits;
  }

  /** Whether this is one of the two FP8 types. */
  public boolean isFp8() {
    return this == E4M3 || this == E5M2;
  }

  /** Whether this is one of the types of {@code .kind::f8f6f4} (FP8, FP6 or FP4). */
  public boolean isF8F6F4() {
    return isFp8() || this == E2M3 || this == E3M2 || this == E2M1;
  }

  /** A short human description: {@code e4m3 (FP8 E4M3)} or {@code s8 (signed 8-bit integer)}. */
  public String describe() {
    return switch (this) {
      case F16 -> "f16 (IEEE binary16)";
      case BF16 -> "bf16 (bfloat16)";
      case TF32 -> "tf32 (TensorFloat-32)";
      case F32 -> "f32 (IEEE binary32)";
      case E4M3 -> "e4m3 (FP8 E4M3)";
      case E5M2 -> "e5m2 (FP8 E5M2)";
      case E2M3 -> "e2m3 (FP6 E2M3)";
      case E3M2 -> "e3m2 (FP6 E3M2)";
      case E2M1 -> "e2m1 (FP4 E2M1)";
      case S8 -> "s8 (signed 8-bit integer)";
      case U8 -> "u8 (unsigned 8-bit integer)";
      case S32 -> "s32 (signed 32-bit integer)";
    };
  }

  /** Looks a type up by its PTX name, with or without the leading dot. */
  public static Optional<OperandType> byPtxName(String name) {
    String n = name.startsWith(".") ? name.substring(1) : name;
    for (OperandType t : values()) {
      if (t.ptxName.equals(n)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return ptxName;
  }
}

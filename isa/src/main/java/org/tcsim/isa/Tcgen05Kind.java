package org.tcsim.isa;

import java.util.Optional;

/**
 * The {@code .kind} qualifier of {@code tcgen05.mma}: the general class of element types. The exact
 * types come from the instruction descriptor (PTX ISA 8.7, §9.7.16.4.2, "Instruction descriptor").
 *
 * <p>Dense K per kind: PTX ISA 8.7, §9.7.16.2.1, Table 39 "Various combinations of .kind and shapes".
 */
public enum Tcgen05Kind {
  F16("f16", 16, false),
  TF32("tf32", 8, false),
  F8F6F4("f8f6f4", 32, false),
  I8("i8", 32, false),
  MXF8F6F4("mxf8f6f4", 32, true),
  MXF4("mxf4", 64, true),
  MXF4NVF4("mxf4nvf4", 64, true);

  private final String name;
  private final int denseK;
  private final boolean blockScaled;

  Tcgen05Kind(String name, int denseK, boolean blockScaled) {
    this.name = name;
    this.denseK = denseK;
    this.blockScaled = blockScaled;
  }

  /** The qualifier without its dot: {@code kind::f8f6f4}. */
  public String ptx() {
    return "kind::" + name;
  }

  /** The short name ({@code f8f6f4}). */
  public String shortName() {
    return name;
  }

  /** K of a dense MMA of this kind (Table 39); sparse MMAs, which tcsim does not model, double it. */
  public int denseK() {
    return denseK;
  }

  /** Whether the kind multiplies A and B by block scale factors and needs {@code .block_scale}. */
  public boolean blockScaled() {
    return blockScaled;
  }

  /** Looks a kind up by its short name or {@code kind::name}. */
  public static Optional<Tcgen05Kind> byName(String token) {
    String n = token.startsWith("kind::") ? token.substring(6) : token;
    for (Tcgen05Kind k : values()) {
      if (k.name.equals(n)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}

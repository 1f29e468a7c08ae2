package org.tcsim.isa;

import java.util.Locale;

/**
 * The GPU architectures whose tensor cores tcsim models, named by their PTX target.
 *
 * <p>The {@code a} suffix is the "architecture-specific" target that ptxas requires for
 * {@code wgmma} (sm_90a) and {@code tcgen05} (sm_100a): PTX ISA 8.7, §9.7.15.5.2 and §9.7.16.10.9,
 * "Target ISA Notes". sm_89 has no suffix because {@code mma.sync} is portable.
 */
public enum Architecture {
  /** Ampere data-centre (A100); FP16, BF16 and TF32 {@code mma.sync}, no FP8 (PTX ISA 8.7, §9.7.14.5.14). */
  SM_80("sm_80", "Ampere", "A100"),
  /** Ada Lovelace; the first architecture with FP8 {@code mma.sync} (PTX ISA 8.4). */
  SM_89("sm_89", "Ada Lovelace", "L40S, L4, RTX 4090"),
  /** Hopper; {@code wgmma.mma_async} exists only here. */
  SM_90A("sm_90a", "Hopper", "H100, H200, H800"),
  /** Blackwell data-centre; {@code tcgen05.mma} with tensor memory. */
  SM_100A("sm_100a", "Blackwell", "B200, GB200");

  private final String ptxTarget;
  private final String generation;
  private final String products;

  Architecture(String ptxTarget, String generation, String products) {
    this.ptxTarget = ptxTarget;
    this.generation = generation;
    this.products = products;
  }

  /** The target name as given to ptxas ({@code sm_90a}). */
  public String ptxTarget() {
    return ptxTarget;
  }

  /** The marketing name of the generation ({@code Hopper}). */
  public String generation() {
    return generation;
  }

  /** Products built on it, for people who know the GPU rather than the target. */
  public String products() {
    return products;
  }

  /** {@code Hopper (H100, H200, H800)}. */
  public String marketingName() {
    return generation + " (" + products + ")";
  }

  /** Looks an architecture up by PTX target ({@code sm_90a}) or enum name, case-insensitively. */
  public static Architecture parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Architecture a : values()) {
      if (a.ptxTarget.equals(n) || a.name().equalsIgnoreCase(n)) {
        return a;
      }
    }
    StringBuilder known = new StringBuilder();
    for (Architecture a : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(a.ptxTarget);
    }
    throw new IllegalArgumentException(
        "unknown architecture '" + name + "'; known: " + known);
  }

  @Override
  public String toString() {
    return ptxTarget;
  }
}

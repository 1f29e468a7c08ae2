package org.tcsim.core.format;

/**
 * Rounding-direction attributes, named as in PTX ({@code .rn .rz .rp .rm}) and IEEE 754-2019 §4.3.
 * Stochastic rounding is separate ({@link StochasticRounder}) because it needs a random source.
 */
public enum Rounding {
  /** Round to nearest, ties to even (PTX {@code .rn}, IEEE roundTiesToEven). */
  RNE,
  /** Round toward zero, truncation (PTX {@code .rz}). */
  RZ,
  /** Round toward +infinity (PTX {@code .rp}). */
  RU,
  /** Round toward -infinity (PTX {@code .rm}). */
  RD;

  /** Parses the CLI spelling: {@code rne}, {@code rn}, {@code rz}, {@code ru}, {@code rp}, {@code rd}, {@code rm}. */
  public static Rounding parse(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "rne", "rn" -> RNE;
      case "rz" -> RZ;
      case "ru", "rp" -> RU;
      case "rd", "rm" -> RD;
      default -> throw new IllegalArgumentException(
          "unknown rounding mode '" + name + "' (expected rne, rz, ru or rd)");
    };
  }
}

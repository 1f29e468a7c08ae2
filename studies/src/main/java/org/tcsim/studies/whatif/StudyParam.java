package org.tcsim.studies.whatif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;
import org.tcsim.timing.MachineParam;

/**
 * The parameters a study can fix or sweep, by the name a study file uses. Datapath parameters
 * change {@link org.tcsim.core.datapath.BlockFmaParams} or the kernel's
 * {@link org.tcsim.core.gemm.GemmConfig}; recipe parameters change how operands are quantised;
 * workload parameters change the generated data. Machine parameters (every
 * {@link MachineParam} key, e.g. {@code sms}, {@code hbm_tbps}) change the timing model's machine
 * and are named by {@link #isMachineKey}.
 */
public enum StudyParam {
  /** Accumulator width: alignment bits AND normalised mantissa bits (capped at 23) together. */
  ACCUMULATOR_BITS("accumulator_bits", "datapath", "alignment and normalised bits together (13 = Hopper FP8, 25 = FP16/BF16 path)"),
  ALIGNMENT_BITS("alignment_bits", "datapath", "fractional bits kept below a step's largest exponent"),
  NORMALISED_BITS("normalised_bits", "datapath", "mantissa bits kept when a step's sum is normalised (1..23)"),
  PRODUCTS_PER_STEP("products_per_step", "datapath", "products summed per step (the fma size)"),
  ROUNDING("rounding", "datapath", "final rounding of a step: rz, rne, ru, rd"),
  ALIGNMENT("alignment", "datapath", "truncate, truncate_sticky, round_nearest_even, exact"),
  PROMOTION_INTERVAL("promotion_interval", "datapath", "MMAs between FP32 promotions (0 = fast accumulation)"),
  FAST_ACCUM("fast_accum", "datapath", "true = no promotion at all (overrides promotion_interval)"),
  MMA_K("mma_k", "datapath", "K of one MMA instruction"),
  RECIPE("recipe", "recipe", "scaling recipe: " + QuantRecipe.labels()),
  ELEMENT("element", "recipe", "element format of both operands: e4m3 or e5m2"),
  BLOCK_SIZE("block_size", "recipe", "what-if scale block along K, a power of two 2..1024 "
      + "(MX recipes: 32; 1x128, 128x128, deepseek: 128)"),
  K("k", "workload", "the reduction length of the generated GEMM"),
  DISTRIBUTION("distribution", "workload", "A's values: normal, uniform, outliers, channel-outliers, student"),
  OUTLIER_FRACTION("outlier_fraction", "workload", "share of outlier elements (or channels)"),
  OUTLIER_SCALE("outlier_scale", "workload", "how many times larger an outlier is");

  private final String key;
  private final String group;
  private final String meaning;

  StudyParam(String key, String group, String meaning) {
    this.key = key;
    this.group = group;
    this.meaning = meaning;
  }

  public String key() {
    return key;
  }

  /** datapath, recipe or workload. */
  public String group() {
    return group;
  }

  public String meaning() {
    return meaning;
  }

  /** The parameter named {@code key}, or null. */
  public static StudyParam byKey(String key) {
    for (StudyParam p : values()) {
      if (p.key.equals(key)) {
        return p;
      }
    }
    return null;
  }

  /** Whether {@code key} names a machine parameter of the timing model. */
  public static boolean isMachineKey(String key) {
    return Arrays.stream(MachineParam.values()).anyMatch(p -> p.key().equals(key));
  }

  /** Every sweepable key: these and the machine keys. */
  public static List<String> allKeys() {
    List<String> keys = new ArrayList<>();
    for (StudyParam p : values()) {
      keys.add(p.key);
    }
    for (MachineParam p : MachineParam.values()) {
      keys.add(p.key());
    }
    return keys;
  }

  /** Throws naming the problem when {@code value} is not a valid value of this parameter. */
  public void check(String value) {
    switch (this) {
      case ACCUMULATOR_BITS, ALIGNMENT_BITS -> intIn(value, 0, 40);
      case NORMALISED_BITS -> intIn(value, 1, 23);
      case PRODUCTS_PER_STEP -> intIn(value, 1, 1024);
      case PROMOTION_INTERVAL -> intIn(value, 0, 1 << 20);
      case MMA_K, K -> intIn(value, 1, 1 << 24);
      case ROUNDING -> rounding(value);
      case ALIGNMENT -> alignment(value);
      case FAST_ACCUM -> bool(value);
      case RECIPE -> QuantRecipe.parse(value);
      case ELEMENT -> element(value);
      case BLOCK_SIZE -> blockSize(value);
      case DISTRIBUTION -> OperandDistribution.Kind.parse(value);
      case OUTLIER_FRACTION -> doubleIn(value, 0, 1);
      case OUTLIER_SCALE -> doubleIn(value, Double.MIN_VALUE, 1e30);
    }
  }

  /** An integer in [lo, hi]. */
  public static int intIn(String value, int lo, int hi) {
    int v;
    try {
      v = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a whole number");
    }
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(v + " is outside " + lo + ".." + hi);
    }
    return v;
  }

  /** A number in [lo, hi]. */
  public static double doubleIn(String value, double lo, double hi) {
    double v;
    try {
      v = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a number");
    }
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(v + " is outside " + lo + ".." + hi);
    }
    return v;
  }

  public static boolean bool(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("'" + value + "' is not true or false");
    };
  }

  public static Rounding rounding(String value) {
    try {
      return Rounding.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown rounding '" + value + "'; known: rz, rne, ru, rd");
    }
  }

  public static AlignmentMode alignment(String value) {
    try {
      return AlignmentMode.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown alignment '" + value
          + "'; known: truncate, truncate_sticky, round_nearest_even, exact");
    }
  }

  /** A what-if block size along K: a power of two from 2 to 1024. */
  public static int blockSize(String value) {
    int v;
    try {
      v = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a whole number");
    }
    return org.tcsim.core.quant.MxScaling.checkBlockSize(v);
  }

  public static FpFormat element(String value) {
    FpFormat f = FpFormat.parse(value.trim());
    if (f != FpFormat.E4M3 && f != FpFormat.E5M2) {
      throw new IllegalArgumentException("element format must be e4m3 or e5m2, got " + value);
    }
    return f;
  }
}

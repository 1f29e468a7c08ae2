package org.tcsim.timing;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A machine description: a value for every {@link MachineParam}, each with the source it came
 * from. Immutable; {@link #with} returns a changed copy whose source says "override".
 *
 * @param name    a short name, e.g. {@code h800}
 * @param values  a value for every parameter
 * @param sources where each value comes from (datasheet, paper and section, repository, "fitted")
 */
public record MachineSpec(String name, Map<MachineParam, Double> values, Map<MachineParam, String> sources) {

  public MachineSpec {
    Objects.requireNonNull(name, "name");
    EnumMap<MachineParam, Double> v = new EnumMap<>(MachineParam.class);
    v.putAll(values);
    EnumMap<MachineParam, String> s = new EnumMap<>(MachineParam.class);
    s.putAll(sources);
    for (MachineParam p : MachineParam.values()) {
      Double x = v.get(p);
      if (x == null) {
        throw new IllegalArgumentException(name + ": no value for " + p.key());
      }
      validate(p, x);
      s.putIfAbsent(p, "unspecified");
    }
    values = Collections.unmodifiableMap(v);
    sources = Collections.unmodifiableMap(s);
  }

  /** The value of {@code p}. */
  public double get(MachineParam p) {
    return values.get(p);
  }

  /** The value of {@code p} as a whole number (counts). */
  public int getInt(MachineParam p) {
    return (int) Math.round(values.get(p));
  }

  /** A copy with {@code p} set to {@code value}. */
  public MachineSpec with(MachineParam p, double value) {
    return with(p, value, "override");
  }

  /** A copy with {@code p} set to {@code value}, remembering {@code source}. */
  public MachineSpec with(MachineParam p, double value, String source) {
    EnumMap<MachineParam, Double> v = new EnumMap<>(values);
    v.put(p, value);
    EnumMap<MachineParam, String> s = new EnumMap<>(sources);
    s.put(p, source);
    return new MachineSpec(name, v, s);
  }

  /** A copy named {@code newName}. */
  public MachineSpec renamed(String newName) {
    return new MachineSpec(newName, values, sources);
  }

  /** A copy with the parameter named {@code key} set; an unknown key names the valid ones. */
  public MachineSpec with(String key, double value) {
    return with(MachineParam.byKey(key), value);
  }

  /**
   * A copy with an override written {@code key=value}, as on the command line.
   *
   * @throws IllegalArgumentException naming the key or value that is wrong
   */
  public MachineSpec withAssignment(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("expected key=value, got '" + assignment + "'; valid keys: "
          + MachineParam.validKeys());
    }
    MachineParam p = MachineParam.byKey(assignment.substring(0, eq));
    String text = assignment.substring(eq + 1).trim();
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("value of " + p.key() + " is not a number: '" + text + "'");
    }
    return with(p, value);
  }

  /** Peak dense FP8 TFLOPS implied by SMs x clock x per-SM rate. */
  public double peakTflops() {
    return peakTflops(MachineParam.MMA_FLOPS_PER_CLK);
  }

  /** Peak dense FP4 (NVFP4, MXFP4) TFLOPS, as {@link #peakTflops()}; 0 without FP4 MMAs. */
  public double peakFp4Tflops() {
    return peakTflops(MachineParam.FP4_FLOPS_PER_CLK);
  }

  /**
   * The highest clock the model lets the board run, in GHz: {@code max_clock_ghz} where a part is
   * measured above its datasheet clock, never below {@code clock_ghz} (so a what-if that raises
   * clock_ghz alone raises the ceiling too).
   */
  public double clockCeilingGhz() {
    return Math.max(get(MachineParam.CLOCK_GHZ), get(MachineParam.MAX_CLOCK_GHZ));
  }

  private double peakTflops(MachineParam perSmRate) {
    return get(MachineParam.SMS) * get(MachineParam.CLOCK_GHZ) * 1e9 * get(perSmRate) / 1e12;
  }

  private static void validate(MachineParam p, double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException(p.key() + " must be finite: " + x);
    }
    boolean ok = switch (p) {
      case SMS, MMA_CTA_GROUP, ACCUM_BUFFERS, MAX_STAGES -> x >= 1 && x == Math.rint(x);
      case HW_BLOCK_SCALING, FP32_BLOCK_SCALES, TMA_MULTICAST -> x == 0 || x == 1;
      case MMA_EFFICIENCY, HBM_EFFICIENCY -> x > 0 && x <= 1;
      case DATA_ACTIVITY, DATA_POWER_SHARE -> x >= 0 && x <= 1;
      case CLOCK_POWER_EXPONENT -> x >= 1 && x <= 4;
      case MMA_TAIL_CYCLES, SYNC_CYCLES, L2_LATENCY, HBM_LATENCY, TMA_LATENCY, LAUNCH_US, PROMOTE_OPS,
          EPILOGUE_OPS, FP4_FLOPS_PER_CLK, MMA_FLOPS_PER_CLK, SCALE_COPY_CYCLES, STATIC_POWER_W, MMA_POWER_W -> x >= 0;
      case CLOCK_GHZ, MAX_CLOCK_GHZ, MMA_K, CUDA_FP32_LANES, MATH_REGS, SMEM_KB, L2_MB, L2_TBPS,
          HBM_TBPS, POWER_LIMIT_W -> x > 0;
    };
    if (!ok) {
      throw new IllegalArgumentException("invalid value for " + p.key() + " (" + p.unit() + "): " + x);
    }
  }

  /** Starts a description from scratch. */
  public static Builder builder(String name) {
    return new Builder(name, new EnumMap<>(MachineParam.class), new EnumMap<>(MachineParam.class));
  }

  /** Starts a description from this one, e.g. a variant with other memory. */
  public Builder toBuilder(String newName) {
    return new Builder(newName, new EnumMap<>(values), new EnumMap<>(sources));
  }

  /** Collects values with their sources. */
  public static final class Builder {
    private final String name;
    private final EnumMap<MachineParam, Double> values;
    private final EnumMap<MachineParam, String> sources;

    private Builder(String name, EnumMap<MachineParam, Double> values, EnumMap<MachineParam, String> sources) {
      this.name = name;
      this.values = values;
      this.sources = sources;
    }

    /** Sets {@code p} to {@code value}, remembering where the figure comes from. */
    public Builder set(MachineParam p, double value, String source) {
      values.put(p, value);
      sources.put(p, source);
      return this;
    }

    public MachineSpec build() {
      return new MachineSpec(name, values, sources);
    }
  }
}

package org.tcsim.timing;

/**
 * The SM clock a GPU holds under a tensor-core load: the boost clock, unless the board's power
 * limit caps it first.
 *
 * <p>Board power under load is modelled as {@code static_power_w} (leakage, HBM, fabric: not
 * following the tensor cores) plus the tensor cores' power, which grows with their busy share
 * {@code u}, with the operands' bit toggling, and with the clock:
 * <pre>
 *   P(f) = static + sms * mma_power * u * (1 - s + s * a) * (f / clock_ghz)^e
 * </pre>
 * where {@code s} = {@code data_power_share}, {@code a} = {@code data_activity} (1 for random
 * operands, 0 for zeros) and {@code e} = {@code clock_power_exponent}: dynamic CMOS power is
 * C V^2 f, and along a GPU's voltage-frequency curve V rises with f, so e lies between 1 (fixed
 * voltage) and 3 (voltage proportional to clock). The sustained clock is the largest f up to the
 * ceiling ({@link MachineSpec#clockCeilingGhz}: the datasheet's boost clock, or the higher clock a
 * part was measured to hold) with P(f) within {@code power_limit_w}.
 *
 * <p>What this rests on: Luo et al. (arXiv 2402.13499, section on FP8 tensor-core throughput)
 * measured an H800 PCIe (350 W) whose clock fell below 1.62 GHz under FP8 MMAs on random data, so
 * datasheet peaks (quoted at the boost clock) are not what a power-limited board sustains; lowering
 * the power limit ({@code nvidia-smi -pl}) lowers the clock the same way.
 */
public final class SustainedClock {

  private SustainedClock() {}

  /**
   * The sustained clock in GHz when the tensor cores are busy {@code mmaBusy} (0..1) of the time.
   *
   * @throws IllegalArgumentException if the power limit does not even cover the static power
   */
  public static double ghz(MachineSpec spec, double mmaBusy) {
    double reference = spec.get(MachineParam.CLOCK_GHZ);
    double ceiling = spec.clockCeilingGhz();
    double limit = spec.get(MachineParam.POWER_LIMIT_W);
    double idle = spec.get(MachineParam.STATIC_POWER_W);
    if (!(limit > idle)) {
      throw new IllegalArgumentException("power_limit_w " + limit + " W does not exceed static_power_w "
          + idle + " W: the GPU could not run at any clock");
    }
    if (watts(spec, mmaBusy, ceiling) <= limit) {
      return ceiling;
    }
    double e = spec.get(MachineParam.CLOCK_POWER_EXPONENT);
    return reference * Math.pow((limit - idle) / dynamicPowerAtBoost(spec, mmaBusy), 1 / e);
  }

  /** Board power in watts at clock {@code ghz} with the tensor cores busy {@code mmaBusy} of the time. */
  public static double watts(MachineSpec spec, double mmaBusy, double ghz) {
    double ratio = ghz / spec.get(MachineParam.CLOCK_GHZ);
    return spec.get(MachineParam.STATIC_POWER_W)
        + dynamicPowerAtBoost(spec, mmaBusy) * Math.pow(ratio, spec.get(MachineParam.CLOCK_POWER_EXPONENT));
  }

  private static double dynamicPowerAtBoost(MachineSpec spec, double mmaBusy) {
    double share = spec.get(MachineParam.DATA_POWER_SHARE);
    double toggling = 1 - share + share * spec.get(MachineParam.DATA_ACTIVITY);
    double busy = Math.min(1, Math.max(0, mmaBusy));
    return spec.get(MachineParam.SMS) * spec.get(MachineParam.MMA_POWER_W) * busy * toggling;
  }
}

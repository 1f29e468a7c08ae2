package org.tcsim.timing.validate;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;

/**
 * Fits a few machine parameters of a family of GPUs (those sharing one SM design, e.g. the Hopper
 * parts) to measured GEMMs by minimising the MAPE: coordinate descent with multiplicative steps
 * that shrink from 25% to {@link #FINEST_STEP}. Slow (each step re-times every row), so the
 * project's fitted figures are computed once and stored in the machine files; tests check that the
 * stored figures are a local optimum.
 */
public final class TimingFit {

  /** The smallest relative step tried; a fit is a local optimum at this resolution. */
  public static final double FINEST_STEP = 0.05;

  private static final double[] STEPS = {0.25, 0.1, FINEST_STEP};

  private TimingFit() {}

  /** A fit: the parameter values and the MAPE they reach on the rows fitted. */
  public record Result(Map<MachineParam, Double> values, double mape) {}

  /**
   * Fits {@code params} for the GPUs named in {@code family}, starting from their values in
   * {@code machines}, to the rows of those GPUs in {@code rows}.
   */
  public static Result fit(List<MeasuredGemm> rows, Function<String, MachineSpec> machines, Set<String> family,
      List<MachineParam> params) {
    return fit(rows, machines, family, params, ValidationListener.NONE);
  }

  /** As {@link #fit(List, Function, Set, List)}, telling {@code listener} of each prediction. */
  public static Result fit(List<MeasuredGemm> rows, Function<String, MachineSpec> machines, Set<String> family,
      List<MachineParam> params, ValidationListener listener) {
    List<MeasuredGemm> mine = rows.stream().filter(r -> family.contains(r.gpu())).toList();
    if (mine.isEmpty()) {
      throw new IllegalArgumentException("no rows for " + family);
    }
    Map<MachineParam, Double> values = new EnumMap<>(MachineParam.class);
    MachineSpec first = machines.apply(mine.get(0).gpu());
    for (MachineParam p : params) {
      values.put(p, first.get(p));
    }
    double best = loss(mine, machines, values, listener);
    for (double step : STEPS) {
      boolean improved = true;
      while (improved) {
        improved = false;
        for (MachineParam p : params) {
          for (double factor : new double[] {1 + step, 1 / (1 + step)}) {
            Map<MachineParam, Double> trial = new EnumMap<>(values);
            trial.put(p, values.get(p) * factor);
            double l;
            try {
              l = loss(mine, machines, trial, listener);
            } catch (IllegalArgumentException outOfRange) {
              continue;
            }
            if (l < best - 1e-9) {
              best = l;
              values = trial;
              improved = true;
            }
          }
        }
      }
    }
    return new Result(new LinkedHashMap<>(values), best);
  }

  /** MAPE of {@code rows} with {@code values} set on their machines. */
  public static double loss(List<MeasuredGemm> rows, Function<String, MachineSpec> machines,
      Map<MachineParam, Double> values) {
    return loss(rows, machines, values, ValidationListener.NONE);
  }

  private static double loss(List<MeasuredGemm> rows, Function<String, MachineSpec> machines,
      Map<MachineParam, Double> values, ValidationListener listener) {
    return Validation.mape(Validation.predict(rows, with(machines, values), "fit", listener));
  }

  /** {@code machines} with {@code values} set on every description it returns. */
  public static Function<String, MachineSpec> with(Function<String, MachineSpec> machines,
      Map<MachineParam, Double> values) {
    return name -> {
      MachineSpec s = machines.apply(name);
      for (Map.Entry<MachineParam, Double> e : values.entrySet()) {
        s = s.with(e.getKey(), e.getValue(), "fitted");
      }
      return s;
    };
  }
}

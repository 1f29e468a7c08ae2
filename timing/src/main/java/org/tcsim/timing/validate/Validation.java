package org.tcsim.timing.validate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.KernelConfig;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.TileHeuristic;
import org.tcsim.timing.TimingResult;

/**
 * The timing model against measured GEMMs: a prediction per row, and the mean absolute
 * percentage error (MAPE) overall, per GPU and per source.
 */
public final class Validation {

  /** One row and what the model predicts for it. */
  public record Prediction(MeasuredGemm row, TimingResult result) {
    /** Predicted TFLOPS. */
    public double predicted() {
      return result.tflops();
    }

    /** Signed error of the prediction, percent of the measurement. */
    public double errorPercent() {
      return 100 * (result.tflops() / row.tflops() - 1);
    }
  }

  private Validation() {}

  /**
   * Predicts every row on the machine {@code machines} returns for its GPU (with the row's
   * overrides); identical rows are simulated once.
   *
   * @throws IllegalArgumentException naming the row's line when a GPU is unknown, a recipe is
   *     refused or a tile does not fit
   */
  public static List<Prediction> predict(List<MeasuredGemm> rows, Function<String, MachineSpec> machines,
      String label) {
    return predict(rows, machines, label, ValidationListener.NONE);
  }

  /** As {@link #predict(List, Function, String)}, telling {@code listener} of each prediction. */
  public static List<Prediction> predict(List<MeasuredGemm> rows, Function<String, MachineSpec> machines,
      String label, ValidationListener listener) {
    // Identical rows (the same shape re-measured by several sources) are simulated once, and the
    // distinct ones in parallel: each prediction builds its own model state.
    Map<String, MachineSpec> specs = new LinkedHashMap<>();
    Map<String, MeasuredGemm> firstRow = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    for (MeasuredGemm row : rows) {
      MachineSpec spec;
      try {
        spec = machineFor(row, machines);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(label + " line " + row.line() + ": " + e.getMessage(), e);
      }
      String key = spec + "|" + row.problem() + "|" + row.tile();
      keys.add(key);
      specs.putIfAbsent(key, spec);
      firstRow.putIfAbsent(key, row);
    }
    Map<String, TimingResult> memo = new ConcurrentHashMap<>();
    listener.predicting(firstRow.size());
    firstRow.keySet().parallelStream().forEach(key -> {
      MeasuredGemm row = firstRow.get(key);
      try {
        memo.put(key, predictOne(specs.get(key), row));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(label + " line " + row.line() + ": " + e.getMessage(), e);
      }
      listener.predicted();
    });
    List<Prediction> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(new Prediction(rows.get(i), memo.get(keys.get(i))));
    }
    return out;
  }

  /** The row's machine: its GPU's description with the row's overrides. */
  public static MachineSpec machineFor(MeasuredGemm row, Function<String, MachineSpec> machines) {
    MachineSpec spec = machines.apply(row.gpu());
    for (Map.Entry<MachineParam, Double> e : row.overrides().entrySet()) {
      spec = spec.with(e.getKey(), e.getValue(), "row override");
    }
    return spec;
  }

  private static TimingResult predictOne(MachineSpec spec, MeasuredGemm row) {
    GemmProblem p = row.problem();
    if (row.tile().isEmpty()) {
      return GemmTimingModel.predict(spec, p);
    }
    String[] parts = row.tile().toLowerCase(Locale.ROOT).split("x");
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException("field tile must be BMxBN or BMxBNxBK: '" + row.tile() + "'");
    }
    int[] t = new int[3];
    t[2] = TileHeuristic.blockK(p.recipe());
    for (int i = 0; i < parts.length; i++) {
      try {
        t[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("field tile must be BMxBN or BMxBNxBK: '" + row.tile() + "'");
      }
    }
    p.recipe().requireSupported(spec);
    KernelConfig c = TileHeuristic.complete(spec, p, t[0], t[1], t[2], null, null);
    return GemmTimingModel.predict(spec, p, c);
  }

  /** Mean absolute percentage error of {@code predictions}. */
  public static double mape(List<Prediction> predictions) {
    double sum = 0;
    for (Prediction p : predictions) {
      sum += Math.abs(p.errorPercent());
    }
    return predictions.isEmpty() ? Double.NaN : sum / predictions.size();
  }

  /** MAPE per value of {@code key}, in the order the keys first appear. */
  public static Map<String, Double> mapeBy(List<Prediction> predictions, Function<Prediction, String> key) {
    Map<String, List<Prediction>> groups = new LinkedHashMap<>();
    for (Prediction p : predictions) {
      groups.computeIfAbsent(key.apply(p), k -> new ArrayList<>()).add(p);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    groups.forEach((k, v) -> out.put(k, mape(v)));
    return out;
  }
}

package org.tcsim.timing.validate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;

/**
 * Leave-one-source-out cross-validation of the timing model: for each source of measured GEMMs,
 * the fitted machine figures are fitted again ({@link TimingFit}) on every other source's rows and
 * the held-out source is predicted with them.
 *
 * <p>Which figures are fitted is read from the machine descriptions: those whose source starts
 * with {@link #FITTED_TAG} (the machine files' tag for figures this fit owns). GPUs whose descriptions carry the same
 * fitted figures (the Hopper parts share one SM design and one fit) form a family and are fitted
 * together.
 *
 * <p>Each refit starts where the machine description says, when a fitted figure's source names a
 * start ({@link #START_MARK}, followed by a value and where that value comes from), and from the
 * figure itself otherwise. The figure in the file was fitted to every row, the held-out ones
 * included; where the rows left in do not pin a figure down, the fit stays where it starts, so
 * starting from the in-sample figure would carry the held-out rows into their own prediction.
 */
public final class CrossValidation {

  /** Source prefix of the figures the fit owns; other F figures were fitted once and are kept. */
  public static final String FITTED_TAG = "F: TimingFit";

  /** In a fitted figure's source: the refit's starting value follows it. */
  public static final String START_MARK = "refits start at";

  private static final Pattern START = Pattern.compile(Pattern.quote(START_MARK)
      + "\\s+([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");

  private CrossValidation() {}

  /** A family's refitted figures when {@code heldOut} was left out. */
  public record Refit(String heldOut, Set<String> family, Map<MachineParam, Double> values) {}

  /** The outcome: every row predicted by a calibration that did not see its source, and the refits. */
  public record Result(List<Validation.Prediction> heldOut, List<Refit> refits) {}

  /** A source without the parenthesised note that some rows add ("... (H100 gemma-4-31B)"). */
  public static String source(MeasuredGemm r) {
    int paren = r.source().indexOf(" (");
    return paren < 0 ? r.source() : r.source().substring(0, paren);
  }

  /** The fitted figures of {@code spec}: those whose source starts with {@link #FITTED_TAG}. */
  public static List<MachineParam> fitted(MachineSpec spec) {
    List<MachineParam> out = new ArrayList<>();
    for (MachineParam p : MachineParam.values()) {
      if (spec.sources().get(p).startsWith(FITTED_TAG)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The starting values that {@code spec}'s fitted figures name ({@link #START_MARK} in their
   * sources); a fitted figure that names none is absent.
   */
  public static Map<MachineParam, Double> starts(MachineSpec spec) {
    Map<MachineParam, Double> out = new EnumMap<>(MachineParam.class);
    for (MachineParam p : fitted(spec)) {
      Matcher m = START.matcher(spec.sources().get(p));
      if (m.find()) {
        out.put(p, Double.parseDouble(m.group(1)));
      }
    }
    return out;
  }

  /** GPUs of {@code rows} grouped by their fitted figures and values: each group is fitted as one. */
  public static Map<String, Set<String>> families(List<MeasuredGemm> rows, Function<String, MachineSpec> machines) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (MeasuredGemm r : rows) {
      MachineSpec spec = machines.apply(r.gpu());
      StringBuilder key = new StringBuilder();
      for (MachineParam p : fitted(spec)) {
        key.append(p.key()).append('=').append(spec.get(p)).append(';');
      }
      out.computeIfAbsent(key.toString(), k -> new TreeSet<>()).add(r.gpu());
    }
    out.values().removeIf(f -> fitted(machines.apply(f.iterator().next())).isEmpty());
    return out;
  }

  /** Runs the cross-validation over {@code rows}, one source held out at a time. */
  public static Result run(List<MeasuredGemm> rows, Function<String, MachineSpec> machines) {
    return run(rows, machines, ValidationListener.NONE);
  }

  /**
   * As {@link #run(List, Function)}, telling {@code listener} of each source held out (one step
   * each) and of each prediction.
   */
  public static Result run(List<MeasuredGemm> rows, Function<String, MachineSpec> machines,
      ValidationListener listener) {
    Map<String, Set<String>> families = families(rows, machines);
    Set<String> sources = new LinkedHashSet<>();
    rows.forEach(r -> sources.add(source(r)));
    List<Validation.Prediction> held = new ArrayList<>();
    List<Refit> refits = new ArrayList<>();
    int step = 0;
    for (String s : sources) {
      listener.step(++step, sources.size(), "held out " + s);
      List<MeasuredGemm> mine = rows.stream().filter(r -> source(r).equals(s)).toList();
      List<MeasuredGemm> train = rows.stream().filter(r -> !source(r).equals(s)).toList();
      Function<String, MachineSpec> calibrated = machines;
      for (Set<String> family : families.values()) {
        boolean predicted = mine.stream().anyMatch(r -> family.contains(r.gpu()));
        boolean trained = train.stream().anyMatch(r -> family.contains(r.gpu()));
        if (!predicted || !trained) {
          continue; // nothing of this family to predict, or nothing left to fit it on
        }
        MachineSpec spec = machines.apply(family.iterator().next());
        Function<String, MachineSpec> start = refitted(machines, family, starts(spec));
        TimingFit.Result fit = TimingFit.fit(train, start, family, fitted(spec), listener);
        refits.add(new Refit(s, family, fit.values()));
        calibrated = refitted(calibrated, family, fit.values());
      }
      held.addAll(Validation.predict(mine, calibrated, s, listener));
    }
    return new Result(held, refits);
  }

  /**
   * {@code machines} with the refits stored for {@code heldOut} applied to their families (several
   * refits of one family, one figure each as a CSV stores them, all apply).
   */
  public static Function<String, MachineSpec> calibratedWithout(String heldOut, List<Refit> refits,
      Function<String, MachineSpec> machines) {
    Function<String, MachineSpec> out = machines;
    for (Refit r : refits) {
      if (r.heldOut().equals(heldOut)) {
        out = refitted(out, r.family(), r.values());
      }
    }
    return out;
  }

  /** {@code machines} with {@code values} set on the GPUs of {@code family}, the others as they are. */
  private static Function<String, MachineSpec> refitted(Function<String, MachineSpec> machines,
      Set<String> family, Map<MachineParam, Double> values) {
    Function<String, MachineSpec> withFit = TimingFit.with(machines, values);
    return g -> family.contains(g) ? withFit.apply(g) : machines.apply(g);
  }
}

package org.tcsim.studies.whatif;

import org.tcsim.gpu.GemmRecipe;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.KernelDefaults;
import org.tcsim.gpu.Library;
import org.tcsim.gpu.Simulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.quant.KAxis;
import org.tcsim.core.quant.Matrix;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.ScalingRecipe;
import org.tcsim.timing.TimingResult;
import org.tcsim.studies.whatif.ErrorStats;
import org.tcsim.studies.whatif.OperandDistribution;
import org.tcsim.studies.whatif.QuantRecipe;
import org.tcsim.studies.whatif.ReferenceDot;
import org.tcsim.studies.whatif.SimulatedMatmul;
import org.tcsim.studies.whatif.StudyParam;
import org.tcsim.studies.whatif.StudySpec;
import org.tcsim.traces.io.AtomicFiles;
import org.tcsim.traces.trace.ExampleTraces;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.TraceReader;

/**
 * Runs a {@link StudySpec}: every (series value, sweep value) setting over the study's workload,
 * then writes {@code <output>.csv} and the charts ({@code <output>.png}: the error metric, or the
 * predicted time of a timing study; {@code <output>-time.png}: the predicted time of an accuracy
 * study).
 *
 * <p>Accuracy: each GEMM of the workload is generated from the study seed (the same operands for
 * every setting, so settings differ only by the swept choice), computed bit for bit by
 * {@link SimulatedMatmul}, and compared on a seeded sample of elements with the reference of the
 * study ({@link StudySpec.Reference}) computed by {@link ReferenceDot}. A trace workload is
 * measured at m x n with each trace GEMM's own K (the error of an element depends on K and the
 * data, not on M and N) and averaged with FLOP weights; its time is predicted at the trace's full
 * shapes. Time of a generated GEMM is predicted at {@code time_m x time_n x k} (default
 * 4096 x 4096), so that it means a realistic kernel rather than a launch-bound toy.
 */
public final class StudyRunner {

  /** One row of the result. */
  public record Row(String x, String series, Map<String, Double> values, String note) {}

  /** The result of a study and where it was written. */
  public record Outcome(StudySpec spec, List<String> columns, List<Row> rows, Path csv,
      List<Path> charts) {}

  /** One GEMM of a workload. */
  private record Item(String name, int k, long seed, double weight, long tm, long tn, int groups,
      int outBytes, GemmSpec gemm) {}

  private static final List<String> ACCURACY_COLUMNS = List.of("normwise_rel_err",
      "mean_rel_err", "max_rel_err", "median_rel_err", "compared", "non_finite", "time_us", "tflops");
  private static final List<String> TIMING_COLUMNS = List.of("time_us", "tflops");

  private final StudySpec spec;
  private final int threads;
  private final PrintWriter log;

  private StudyRunner(StudySpec spec, int threads, PrintWriter log) {
    this.spec = spec;
    this.threads = threads;
    this.log = log;
  }

  /** Runs the study and writes its CSV and charts into {@code outDir}. */
  public static Outcome run(StudySpec spec, Path outDir, int threads, PrintWriter log)
      throws IOException {
    return new StudyRunner(spec, threads, log).run(outDir);
  }

  private Outcome run(Path outDir) throws IOException {
    List<Item> workload = workload();
    List<String> seriesValues = spec.series() == null ? List.of("") : spec.series().values();
    List<Row> rows = new ArrayList<>();
    boolean accuracy = spec.kind() == StudySpec.Kind.ACCURACY;
    for (String sv : seriesValues) {
      for (String xv : spec.sweep().values()) {
        Map<String, String> p = new LinkedHashMap<>(spec.fixed());
        if (spec.series() != null) {
          p.put(spec.series().param(), sv);
        }
        p.put(spec.sweep().param(), xv);
        long t0 = System.nanoTime();
        Row row;
        try {
          row = accuracy ? accuracy(p, workload, xv, sv) : timing(p, workload, xv, sv);
        } catch (IllegalArgumentException e) {
          // A combination the simulator refuses (e.g. fast accumulation with 1x128 scales) is a
          // row with no figures and the reason, not a silent gap.
          Map<String, Double> nan = new LinkedHashMap<>();
          for (String c : accuracy ? ACCURACY_COLUMNS : TIMING_COLUMNS) {
            nan.put(c, Double.NaN);
          }
          row = new Row(xv, sv, nan, "refused: " + e.getMessage());
        }
        rows.add(row);
        log.printf(Locale.ROOT, "  %s%s=%s: %s (%.1f s)%s%n",
            spec.series() == null ? "" : spec.series().param() + "=" + sv + ", ",
            spec.sweep().param(), xv, summary(row), (System.nanoTime() - t0) / 1e9,
            row.note().isEmpty() ? "" : " " + row.note());
        log.flush();
      }
    }
    List<String> columns = new ArrayList<>();
    columns.add(spec.sweep().param());
    if (spec.series() != null) {
      columns.add(spec.series().param());
    }
    columns.addAll(accuracy ? ACCURACY_COLUMNS : TIMING_COLUMNS);
    columns.add("note");
    Files.createDirectories(outDir);
    Path csv = outDir.resolve(spec.output() + ".csv");
    AtomicFiles.write(csv, w -> w.write(csvText(columns, rows)));
    List<Path> charts = StudyCharts.write(spec, rows, outDir);
    return new Outcome(spec, columns, rows, csv, charts);
  }

  private String summary(Row row) {
    Map<String, Double> v = row.values();
    if (v.containsKey("normwise_rel_err")) {
      return String.format(Locale.ROOT, "%s %.3e, time %.1f us", spec.metric().label(),
          v.get(spec.metric().label()), v.get("time_us"));
    }
    return String.format(Locale.ROOT, "time %.1f us, %.1f TFLOPS", v.get("time_us"),
        v.get("tflops"));
  }

  private String csvText(List<String> columns, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("# tcsim whatif ").append(spec.source()).append(": ").append(spec.title())
        .append('\n');
    if (spec.kind() == StudySpec.Kind.ACCURACY) {
      sb.append("# error against the exact product of the ")
          .append(spec.reference() == StudySpec.Reference.ORIGINAL ? "ORIGINAL FP32 operands "
              + "(quantisation error counts)" : "DEQUANTISED operands (datapath error only)")
          .append("; fixed: ").append(spec.fixed()).append('\n');
    } else {
      sb.append("# predicted time of trace ").append(spec.setting("trace", "")).append(" on ")
          .append(spec.setting("gpu", "h100")).append("; fixed: ").append(spec.fixed())
          .append('\n');
    }
    sb.append(String.join(",", columns)).append('\n');
    for (Row r : rows) {
      List<String> cells = new ArrayList<>();
      cells.add(r.x());
      if (spec.series() != null) {
        cells.add(r.series());
      }
      for (String c : columns.subList(spec.series() == null ? 1 : 2, columns.size() - 1)) {
        cells.add(number(r.values().get(c)));
      }
      cells.add(quote(r.note()));
      sb.append(String.join(",", cells)).append('\n');
    }
    return sb.toString();
  }

  private static String number(Double v) {
    if (v == null || v.isNaN()) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString(v.longValue());
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static String quote(String s) {
    return s.isEmpty() ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
  }

  // ---- workload ---------------------------------------------------------------------------

  private List<Item> workload() throws IOException {
    String trace = spec.settings().get("trace");
    long tm = Long.parseLong(spec.setting("time_m", "4096"));
    long tn = Long.parseLong(spec.setting("time_n", "4096"));
    if (trace == null) {
      return List.of(new Item("gemm", 0, spec.seed(), 1, tm, tn, 1, 2, null));
    }
    boolean kSwept = "k".equals(spec.sweep().param())
        || (spec.series() != null && "k".equals(spec.series().param()))
        || spec.fixed().containsKey("k");
    if (kSwept) {
      throw new IllegalArgumentException(spec.source() + ": k comes from the trace; do not set "
          + "or sweep it");
    }
    List<GemmSpec> gemms;
    if (ExampleTraces.NAMES.contains(trace)) {
      try (TraceReader r = ExampleTraces.open(trace)) {
        gemms = r.stream().toList();
      }
    } else {
      Path file = Path.of(spec.source()).resolveSibling(trace);
      gemms = TraceReader.readAll(Files.exists(file) ? file : Path.of(trace));
    }
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < gemms.size(); i++) {
      GemmSpec g = gemms.get(i);
      items.add(new Item(g.name(), (int) g.k(), spec.seed() + i, g.flops(), g.m(), g.n(),
          g.groups(), g.outFormat().width() / 8, g));
    }
    return items;
  }

  // ---- accuracy ---------------------------------------------------------------------------

  private Row accuracy(Map<String, String> p, List<Item> workload, String xv, String sv) {
    String datapath = spec.datapath();
    BlockFmaParams params = datapathParams(WhatifMachines.fp8(datapath), p);
    KernelDefaults kernels = WhatifMachines.gpu(datapath).kernels(Library.CUBLASLT);
    int mmaK = intParam(p, "mma_k", kernels.mmaK());
    int interval = intParam(p, "promotion_interval", kernels.promotionInterval());
    if (p.containsKey("fast_accum") && StudyParam.bool(p.get("fast_accum"))) {
      interval = 0;
    }
    GemmConfig config = GemmConfig.hopper().withThreads(threads).withMmaK(mmaK)
        .withPromotionInterval(interval).withPromotionRule(kernels.promotionRule());
    QuantRecipe recipe = QuantRecipe.parse(p.getOrDefault("recipe", "tensor"));
    FpFormat element = StudyParam.element(p.getOrDefault("element", "e4m3"));
    int blockSize = p.containsKey("block_size") ? StudyParam.blockSize(p.get("block_size")) : 0;
    if (blockSize != 0) {
      recipe.requireBlockSize(blockSize);
    }
    OperandDistribution.Kind kind = OperandDistribution.Kind.parse(
        p.getOrDefault("distribution", "normal"));
    double fraction = Double.parseDouble(p.getOrDefault("outlier_fraction",
        kind == OperandDistribution.Kind.CHANNEL_OUTLIERS ? "0.01" : "0.001"));
    double scale = Double.parseDouble(p.getOrDefault("outlier_scale", "100"));
    OperandDistribution distA = new OperandDistribution(kind, fraction, scale);
    OperandDistribution distB = new OperandDistribution(
        OperandDistribution.Kind.parse(spec.setting("b_distribution", "normal")), fraction, scale);
    SimulatedMatmul matmul = new SimulatedMatmul(recipe, params,
        WhatifMachines.bf16(datapath), config, blockSize);
    int m = spec.m();
    int n = spec.n();
    double wSum = 0;
    double normwise = 0;
    double meanRel = 0;
    double maxRel = 0;
    double medianRel = 0;
    long compared = 0;
    long nonFinite = 0;
    double timeUs = 0;
    double flops = 0;
    MachineSpec machine = machine(p, datapath);
    for (Item item : workload) {
      int k = item.k() > 0 ? item.k() : intParam(p, "k", 4096);
      Random random = new Random(item.seed());
      Matrix a = distA.generate(m, k, random);
      Matrix b = distB.generate(n, k, random);
      SimulatedMatmul.Product prod = matmul.multiply(a, KAxis.ALONG_ROWS,
          recipe.newQuantiser(element, false, blockSize), b, KAxis.ALONG_ROWS,
          recipe.newQuantiser(element, true, blockSize));
      double[] ra;
      double[] rb;
      int rk;
      if (spec.reference() == StudySpec.Reference.DEQUANTIZED) {
        ra = prod.aValues();
        rb = prod.bValues();
        rk = prod.k();
      } else {
        ra = SimulatedMatmul.values(a, KAxis.ALONG_ROWS, m, k);
        rb = SimulatedMatmul.values(b, KAxis.ALONG_ROWS, n, k);
        rk = k;
      }
      ErrorStats s = compare(prod, ra, rb, rk, item.seed());
      double w = item.weight();
      wSum += w;
      normwise += w * s.normwise();
      meanRel += w * s.meanRelative();
      maxRel = Math.max(maxRel, s.maxRelative());
      medianRel += w * s.medianRelative();
      compared += s.compared();
      nonFinite += s.nonFinite();
      ScalingRecipe timed = timingRecipe(recipe, interval);
      if (timed == null) {
        timeUs = Double.NaN;
      } else {
        MachineSpec mm = promotionCost(machine, timed, interval, mmaK);
        GemmProblem problem = new GemmProblem(item.tm(), item.tn(), k, item.groups(),
            item.outBytes(), timed);
        TimingResult t = GemmTimingModel.predict(mm, problem);
        timeUs += t.microseconds();
        flops += problem.flops();
      }
    }
    Map<String, Double> v = new LinkedHashMap<>();
    v.put("normwise_rel_err", normwise / wSum);
    v.put("mean_rel_err", meanRel / wSum);
    v.put("max_rel_err", maxRel);
    v.put("median_rel_err", medianRel / wSum);
    v.put("compared", (double) compared);
    v.put("non_finite", (double) nonFinite);
    v.put("time_us", timeUs);
    v.put("tflops", flops / (timeUs * 1e-6) / 1e12);
    String note = recipe.highPrecision() ? "no FP8 timing for " + recipe.label() : "";
    return new Row(xv, sv, v, note);
  }

  /** Compares a seeded sample of D (all of it when small) with the reference dot products. */
  private ErrorStats compare(SimulatedMatmul.Product prod, double[] ra, double[] rb, int rk,
      long seed) {
    int m = prod.m();
    int n = prod.n();
    long total = (long) m * n;
    int count = (int) Math.min(total, spec.samples());
    Random pick = new Random(seed * 0x9E3779B97F4A7C15L + 17);
    ErrorStats.Accumulator acc = new ErrorStats.Accumulator();
    float[] d = prod.d();
    for (int e = 0; e < count; e++) {
      int index = count == total ? e : (int) (pick.nextDouble() * total);
      int i = index / n;
      int j = index % n;
      double ref = ReferenceDot.dot(ra, i * rk, 1, rb, j * rk, 1, rk);
      acc.add(d[index], ref);
    }
    return acc.result();
  }

  /** The base datapath with the study's datapath parameters applied. */
  static BlockFmaParams datapathParams(BlockFmaParams base, Map<String, String> p) {
    BlockFmaParams.Builder b = base.toBuilder();
    for (Map.Entry<String, String> e : p.entrySet()) {
      String v = e.getValue();
      switch (e.getKey()) {
        case "accumulator_bits" -> {
          int bits = StudyParam.intIn(v, 1, BlockFmaParams.MAX_ALIGNMENT_BITS);
          b.alignmentBits(bits).normalisedMantissaBits(Math.min(bits,
              base.outputFormat().mantissaBits()));
        }
        case "alignment_bits" -> b.alignmentBits(StudyParam.intIn(v, 0, 40));
        case "normalised_bits" -> b.normalisedMantissaBits(StudyParam.intIn(v, 1, 23));
        case "products_per_step" -> b.productsPerStep(StudyParam.intIn(v, 1, 1024));
        case "rounding" -> b.resultRounding(StudyParam.rounding(v));
        case "alignment" -> b.alignment(StudyParam.alignment(v));
        default -> { }
      }
    }
    return b.build();
  }

  private static int intParam(Map<String, String> p, String key, int fallback) {
    return p.containsKey(key) ? Integer.parseInt(p.get(key).trim()) : fallback;
  }

  /** The timing model's recipe for a numeric recipe; null for the non-FP8 baselines. */
  private static ScalingRecipe timingRecipe(QuantRecipe recipe, int interval) {
    GemmRecipe r = recipe.gemmRecipe();
    return r == null ? null : Simulation.timingRecipe(r, interval);
  }

  /**
   * The timing model promotes once per 128-K block (CUTLASS / DeepGEMM; docs/hardware-facts.md,
   * Library GEMM semantics); promoting
   * every {@code interval} MMAs of {@code mmaK} instead does 128 / (interval * mmaK) times the
   * CUDA-core work per block, which is what {@code promote_ops} is scaled by.
   */
  private static MachineSpec promotionCost(MachineSpec machine, ScalingRecipe recipe,
      int interval, int mmaK) {
    if (interval == 0 || !recipe.promotes(false)) {
      return machine;
    }
    double factor = 128.0 / ((double) interval * mmaK);
    return machine.with(MachineParam.PROMOTE_OPS, machine.get(MachineParam.PROMOTE_OPS) * factor);
  }

  /** The study's machine ({@code gpu} setting) with every machine parameter of the setting. */
  private MachineSpec machine(Map<String, String> p, String fallback) {
    MachineSpec m = WhatifMachines.gpu(spec.setting("gpu", fallback)).requireTiming();
    for (Map.Entry<String, String> e : p.entrySet()) {
      if (StudyParam.isMachineKey(e.getKey())) {
        m = m.with(e.getKey(), Double.parseDouble(e.getValue()));
      }
    }
    return m;
  }

  // ---- timing -----------------------------------------------------------------------------

  private Row timing(Map<String, String> p, List<Item> workload, String xv, String sv) {
    MachineSpec machine = machine(p, "h100");
    Gpu gpu = WhatifMachines.gpu(spec.setting("gpu", "h100"));
    String forced = spec.settings().get("timing_recipe");
    double us = 0;
    double flops = 0;
    for (Item item : workload) {
      ScalingRecipe r = forced != null ? ScalingRecipe.parse(forced)
          : Simulation.of(gpu, item.gemm().workload()).problem().recipe();
      GemmProblem problem = new GemmProblem(item.tm(), item.tn(), item.k(), item.groups(),
          item.outBytes(), r);
      us += GemmTimingModel.predict(machine, problem).microseconds();
      flops += problem.flops();
    }
    Map<String, Double> v = new LinkedHashMap<>();
    v.put("time_us", us);
    v.put("tflops", flops / (us * 1e-6) / 1e12);
    return new Row(xv, sv, v, "");
  }
}

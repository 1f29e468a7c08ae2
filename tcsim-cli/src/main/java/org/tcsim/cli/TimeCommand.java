package org.tcsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tcsim.traces.io.AtomicFiles;
import org.tcsim.reports.Charts;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.KernelConfig;
import org.tcsim.timing.MachineFile;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.ScalingRecipe;
import org.tcsim.timing.TileHeuristic;
import org.tcsim.timing.TimingResult;
import org.tcsim.timing.Unit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tcsim time}: predicts the time of an FP8 GEMM with the cycle-approximate timing model. */
@Command(
    name = "time",
    mixinStandardHelpOptions = true,
    description = {
      "Predict the time of an FP8 or FP4 GEMM with the cycle-approximate model, and what bounds it.",
      "The kernel is a persistent one (the tile search times the best candidates, as a tuned library",
      "does; --tile pins one, --library the library's own tile where the GPU catalogue has one); the",
      "SM clock is the one the power limit allows (power_limit_w). The",
      "report gives TFLOPS, clock, bandwidth, the bound and the utilisation of each unit.",
      "--validate FILE.csv predicts measured GEMMs (columns gpu,recipe,groups,m,n,k,tflops, optional",
      "source, tile, library and machine parameters) and reports the errors and the MAPE.",
      "Machine parameters can be overridden (--set key=value, --set-file) and one swept (--sweep).",
      "One prediction simulates at most 10^9 block steps (groups x tiles x K blocks); a larger problem",
      "is refused up front. Above " + TimeCommand.NOTE_STEPS_TEXT + " steps in all, the count and a",
      "warning that it may take a while are printed to stderr before the run starts."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_BAD_INPUT, ExitCodes.LINE_INTERNAL})
public final class TimeCommand implements Callable<Integer> {

  /**
   * Block steps (in all, over every shape or sweep point) above which the run is announced on
   * stderr before it starts: at a few million steps a second this is tens of seconds or more.
   */
  static final long NOTE_STEPS = 50_000_000L;

  static final String NOTE_STEPS_TEXT = "5x10^7";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--gpu", description = "a GPU with a timing model (tcsim gpus lists them)")
  String gpu;

  @Option(names = "--validate", description = "CSV of measured GEMMs to predict and compare (see above)")
  Path validate;

  @Option(names = "--m", description = "rows of A and D") Long m;
  @Option(names = "--n", description = "columns of B and D") Long n;
  @Option(names = "--k", description = "inner dimension") Long k;
  @Option(names = "--groups", defaultValue = "1", description = "independent GEMMs of this shape (grouped GEMM)")
  int groups;

  @Option(names = {"--recipe", "--scaling"}, defaultValue = "block",
      description = "scaling recipe: tensor, fast-accum, rowwise, block (DeepSeek 1x128/128x128), mxfp8, nvfp4,"
          + " mxfp4 (older names per-tensor, blockwise, and Transformer Engine's recipe names accepted,"
          + " as tcsim gemm takes them); one the GPU cannot run is refused. --scaling is the same option")
  String recipe;

  @Option(names = "--masked-m", split = ",", description = "masked grouped layout (DeepGEMM m-grouped masked):"
      + " the valid rows of each group, comma separated, each at most --m (the expected M the kernel is chosen"
      + " for); the group count is the list's length")
  List<Long> maskedM;
  @Option(names = "--out-bytes", defaultValue = "2", description = "bytes per output element (2 = BF16)")
  int outBytes;

  @Option(names = "--tile", description = "BMxBNxBK per CTA, e.g. 128x128x128 (default: the heuristic's); on B200"
      + " a CTA pair's 256-row tcgen05 tile is 128xBN here") String tile;
  @Option(names = "--library", description = "cublaslt, torch, deepgemm or cutlass: where the GPU catalogue says the"
      + " library runs one tile for the recipe at every shape (cuBLASLt's row-wise and block-scaled kernels on"
      + " sm_90: 128x128), that tile is pinned; otherwise the tile search runs (default: no library, the search)")
  String library;
  @Option(names = "--stages", description = "pipeline stages (default: as many as shared memory holds)")
  Integer stages;
  @Option(names = "--cluster", description = "CTAs per cluster along M x N: 1x1, 2x1 (share B), 1x2 (share A), 2x2 (share both)")
  String cluster;

  @Option(names = "--set", description = "override a machine parameter, key=value (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--set-file", description = "file of key=value lines ('#' comments) overriding parameters")
  Path setFile;

  @Option(names = "--shapes", description = "CSV with columns m,n,k and optionally groups") Path shapes;
  @Option(names = "--sweep", description = "key=start:end:step, sweeps one machine parameter") String sweep;
  @Option(names = "--out", description = "CSV to write (with --shapes or --sweep)") Path out;
  @Option(names = "--chart", description = "PNG chart: TFLOPS over the swept parameter, or predicted against"
      + " measured with --validate") Path chart;
  @Option(names = "--params", description = "print the machine description with sources and exit")
  boolean printParams;
  @Option(names = "--loso", description = "with --validate: leave-one-source-out cross-validation (the figures"
      + " tagged F refitted without each source); writes the refits to this CSV") Path loso;
  @Option(names = "--fit", description = "with --validate: fit the figures tagged F in the machine files to the"
      + " file's rows and print them") boolean fit;
  @Option(names = "--quiet", description = "no progress line on stderr (shown for --validate, --shapes and --sweep"
      + " runs longer than a few seconds)") boolean quiet;

  /** How progress is shown: redrawn in place on a terminal, plain lines in a log, or not at all. */
  private TimeProgress progress() {
    return TimeProgress.start(spec.commandLine().getErr(), ReplayProgress.Mode.forStderr(quiet));
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    if (validate != null) {
      if (gpu != null || m != null || n != null || k != null || shapes != null || sweep != null) {
        throw new IllegalArgumentException("--validate takes the GPU and shapes from its file; drop --gpu, --m/--n/--k,"
            + " --shapes and --sweep");
      }
      TimeValidation v = new TimeValidation(this::machineFor, stdout, this::progress);
      if (fit) {
        return v.fit(validate);
      }
      return loso != null ? v.loso(validate, loso) : v.run(validate, out, chart);
    }
    if (loso != null || fit) {
      throw new IllegalArgumentException("--loso and --fit need --validate FILE.csv");
    }
    if (gpu == null) {
      throw new IllegalArgumentException("give --gpu (or --validate FILE.csv)");
    }
    MachineSpec machine = machineFor(gpu);
    if (printParams) {
      for (MachineParam p : MachineParam.values()) {
        stdout.printf(Locale.ROOT, "%-18s %12.6g %-12s %s%n", p.key(), machine.get(p), p.unit(),
            machine.sources().get(p));
      }
      stdout.flush();
      return 0;
    }
    ScalingRecipe scaling = ScalingRecipe.parse(recipe);
    if (library != null && tile == null) {
      java.util.Optional<String> libraryTile = TimeValidation.CATALOGUE_TILES.tile(gpu, library, scaling);
      if (libraryTile.isPresent()) {
        tile = libraryTile.get();
        stdout.printf(Locale.ROOT, "tile %s: %s on %s runs it for %s at every shape (GPU catalogue)%n", tile,
            library, gpu, scaling.label());
      }
    }
    if (shapes != null) {
      if (sweep != null || m != null || n != null || k != null || maskedM != null) {
        throw new IllegalArgumentException("--shapes cannot be combined with --m/--n/--k, --masked-m or --sweep");
      }
      if (out == null) {
        throw new IllegalArgumentException("--shapes needs --out FILE.csv");
      }
      return runShapes(machine, scaling, stdout);
    }
    if (m == null || n == null || k == null) {
      throw new IllegalArgumentException("give --m, --n and --k, or --shapes FILE.csv");
    }
    GemmProblem problem = maskedProblem(scaling);
    if (sweep != null) {
      return runSweep(machine, problem, stdout);
    }
    scaling.requireSupported(machine);
    KernelConfig c = config(machine, problem);
    announce(GemmTimingModel.requireSimulable(problem, c), "1 prediction");
    TimingResult r = time(machine, problem, c);
    printBreakdown(stdout, machine, r);
    return 0;
  }

  /** The problem from --m/--n/--k, with --masked-m the masked grouped layout. */
  private GemmProblem maskedProblem(ScalingRecipe scaling) {
    if (maskedM == null) {
      return new GemmProblem(m, n, k, groups, outBytes, scaling);
    }
    if (groups != 1 && groups != maskedM.size()) {
      throw new IllegalArgumentException("--groups " + groups + " disagrees with the " + maskedM.size()
          + " entries of --masked-m (drop --groups: the list gives one entry per group)");
    }
    return GemmProblem.masked(m, n, k, maskedM, outBytes, scaling);
  }

  /** True if the user pinned any part of the launch (--tile, --stages, --cluster). */
  private boolean pinned() {
    return tile != null || stages != null || cluster != null;
  }

  /** {@code config} if the launch is pinned, else the tile search's best kernel. */
  private TimingResult time(MachineSpec machine, GemmProblem problem, KernelConfig config) {
    return pinned() ? GemmTimingModel.predict(machine, problem, config) : GemmTimingModel.predict(machine, problem);
  }

  /** The named GPU's description with --set-file and --set applied. */
  MachineSpec machineFor(String name) {
    MachineSpec machine = org.tcsim.gpu.GpuCatalog.byName(name).requireTiming();
    if (setFile != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(setFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(InputErrors.cannotRead("--set-file " + setFile, e));
      }
      machine = MachineFile.apply(machine, lines, setFile.toString());
    }
    for (String s : sets) {
      machine = machine.withAssignment(s);
    }
    return machine;
  }

  /** The pinned launch, or (for the step count only) the wave rule's pick. */
  private KernelConfig config(MachineSpec machine, GemmProblem problem) {
    int[] clusterShape = cluster == null ? null : parseCluster(cluster);
    if (tile == null) {
      if (stages == null && clusterShape == null) {
        return TileHeuristic.choose(machine, problem);
      }
      KernelConfig h = TileHeuristic.choose(machine, problem);
      return TileHeuristic.complete(machine, problem, h.blockM(), h.blockN(), h.blockK(),
          stages, clusterShape == null ? new int[] {h.clusterM(), h.clusterN()} : clusterShape);
    }
    String[] parts = tile.toLowerCase(Locale.ROOT).split("x");
    if (parts.length != 3 && parts.length != 2) {
      throw new IllegalArgumentException("--tile must be BMxBNxBK or BMxBN, e.g. 128x128x128: '" + tile + "'");
    }
    int[] t = new int[3];
    t[2] = TileHeuristic.blockK(problem.recipe());
    for (int i = 0; i < parts.length; i++) {
      try {
        t[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--tile must be BMxBNxBK, e.g. 128x128x128: '" + tile + "'");
      }
    }
    return TileHeuristic.complete(machine, problem, t[0], t[1], t[2], stages, clusterShape);
  }

  private static int[] parseCluster(String text) {
    String[] parts = text.toLowerCase(Locale.ROOT).split("x");
    try {
      if (parts.length == 2) {
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("--cluster must be MxN, e.g. 2x1: '" + text + "'");
  }

  private int runShapes(MachineSpec machine, ScalingRecipe scaling, PrintWriter stdout) throws IOException {
    List<ShapesCsv.Shape> rows = ShapesCsv.read(shapes);
    // Every prediction first, so that a bad row leaves the old output file untouched.
    List<String> lines = new ArrayList<>();
    List<GemmProblem> problems = new ArrayList<>();
    List<KernelConfig> configs = new ArrayList<>();
    long steps = 0;
    for (ShapesCsv.Shape s : rows) {
      try {
        GemmProblem problem = new GemmProblem(s.m(), s.n(), s.k(), s.groups(), outBytes, scaling);
        scaling.requireSupported(machine);
        KernelConfig c = config(machine, problem);
        problems.add(problem);
        configs.add(c);
        steps = saturatingAdd(steps, GemmTimingModel.requireSimulable(problem, c));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(shapes + " line " + s.line() + ": " + e.getMessage());
      }
    }
    announce(steps, rows.size() + " shape(s)");
    List<TimingResult> results = new ArrayList<>();
    try (TimeProgress progress = progress()) {
      progress.predicting(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        try {
          results.add(time(machine, problems.get(i), configs.get(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(shapes + " line " + rows.get(i).line() + ": " + e.getMessage());
        }
        progress.predicted();
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      ShapesCsv.Shape s = rows.get(i);
      TimingResult r = results.get(i);
      lines.add(String.format(Locale.ROOT, "%d,%d,%d,%d,%.3f,%.1f,%.0f,%s,%s,%d,%s,%d,%.3f,%.3f,%.3f,%.3f,%.3f%n",
          s.m(), s.n(), s.k(), s.groups(), r.microseconds(), r.tflops(), r.minimumBytesGBps(), r.bound().label(),
          r.config().tileText(), r.config().stages(), r.config().clusterText(), r.waves(),
          r.utilisation().get(Unit.MMA), r.utilisation().get(Unit.CUDA_CORES), r.utilisation().get(Unit.L2),
          r.utilisation().get(Unit.HBM), r.clockGhz()));
    }
    AtomicFiles.write(out, w -> {
      w.write("m,n,k,groups,us,tflops,gbps,bound,tile,stages,cluster,waves,mma_util,cuda_util,l2_util,hbm_util,"
          + "clock_ghz\n");
      for (String line : lines) {
        w.write(line);
      }
    });
    stdout.printf(Locale.ROOT, "wrote %d rows to %s%n", rows.size(), out);
    stdout.flush();
    return 0;
  }

  private int runSweep(MachineSpec machine, GemmProblem problem, PrintWriter stdout) throws IOException {
    int eq = sweep.indexOf('=');
    String[] range = eq < 0 ? new String[0] : sweep.substring(eq + 1).split(":");
    if (eq <= 0 || range.length != 3) {
      throw new IllegalArgumentException("--sweep must be key=start:end:step, e.g. sms=66:198:22: '" + sweep + "'");
    }
    MachineParam param = MachineParam.byKey(sweep.substring(0, eq));
    double start;
    double end;
    double step;
    try {
      start = Double.parseDouble(range[0]);
      end = Double.parseDouble(range[1]);
      step = Double.parseDouble(range[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--sweep range must be numbers start:end:step: '" + sweep + "'");
    }
    if (!(step > 0) || end < start || (end - start) / step > 10_000) {
      throw new IllegalArgumentException("--sweep needs start <= end and a positive step giving at most 10000 points: '"
          + sweep + "'");
    }
    List<double[]> points = new ArrayList<>();
    List<TimingResult> results = new ArrayList<>();
    long count = Math.round(Math.floor((end - start) / step + 1e-9)) + 1;
    List<MachineSpec> variants = new ArrayList<>();
    List<KernelConfig> configs = new ArrayList<>();
    long steps = 0;
    problem.recipe().requireSupported(machine);
    for (long i = 0; i < count; i++) {
      MachineSpec variant = machine.with(param, start + i * step);
      KernelConfig c = config(variant, problem);
      variants.add(variant);
      configs.add(c);
      steps = saturatingAdd(steps, GemmTimingModel.requireSimulable(problem, c));
    }
    announce(steps, count + " sweep point(s)");
    try (TimeProgress progress = progress()) {
      progress.predicting((int) count);
      for (int i = 0; i < count; i++) {
        double v = start + i * step;
        MachineSpec variant = variants.get(i);
        TimingResult r = time(variant, problem, configs.get(i));
        points.add(new double[] {v, r.tflops()});
        results.add(r);
        progress.predicted();
      }
    }
    StringBuilder csv = new StringBuilder(param.key()
        + ",us,tflops,gbps,bound,tile,stages,cluster,waves,mma_util,cuda_util,l2_util,hbm_util\n");
    for (int i = 0; i < results.size(); i++) {
      TimingResult r = results.get(i);
      csv.append(String.format(Locale.ROOT, "%s,%.3f,%.1f,%.0f,%s,%s,%d,%s,%d,%.3f,%.3f,%.3f,%.3f%n",
          number(points.get(i)[0]), r.microseconds(), r.tflops(), r.minimumBytesGBps(), r.bound().label(),
          r.config().tileText(), r.config().stages(), r.config().clusterText(), r.waves(),
          r.utilisation().get(Unit.MMA), r.utilisation().get(Unit.CUDA_CORES), r.utilisation().get(Unit.L2),
          r.utilisation().get(Unit.HBM)));
    }
    if (out != null) {
      AtomicFiles.write(out, w -> w.write(csv.toString()));
      stdout.printf(Locale.ROOT, "wrote %d rows to %s%n", results.size(), out);
    } else {
      stdout.print(csv);
    }
    if (chart != null) {
      byte[] png = Charts.lines(machine.name() + " " + problem.m() + "x" + problem.n() + "x" + problem.k(),
          param.key() + " (" + param.unit() + ")", "TFLOPS", Map.of("predicted TFLOPS", points), false);
      AtomicFiles.writeBytes(chart, o -> o.write(png));
      stdout.println("wrote chart " + chart);
    }
    stdout.flush();
    return 0;
  }

  /**
   * Tells stderr, before a long run starts, how many block steps it will simulate. (Each single
   * prediction over {@link GemmTimingModel#MAX_BLOCK_STEPS} is refused by the model itself.)
   */
  private void announce(long steps, String what) {
    if (steps > NOTE_STEPS) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(Locale.ROOT, "tcsim time: %s: %s block steps to simulate (%.1e; one prediction"
          + " may have at most %.0e); this may take minutes%n", what,
          steps == Long.MAX_VALUE ? "more than 2^63" : Long.toString(steps), (double) steps,
          (double) GemmTimingModel.MAX_BLOCK_STEPS);
      err.flush();
    }
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static void printBreakdown(PrintWriter o, MachineSpec machine, TimingResult r) {
    GemmProblem p = r.problem();
    KernelConfig c = r.config();
    // The FP4 peak beside FP8's when the GPU has FP4 MMAs, so an FP4 recipe's peak is on the line.
    double fp4Peak = machine.peakFp4Tflops();
    o.printf(Locale.ROOT, "gpu %s (%d SMs, %s, peak %.0f FP8%s TFLOPS, HBM %.2f TB/s, %.0f W)%n", machine.name(),
        machine.getInt(MachineParam.SMS), GpusCommand.clockText(machine), machine.peakTflops(),
        fp4Peak > 0 ? String.format(Locale.ROOT, " / %.0f FP4", fp4Peak) : "",
        machine.get(MachineParam.HBM_TBPS), machine.get(MachineParam.POWER_LIMIT_W));
    o.printf(Locale.ROOT, "gemm %dx%dx%d x %d group(s), recipe %s%s%n", p.m(), p.n(), p.k(), p.groups(),
        p.recipe().label(), p.isMasked() ? String.format(Locale.ROOT, ", masked layout: %.0f valid rows of %d",
            p.totalRows(), p.m() * p.groups()) : "");
    double peakNow = machine.getInt(MachineParam.SMS) * r.clockGhz() * 1e9
        * GemmTimingModel.mmaFlopsPerClock(machine, p.recipe()) / 1e12;
    o.printf(Locale.ROOT, "clock %.3f GHz sustained at %.0f W (peak %.0f TFLOPS at that clock)%n", r.clockGhz(),
        r.watts(), peakNow);
    o.printf(Locale.ROOT, "kernel tile %s, %d stages, cluster %s, %d math warpgroup(s)%s%n", c.tileText(), c.stages(),
        c.clusterText(), c.mathWarpgroups(), c.splitK() > 1 ? ", split-K " + c.splitK() : "");
    o.printf(Locale.ROOT, "waves %d over %d CTAs (%d tiles, last wave %d tiles, wave efficiency %.1f%%)%n",
        r.waves(), r.ctas(), r.tiles(), r.lastWaveTiles(), 100 * r.waveEfficiency());
    o.printf(Locale.ROOT, "time %.2f us  %.1f TFLOPS  %.0f GB/s (minimum bytes)  %.0f GB/s HBM%n", r.microseconds(),
        r.tflops(), r.minimumBytesGBps(), r.hbmGBps());
    o.printf(Locale.ROOT, "bound %s%n", r.bound().label());
    o.println("unit          utilisation  alone (us)");
    for (Unit u : Unit.values()) {
      o.printf(Locale.ROOT, "%-12s %10.1f%% %11.2f%n", u.label(), 100 * r.utilisation().get(u),
          r.idealMicroseconds().get(u));
    }
    o.printf(Locale.ROOT, "bytes: HBM %.1f MB, L2->SM %.1f MB%n", r.hbmBytes() / 1e6, r.l2Bytes() / 1e6);
    o.flush();
  }
}

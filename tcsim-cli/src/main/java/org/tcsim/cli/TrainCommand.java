package org.tcsim.cli;

import org.tcsim.gpu.GpuCatalog;
import org.tcsim.core.format.FpFormat;
import org.tcsim.gpu.Gpu;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.studies.train.MixtureTask;
import org.tcsim.studies.train.TrainConfig;
import org.tcsim.studies.train.TrainRecipe;
import org.tcsim.studies.train.TrainResult;
import org.tcsim.studies.train.Trainer;
import org.tcsim.traces.io.AtomicFiles;
import org.tcsim.reports.Charts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tcsim train}: trains a small MLP with every GEMM on the simulated tensor cores under one
 * or more recipes, and writes the loss curves.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {
        "Train a two-layer MLP (64 -> hidden -> 10, ReLU, Adam, FP32 master weights) on a seeded "
            + "Gaussian-mixture task with outlier channels; every forward and backward GEMM runs "
            + "bit for bit through the simulated tensor cores under the recipe. Several recipes "
            + "(comma separated) are trained from the same seed and drawn on one chart.",
        "Example: tcsim train --recipe fp32,bf16,tensor-delayed,mxfp8 --steps 300 --out loss.csv "
            + "--chart loss.png"},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_BAD_INPUT, ExitCodes.LINE_INTERNAL})
public final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--recipe", required = true, split = ",",
      description = "recipes, comma separated: " + TrainRecipe.NAMES)
  List<String> recipes;

  @Option(names = "--steps", defaultValue = "300", description = "optimizer steps (default ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--seed", defaultValue = "1", description = "seed of task, weights and batches")
  long seed;

  @Option(names = "--batch", defaultValue = "128", description = "batch size (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--hidden", defaultValue = "128", description = "hidden units (default ${DEFAULT-VALUE})")
  int hidden;

  @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate (default ${DEFAULT-VALUE})")
  float lr;

  @Option(names = "--gpu", description = "datapath: h100 or b200 (default: h100, b200 for MX recipes, "
      + "whose block scales need Blackwell's block-scaled MMA)")
  String gpu;

  @Option(names = "--threads", description = "GEMM worker threads (default: all processors)")
  Integer threads;

  @Option(names = "--out", paramLabel = "FILE", description = "CSV of step, loss per recipe")
  Path out;

  @Option(names = "--chart", paramLabel = "FILE", description = "PNG of the loss curves")
  Path chart;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    List<TrainRecipe> parsed = new ArrayList<>();
    for (String r : recipes) {
      parsed.add(TrainRecipe.parse(r));
    }
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    MixtureTask task = MixtureTask.standard(seed);
    Map<String, TrainResult> results = new LinkedHashMap<>();
    for (TrainRecipe r : parsed) {
      Gpu g = GpuCatalog.byName(gpu != null ? gpu
          : r.numerics().scalesInMma() ? "b200" : "h100");
      BlockFmaParams fp8 = datapath(g, FpFormat.E4M3);
      BlockFmaParams bf16 = datapath(g, FpFormat.BF16);
      TrainConfig cfg = new TrainConfig(r, task, steps, batch, hidden, lr, seed, fp8, bf16, t);
      long t0 = System.nanoTime();
      TrainResult res = Trainer.train(cfg);
      results.put(r.name(), res);
      float[] l = res.losses();
      stdout.printf(Locale.ROOT, "%-18s on %s: loss %.4f -> %.4f (mean of last 20 %.4f), held-out "
              + "loss %.4f, accuracy %.1f%% (%.1f s)%n", r.name(), g, l[0], l[l.length - 1],
          res.tailLoss(20), res.evalLoss(), 100 * res.evalAccuracy(),
          (System.nanoTime() - t0) / 1e9);
      stdout.flush();
    }
    if (out != null) {
      StringBuilder sb = new StringBuilder("# tcsim train: MLP 64-" + hidden + "-10, batch "
          + batch + ", Adam lr " + lr + ", seed " + seed + "; batch loss before each step\n");
      sb.append("step");
      results.keySet().forEach(n -> sb.append(',').append(n));
      sb.append('\n');
      for (int s = 0; s < steps; s++) {
        sb.append(s);
        for (TrainResult res : results.values()) {
          sb.append(',').append(res.losses()[s]);
        }
        sb.append('\n');
      }
      sb.append("# held-out loss");
      results.values().forEach(res -> sb.append(',').append(res.evalLoss()));
      sb.append("\n# held-out accuracy");
      results.values().forEach(res -> sb.append(',').append(res.evalAccuracy()));
      sb.append('\n');
      AtomicFiles.write(out, w -> w.write(sb.toString()));
      stdout.println("wrote " + out);
    }
    if (chart != null) {
      Map<String, List<double[]>> series = new LinkedHashMap<>();
      results.forEach((name, res) -> {
        List<double[]> pts = new ArrayList<>();
        float[] l = res.losses();
        // A 10-step moving average: batch losses are noisy, the recipes differ by less.
        for (int s = 0; s < l.length; s++) {
          double sum = 0;
          int from = Math.max(0, s - 9);
          for (int i = from; i <= s; i++) {
            sum += l[i];
          }
          pts.add(new double[] {s, sum / (s - from + 1)});
        }
        series.put(name, pts);
      });
      byte[] png = Charts.lines("MLP training loss (10-step moving average), seed " + seed,
          "step", "cross-entropy", series, false, true);
      AtomicFiles.writeBytes(chart, o -> o.write(png));
      stdout.println("wrote " + chart);
    }
    stdout.flush();
    return 0;
  }

  /** The GPU's {@code f} into FP32 datapath; a GPU without one is an input error. */
  private static BlockFmaParams datapath(Gpu g, FpFormat f) {
    return g.tensorCore().preset(f, f, FpFormat.FP32).orElseThrow(() ->
        new IllegalArgumentException("--gpu " + g.id() + " has no " + f.shortName()
            + " into fp32 datapath")).params();
  }
}

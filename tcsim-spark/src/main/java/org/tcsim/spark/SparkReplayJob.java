package org.tcsim.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.tcsim.cli.Main;

/**
 * The job jar's main class, for {@code spark-submit}:
 *
 * <pre>
 * spark-submit --class org.tcsim.spark.SparkReplayJob tcsim-spark/target/tcsim-spark.jar \
 *     TRACE [--golden DIR] [--report DIR] [--json FILE] [other tcsim replay options]
 * </pre>
 *
 * It is {@code tcsim replay TRACE ... --spark MASTER} with the master spark-submit was given:
 * the same table, totals, HTML report and JSON, and the same exit status (0 replayed, 1 a golden
 * comparison failed, 2 bad input).
 */
public final class SparkReplayJob {
  private SparkReplayJob() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the replay and returns its exit status. */
  static int run(String[] args) {
    String master = new SparkConf().get("spark.master", "local[*]");
    List<String> line = new ArrayList<>();
    line.add("replay");
    line.addAll(List.of(args));
    line.add("--spark");
    line.add(master);
    return Main.execute(line.toArray(String[]::new));
  }
}

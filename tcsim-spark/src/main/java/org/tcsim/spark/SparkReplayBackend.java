package org.tcsim.spark;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.tcsim.replay.ReplayBackend;
import org.tcsim.replay.ReplayResult;
import org.tcsim.replay.ReplayTotals;

/**
 * {@code tcsim replay TRACE --spark MASTER}: the {@link ReplayBackend} called {@code spark},
 * registered in {@code META-INF/services} so that the command line finds it when this module is
 * on the class path and never depends on Spark itself. Uses the running SparkContext when there
 * is one (spark-submit, a notebook), else starts one on {@code MASTER} and stops it afterwards.
 */
public final class SparkReplayBackend implements ReplayBackend {

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public ReplayTotals run(Request request, Consumer<ReplayResult> sink, Progress progress)
      throws IOException {
    SparkReplay.TraceText trace = SparkReplay.TraceText.of(request.specs(), request.trace(),
        request.options().traceDir());
    // SparkContext.getActive is package-private in Scala, public in the bytecode of its object.
    boolean mine = SparkContext$.MODULE$.getActive().isEmpty();
    if (mine) {
      quietLogs();
    }
    SparkContext context = start(new SparkConf()
        .setIfMissing("spark.master", request.master()).setIfMissing("spark.app.name",
            "tcsim replay " + trace.source()).set("spark.ui.showConsoleProgress", "false"));
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(context);
      return new SparkReplay(sc, SparkReplay.Settings.defaults()).run(trace, request.golden(),
          request.options(), sink, progress);
    } finally {
      if (mine) {
        context.stop();
      }
    }
  }

  /** The running context, or a new one; a master Spark cannot use is a usage error. */
  private static SparkContext start(SparkConf conf) {
    try {
      return SparkContext.getOrCreate(conf);
    } catch (Exception e) {
      // SparkException is checked in Java's eyes but thrown unchecked by Scala code.
      if (e instanceof SparkException) {
        throw new IllegalArgumentException("--spark " + conf.get("spark.master") + ": "
            + e.getMessage(), e);
      }
      throw e;
    }
  }

  /**
   * Spark logs every stage at INFO on stderr; a replay started from the command line shows its
   * own table and bar instead, so Spark's warnings only, unless the user configured logging.
   */
  private static void quietLogs() {
    if (System.getProperty("log4j2.configurationFile") == null
        && System.getProperty("log4j.configurationFile") == null) {
      java.net.URL quiet = SparkReplayBackend.class.getResource("log4j2-quiet.properties");
      if (quiet != null) {
        System.setProperty("log4j2.configurationFile", quiet.toString());
      }
    }
  }
}

package org.tcsim.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** An embedded Spark for one test class: {@code local[2,2]}, two threads, a task may fail once. */
final class LocalSpark {
  private LocalSpark() {}

  static JavaSparkContext start(String name) {
    SparkConf conf = new SparkConf().setMaster("local[2,2]").setAppName(name)
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1").set("spark.ui.showConsoleProgress", "false");
    return new JavaSparkContext(conf);
  }
}

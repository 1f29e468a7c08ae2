package org.tcsim.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * What every executor needs to compute any band of a replay, sent once per executor as a Spark
 * broadcast: the trace as text (parsed again there, by the same reader, into the same specs),
 * where its relative data paths point, the golden folder and the replay settings. Operands are
 * never in it: executors build them from seeds or read them from files.
 *
 * @param id a fresh id per replay, keying the executors' caches
 * @param traceText the trace file's text
 * @param traceSource the trace's name in error messages
 * @param traceDir what relative {@code .npy} paths are relative to: a local folder, or a Hadoop
 *     file system URI
 * @param goldenDir the golden GEMM folder (a path every executor sees), or null
 * @param gpu replay every GEMM on this GPU (null: the trace's)
 * @param accuracySample elements per GEMM compared with the exact product
 * @param rowLimit rows of D computed per product (0: all)
 * @param bandRows rows per band (0: the local replay's default)
 * @param hadoopConf the driver's Hadoop settings, for reading data files on HDFS, S3, ...
 */
record ReplayJob(String id, String traceText, String traceSource, String traceDir,
    String goldenDir, String gpu, int accuracySample, int rowLimit, int bandRows,
    Map<String, String> hadoopConf) implements Serializable {
  private static final long serialVersionUID = 1L;

  ReplayJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(traceText, "traceText");
    Objects.requireNonNull(traceSource, "traceSource");
    Objects.requireNonNull(traceDir, "traceDir");
    hadoopConf = Map.copyOf(hadoopConf);
  }
}

package org.tcsim.spark;

import java.util.BitSet;
import java.util.Locale;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.tcsim.replay.ReplayBackend;

/**
 * Turns Spark's task events for one replay job into progress in multiply-adds: a partition
 * counts when a task for it succeeds, once, however many attempts (a retry after a failure, a
 * speculative copy) it took. Failed attempts are counted apart, for the message.
 */
final class ProgressListener extends SparkListener {
  private final String jobGroup;
  private final long[] unitsPerPartition;
  private final ReplayBackend.Progress progress;
  private final BitSet done = new BitSet();
  private volatile int stageId = -1;
  private int failedAttempts;

  ProgressListener(String jobGroup, long[] unitsPerPartition, ReplayBackend.Progress progress) {
    this.jobGroup = jobGroup;
    this.unitsPerPartition = unitsPerPartition.clone();
    this.progress = progress;
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    if (start.properties() != null
        && jobGroup.equals(start.properties().getProperty("spark.jobGroup.id"))
        && start.stageIds().nonEmpty()) {
      stageId = (Integer) start.stageIds().head();
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.stageId() != stageId) {
      return;
    }
    int partition = end.taskInfo().index();
    long units = 0;
    synchronized (this) {
      if (!end.taskInfo().successful()) {
        failedAttempts++;
      } else if (!done.get(partition)) {
        done.set(partition);
        units = unitsPerPartition[partition];
      }
    }
    progress.advance(units, message());
  }

  private synchronized String message() {
    return String.format(Locale.ROOT, "%d/%d tasks%s", done.cardinality(),
        unitsPerPartition.length, failedAttempts == 0 ? "" : ", " + failedAttempts + " retried");
  }

  /** Failed task attempts seen (each retried by Spark). */
  synchronized int failedAttempts() {
    return failedAttempts;
  }

  /** Partitions finished. */
  synchronized int partitionsDone() {
    return done.cardinality();
  }
}

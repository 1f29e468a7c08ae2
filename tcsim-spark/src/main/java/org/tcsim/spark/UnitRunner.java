package org.tcsim.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * The task body: computes the units of one partition, in order, on the executor, from the
 * broadcast {@link ReplayJob}. A task that dies is run again by Spark and only the successful
 * attempt's outcomes reach the driver, so every unit is counted once.
 */
class UnitRunner implements Function<List<Unit>, List<Outcome>> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<ReplayJob> job;

  UnitRunner(Broadcast<ReplayJob> job) {
    this.job = job;
  }

  @Override
  public List<Outcome> call(List<Unit> units) {
    ExecutorState state = ExecutorState.of(job.value());
    List<Outcome> out = new ArrayList<>(units.size());
    for (Unit u : units) {
      out.add(state.run(u));
    }
    return out;
  }
}

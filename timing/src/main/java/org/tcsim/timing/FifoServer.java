package org.tcsim.timing;

/**
 * A resource that serves one request at a time, first come first served, at a fixed rate: the
 * shared HBM or L2 of a GPU, one SM's tensor cores, its CUDA cores. A request arriving at time
 * {@code t} for {@code work} units starts when the server is free and occupies it for
 * {@code work / rate}. Requests must arrive in time order, which the {@link EventQueue} guarantees.
 */
public final class FifoServer {
  private final double ratePerCycle;
  private double freeAt;
  private double busy;
  private double work;

  /** A server doing {@code ratePerCycle} units of work (bytes, FLOPs, cycles) per cycle. */
  public FifoServer(double ratePerCycle) {
    if (!(ratePerCycle > 0) || Double.isInfinite(ratePerCycle)) {
      throw new IllegalArgumentException("rate must be positive and finite: " + ratePerCycle);
    }
    this.ratePerCycle = ratePerCycle;
  }

  /** Serves {@code amount} units arriving at {@code arrival}; returns the time service ends. */
  public double serve(double arrival, double amount) {
    double start = Math.max(arrival, freeAt);
    double duration = amount / ratePerCycle;
    freeAt = start + duration;
    busy += duration;
    work += amount;
    return freeAt;
  }

  /** Total time spent serving. */
  public double busyCycles() {
    return busy;
  }

  /** Total units served. */
  public double work() {
    return work;
  }

  /** The time the last accepted request finishes. */
  public double freeAt() {
    return freeAt;
  }
}

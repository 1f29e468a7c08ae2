package org.tcsim.timing;

import java.util.Arrays;

/**
 * The discrete-event engine: a time-ordered queue of events, each fired at its time. Ties fire in
 * the order they were scheduled, so a simulation is deterministic.
 *
 * <p>Kept as a hand-written binary heap over parallel primitive arrays because a GEMM model fires a
 * million events and {@link java.util.PriorityQueue} of boxed entries would dominate its run time.
 */
public final class EventQueue {

  /** Something that happens at a point in simulated time. */
  @FunctionalInterface
  public interface Event {
    /** Runs the event; {@code now} is its scheduled time. It may schedule further events. */
    void fire(double now);
  }

  private double[] times = new double[64];
  private long[] order = new long[64];
  private Event[] events = new Event[64];
  private int size;
  private long scheduled;
  private long fired;
  private double now;

  /** Schedules {@code event} at {@code time}; times before the current time are an error. */
  public void schedule(double time, Event event) {
    if (!(time >= now)) {
      throw new IllegalArgumentException("event at " + time + " is before the current time " + now);
    }
    if (size == times.length) {
      int grown = size * 2;
      times = Arrays.copyOf(times, grown);
      order = Arrays.copyOf(order, grown);
      events = Arrays.copyOf(events, grown);
    }
    int i = size++;
    long seq = scheduled++;
    // Sift up.
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(time, seq, times[parent], order[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    times[i] = time;
    order[i] = seq;
    events[i] = event;
  }

  /** Fires events in time order until none is left; returns the time of the last one. */
  public double run() {
    while (size > 0) {
      double time = times[0];
      Event event = events[0];
      removeHead();
      now = time;
      fired++;
      event.fire(time);
    }
    return now;
  }

  /** The time of the event being fired, or of the last one fired. */
  public double now() {
    return now;
  }

  /** How many events have fired so far. */
  public long firedCount() {
    return fired;
  }

  private void removeHead() {
    int last = --size;
    double time = times[last];
    long seq = order[last];
    Event event = events[last];
    events[last] = null;
    if (last == 0) {
      return;
    }
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= last) {
        break;
      }
      if (child + 1 < last && before(times[child + 1], order[child + 1], times[child], order[child])) {
        child++;
      }
      if (!before(times[child], order[child], time, seq)) {
        break;
      }
      move(child, i);
      i = child;
    }
    times[i] = time;
    order[i] = seq;
    events[i] = event;
  }

  private void move(int from, int to) {
    times[to] = times[from];
    order[to] = order[from];
    events[to] = events[from];
  }

  private static boolean before(double t1, long s1, double t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }
}

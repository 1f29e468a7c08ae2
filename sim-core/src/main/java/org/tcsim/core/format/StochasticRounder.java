package org.tcsim.core.format;

import java.util.SplittableRandom;

/**
 * Seeded, reproducible stochastic rounding: the same seed and the same sequence of values give the
 * same codes on every run and machine. Each conversion draws 32 random bits (see
 * {@link FpFormat#encodeStochastic}). Not thread-safe: give each thread its own rounder, seeded
 * from its position in the work, so that results do not depend on scheduling.
 */
public final class StochasticRounder {
  private final SplittableRandom random;

  public StochasticRounder(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public int encode(FpFormat format, double value, Overflow overflow) {
    return format.encodeStochastic(value, overflow, random.nextInt());
  }
}

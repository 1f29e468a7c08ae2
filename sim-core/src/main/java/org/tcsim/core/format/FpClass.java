package org.tcsim.core.format;

/** The class of a floating-point datum, as IEEE 754 classifies it. */
public enum FpClass {
  ZERO,
  SUBNORMAL,
  NORMAL,
  INFINITE,
  NAN;

  public boolean isFinite() {
    return this != INFINITE && this != NAN;
  }
}

package org.tcsim.traces.golden;

/** Why a golden row was not compared. Every skip is counted and reported, never silent. */
public enum SkipReason {
  /** The GPU's model has no datapath for the row's combination of formats. */
  NO_PRESET,
  /** The datapath is a known open question (FP8 in, FP16 out); compared only with --all. */
  OPEN_QUESTION
}

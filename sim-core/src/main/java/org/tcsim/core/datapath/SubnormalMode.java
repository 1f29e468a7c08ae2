package org.tcsim.core.datapath;

/** What a datapath does with subnormal numbers at its input or output. */
public enum SubnormalMode {
  /**
   * Subnormals are kept and computed with exactly (NVIDIA tensor cores; docs/hardware-facts.md,
   * Special values).
   */
  KEEP,
  /** Subnormals are flushed to (signed) zero. */
  FLUSH_TO_ZERO
}

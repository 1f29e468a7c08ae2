package org.tcsim.core.datapath;

/** How far a datapath preset is known to agree with real hardware. */
public enum Evidence {
  /** Reproduces every golden hardware sample of its kind shipped with tcsim, bit for bit. */
  MATCHES_HARDWARE,
  /** The published model's parameters; no golden samples of this kind to check against here. */
  PUBLISHED_MODEL,
  /**
   * tcsim's reasoned choice where the public record is silent and no hardware samples exist (the
   * block-scaled kinds); the source says why.
   */
  HYPOTHESIS,
  /** Known not to reproduce the hardware (an open research question); reported, not trusted. */
  OPEN_QUESTION
}

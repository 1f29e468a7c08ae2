package org.tcsim.spark;

import java.io.Serializable;
import org.tcsim.replay.BandSummary;

/**
 * What an executor sends back for one {@link Unit}: the band's summary, or why the engine
 * refused it (the local replay skips such a GEMM with that reason), or the input error that
 * stops the replay (a bad or missing data file: the local replay stops there too).
 *
 * @param summary the band's summary, or null
 * @param refusal the engine's reason for not computing it, or null
 * @param failure a bad input ({@link org.tcsim.core.InputFormatException} or an
 *     {@link java.io.IOException}), or null
 * @param seconds wall time the unit took on its executor
 */
record Outcome(Unit unit, BandSummary summary, String refusal, Exception failure,
    double seconds) implements Serializable {
  private static final long serialVersionUID = 1L;
}

package org.tcsim.replay;

import java.util.Arrays;
import org.tcsim.core.gemm.AccuracySummary;

/**
 * Every field of a {@link ReplayResult} that does not depend on the machine, as text, so that
 * two ways of replaying a GEMM can be compared field by field (all but the wall time, and the
 * available heap some skip messages quote). Shared with the tcsim-spark tests.
 */
public final class ReplayFingerprint {
  private ReplayFingerprint() {}

  public static String of(ReplayResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.index()).append(' ').append(r.spec()).append(' ').append(r.status())
        .append(" msg=").append(r.message()).append(" preset=").append(r.preset())
        .append(" kernel=").append(r.kernel()).append(" rows=").append(r.rowsComputed())
        .append(" amax=").append(Float.floatToRawIntBits(r.amaxD()));
    AccuracySummary a = r.accuracy();
    if (a != null) {
      sb.append(" acc=").append(a.compared()).append('/').append(a.total()).append(' ')
          .append(Double.doubleToRawLongBits(a.maxRelativeError())).append(' ')
          .append(Double.doubleToRawLongBits(a.meanRelativeError())).append(' ')
          .append(a.zeroExactNonZero()).append(' ').append(Arrays.toString(a.ulpHistogram()))
          .append(' ').append(a.saturated()).append(' ').append(a.nonFinite());
    }
    GoldenComparison g = r.golden();
    if (g != null) {
      sb.append(" golden=").append(g.caseId()).append(' ').append(g.compared()).append('/')
          .append(g.bitExact()).append(' ').append(Arrays.toString(g.ulpHistogram())).append(' ')
          .append(g.firstMismatches()).append(' ').append(Arrays.deepToString(g.heatMap()))
          .append(' ').append(g.blockRows()).append('x').append(g.blockCols());
    }
    sb.append(" timing=").append(r.timing() == null ? "-" : r.timing().toString())
        .append(" note=").append(r.timingNote());
    return sb.toString();
  }
}

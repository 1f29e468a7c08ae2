package org.tcsim.traces.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The acceptance test of the functional model: every FP32-output row of every shipped golden file
 * (measured on H100, B200 and Ada tensor cores) is reproduced bit for bit.
 */
class GoldenMmaTest {

  static Stream<String> files() {
    return EmbeddedGolden.names().stream();
  }

  @ParameterizedTest
  @MethodSource("files")
  void everyFp32OutputRowMatchesTheHardware(String file) {
    List<GoldenMmaRow> rows = EmbeddedGolden.load(file);
    ReplaySummary summary = new ReplaySummary(file, 5);
    MmaReplayer replayer = new MmaReplayer(false);
    long fp32Rows = rows.stream().filter(r -> r.dFormat() == org.tcsim.core.format.FpFormat.FP32).count();
    replayer.replay(rows.stream().filter(r -> r.dFormat() == org.tcsim.core.format.FpFormat.FP32)
        .toList(), summary, null);
    assertTrue(fp32Rows >= 5000, file + " has " + fp32Rows + " FP32-output rows");
    assertEquals(fp32Rows, summary.compared(), "every FP32-output row is compared in " + file);
    StringBuilder why = new StringBuilder();
    for (MmaOutcome m : summary.mismatches()) {
      why.append("\n  line ").append(m.row().line()).append(": expected ")
          .append(m.row().dFormat().hex(m.row().d())).append(" got ")
          .append(m.row().dFormat().hex(m.actual()));
    }
    assertEquals(summary.compared(), summary.matched(), file + " mismatches:" + why);
  }
}

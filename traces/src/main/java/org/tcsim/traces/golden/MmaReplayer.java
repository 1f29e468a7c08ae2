package org.tcsim.traces.golden;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.datapath.Evidence;
import org.tcsim.core.datapath.TensorCoreModel;
import org.tcsim.gpu.GpuCatalog;

/**
 * Replays golden MMA rows on the datapath preset of the GPU each row names and compares bit for
 * bit. Rows whose preset is a known open question are skipped (and counted) unless asked for.
 */
public final class MmaReplayer {
  private final boolean includeOpenQuestions;
  private final Map<String, BlockFmaDatapath> datapaths = new HashMap<>();

  public MmaReplayer(boolean includeOpenQuestions) {
    this.includeOpenQuestions = includeOpenQuestions;
  }

  /** Replays every row into the summary; {@code perRow} (may be null) sees each outcome. */
  public void replay(Iterable<GoldenMmaRow> rows, ReplaySummary summary,
      Consumer<MmaOutcome> perRow) {
    for (GoldenMmaRow row : rows) {
      Optional<MmaOutcome> outcome = replay(row, summary);
      if (outcome.isPresent() && perRow != null) {
        perRow.accept(outcome.get());
      }
    }
  }

  /** Replays one row, or records in the summary why it was skipped. */
  public Optional<MmaOutcome> replay(GoldenMmaRow row, ReplaySummary summary) {
    // The reader has checked the name against the catalogue (file and line on error).
    TensorCoreModel model = GpuCatalog.byName(row.gpu()).tensorCore();
    Optional<DatapathPreset> preset = model.preset(row.aFormat(), row.bFormat(), row.dFormat(),
        row.instruction().ptxOpcode());
    if (preset.isEmpty() || row.cFormat() != row.dFormat()) {
      summary.skip(SkipReason.NO_PRESET);
      return Optional.empty();
    }
    if (preset.get().evidence() == Evidence.OPEN_QUESTION && !includeOpenQuestions) {
      summary.skip(SkipReason.OPEN_QUESTION);
      return Optional.empty();
    }
    MmaOutcome outcome = new MmaOutcome(row, preset.get(), run(preset.get(), row));
    summary.add(outcome);
    return Optional.of(outcome);
  }

  private int run(DatapathPreset preset, GoldenMmaRow row) {
    String key = preset.id() + '/' + row.aFormat() + '/' + row.bFormat();
    BlockFmaDatapath dp = datapaths.computeIfAbsent(key,
        k -> preset.datapath(row.aFormat(), row.bFormat()));
    return dp.dot(row.a(), row.b(), row.k(), row.c());
  }
}

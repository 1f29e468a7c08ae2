package org.tcsim.replay;

import java.util.List;
import java.util.Objects;
import org.tcsim.core.exact.UlpBins;
import org.tcsim.core.gemm.AccuracySummary;
import org.tcsim.core.gemm.CodeMatrix;
import org.tcsim.core.gemm.GemmAccuracy;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.GemmProgress;
import org.tcsim.core.gemm.GemmResult;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Simulation;
import org.tcsim.timing.TimingResult;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.trace.GemmSpec;

/**
 * The replay of one trace GEMM cut into work that can run anywhere: {@code groups} products, each
 * computed in row bands ({@link RowBands}) of {@link #bandRows} rows. A band needs only the
 * product's operands and its own position: {@link Product#band} computes it and sums it up in a
 * {@link BandSummary}, with the accuracy sample seeded by the band's position, and
 * {@link Fold} turns the summaries, taken in (group, band) order, into the GEMM's
 * {@link ReplayResult}. {@link Replayer} runs the bands one after the other; a distributed
 * replay (module tcsim-spark) runs them on other machines and folds the same summaries in the
 * same order, so the results are the same to the bit.
 *
 * <p>A plan is made from the spec and the options alone ({@link #of}), so every machine that has
 * them makes the same plan. Some GEMMs are settled by planning ({@link #settled}): skipped (no
 * datapath for the GPU, no model) or failed (a golden case that cannot be this GEMM's output).
 */
public final class GemmPlan {

  private final int index;
  private final GemmSpec spec;
  private final Simulation sim;
  private final GoldenGemmCase golden;
  private final TimingResult timing;
  private final String timingNote;
  private final ReplayResult settled;
  private final int rows;
  private final int bandRows;
  private final int bands;
  private final int sample;

  private GemmPlan(int index, GemmSpec spec, Simulation sim, GoldenGemmCase golden,
      TimingResult timing, String timingNote, ReplayResult settled, int rows, int bandRows,
      int bands, int sample) {
    this.index = index;
    this.spec = spec;
    this.sim = sim;
    this.golden = golden;
    this.timing = timing;
    this.timingNote = timingNote;
    this.settled = settled;
    this.rows = rows;
    this.bandRows = bandRows;
    this.bands = bands;
    this.sample = sample;
  }

  /**
   * Plans the replay of {@code spec}, GEMM {@code index} of its trace.
   *
   * @param bandRows rows per band, a multiple of 128 (0: {@link RowBands#bandRows}, about 32 MiB
   *     of D per band)
   */
  public static GemmPlan of(int index, GemmSpec spec, Replayer.Options options, int bandRows) {
    Objects.requireNonNull(spec, "spec");
    if (bandRows < 0 || bandRows % 128 != 0) {
      throw new IllegalArgumentException("band rows must be a multiple of 128, got " + bandRows);
    }
    Gpu gpu = GpuCatalog.byName(options.gpu() != null ? options.gpu() : spec.gpu());
    int sample = options.accuracySample();
    Simulation sim;
    try {
      sim = Simulation.of(gpu, spec.workload());
    } catch (IllegalArgumentException e) {
      return settled(index, spec, skipped(index, spec, e.getMessage(), null, e.getMessage()));
    }
    Simulation.Timing time = sim.time();
    TimingResult timing = time.result();
    String timingNote = time.note();
    GoldenGemmCase golden = options.golden().get(Replayer.goldenId(spec.name()));
    if (golden != null) {
      String why = Replayer.mismatchWithSpec(golden, spec);
      if (why != null) {
        return settled(index, spec, new ReplayResult(index, spec, ReplayResult.Status.FAILED, why,
            "", "", 0, null, 0f, null, timing, timingNote, 0));
      }
    }
    if (!sim.hasPreset()) {
      return settled(index, spec, skipped(index, spec, sim.whyNoPreset(), timing, timingNote));
    }
    long m = options.rowLimit() == 0 ? spec.m() : Math.min(spec.m(), options.rowLimit());
    if (m > Integer.MAX_VALUE || spec.n() > Integer.MAX_VALUE || spec.k() > Integer.MAX_VALUE) {
      // One band: building the operands refuses it with the reason, as for any size.
      return new GemmPlan(index, spec, sim, golden, timing, timingNote, null,
          (int) Math.min(m, Integer.MAX_VALUE), Integer.MAX_VALUE, 1, sample);
    }
    int rows = (int) m;
    int br = bandRows == 0 ? RowBands.bandRows(rows, (int) spec.n()) : Math.min(bandRows, rows);
    int bands = (int) ((rows + (long) br - 1) / br);
    return new GemmPlan(index, spec, sim, golden, timing, timingNote, null, rows, br, bands,
        sample);
  }

  private static GemmPlan settled(int index, GemmSpec spec, ReplayResult result) {
    return new GemmPlan(index, spec, null, null, result.timing(), result.timingNote(), result, 0,
        0, 0, 0);
  }

  private static ReplayResult skipped(int index, GemmSpec spec, String why, TimingResult timing,
      String timingNote) {
    return new ReplayResult(index, spec, ReplayResult.Status.SKIPPED, why, "", "", 0, null, 0f,
        null, timing, timingNote, 0);
  }

  /** The GEMM's position in its trace, from 0. */
  public int index() {
    return index;
  }

  public GemmSpec spec() {
    return spec;
  }

  /** The result when planning already decided it (nothing to compute), else null. */
  public ReplayResult settled() {
    return settled;
  }

  /**
   * The split-K of the algorithm the library ran for a captured case (its {@code splitk}
   * provenance, from cuBLASLt's algorithm attributes), 1 when not recorded: the slices change the
   * bits, so the replay cuts K as the GPU did.
   */
  static int capturedSplitK(GoldenGemmCase golden) {
    if (golden == null) {
      return 1;
    }
    String s = golden.provenance().splitK();
    return s.matches("[1-9][0-9]{0,3}") ? Integer.parseInt(s) : 1;
  }

  /** The golden case this GEMM is compared with (its operands are the case's), or null. */
  public GoldenGemmCase golden() {
    return golden;
  }

  /** Products to compute: the spec's groups (none when settled). */
  public int groups() {
    return settled != null ? 0 : spec.groups();
  }

  /** Row bands per product (0 when settled). */
  public int bands() {
    return bands;
  }

  /** Rows per band (the last band may have fewer). */
  public int bandRows() {
    return bandRows;
  }

  /** Rows of D computed per product. */
  public int rows() {
    return rows;
  }

  /** Multiply-adds of one band of {@code rows} rows: what a band costs, for sizing work. */
  public long bandMacs() {
    return (long) Math.min(bandRows, rows) * spec.n() * spec.k();
  }

  /** The result of a GEMM the engine refused while computing it (a model limit, its size). */
  public ReplayResult skipped(String why) {
    return skipped(index, spec, why, timing, timingNote);
  }

  /**
   * One product ready to compute band by band: {@code ops} (built for group {@code group} by
   * {@link OperandFactory}) with A cut to the computed rows and into bands.
   *
   * @param threads engine threads per band
   * @throws IllegalArgumentException when the engine cannot take these operands
   */
  public Product product(ReplayOperands ops, int group, int threads) {
    if (settled != null) {
      throw new IllegalStateException("GEMM " + index + " is settled: " + settled.status());
    }
    if (group < 0 || group >= spec.groups()) {
      throw new IndexOutOfBoundsException("group " + group + " of " + spec.groups());
    }
    return new Product(ops, group, threads);
  }

  /** One product's operands cut into bands; {@link #band} computes one of them. */
  public final class Product {
    private final ReplayOperands ops;
    private final int group;
    private final int m;
    private final GemmConfig config;
    private final List<QuantizedTensor> aBands;
    private final int[] expected;

    private Product(ReplayOperands ops, int group, int threads) {
      this.ops = ops;
      this.group = group;
      this.m = Math.min(rows, ops.m());
      this.config = sim.config(new Simulation.Epilogue(ops.alpha(), ops.beta(), ops.scaleD()),
          threads).withSplitK(capturedSplitK(golden));
      this.aBands = RowBands.split(RowBands.firstRows(ops.a(), m), bandRows);
      this.expected = ops.expected();
    }

    /** Bands of this product. */
    public int bands() {
      return aBands.size();
    }

    /**
     * Computes band {@code band} of D and sums it up: error against the exact product on the
     * band's share of the sample (seeded by group and first row, the same wherever it runs), and
     * the bit-for-bit comparison with the golden D.
     *
     * @throws IllegalArgumentException when the engine refuses the band (e.g. its size)
     */
    public BandSummary band(int band) {
      return band(band, GemmProgress.NONE);
    }

    /** Rows of A in band {@code band}. */
    public int bandRows(int band) {
      return aBands.get(band).rows();
    }

    /** As {@link #band(int)}, telling {@code progress} after each finished tile of the band's D. */
    public BandSummary band(int band, GemmProgress progress) {
      QuantizedTensor a = aBands.get(band);
      int r0 = band * bandRows;
      int r1 = r0 + a.rows();
      int n = ops.n();
      CodeMatrix c = RowBands.rows(ops.c(), r0, r1);
      GemmResult r = sim.run(config, a, ops.b(), c, progress);
      int groups = spec.groups();
      int perBand = (int) Math.min(Integer.MAX_VALUE,
          ((long) sample * a.rows() + (long) m * groups - 1) / ((long) m * groups));
      AccuracySummary accuracy = perBand > 0
          ? GemmAccuracy.compare(r, a, ops.b(), c, perBand, 31L * group + r0 + 0x5eed)
          : null;
      MismatchGrid grid = null;
      if (expected != null) {
        grid = new MismatchGrid(ops.goldenId(), ops.out(), m, n);
        CodeMatrix d = r.d();
        for (int i = 0; i < a.rows(); i++) {
          for (int j = 0; j < n; j++) {
            grid.add(r0 + i, j, d.code(i, j), expected[(r0 + i) * n + j]);
          }
        }
      }
      return new BandSummary(group, band, a.rows(), r.kernel(), r.amaxD(), accuracy,
          (long) a.rows() * n, r.saturated(), grid, ops.note());
    }
  }

  /** Starts folding this GEMM's band summaries. */
  public Fold fold() {
    if (settled != null) {
      throw new IllegalStateException("GEMM " + index + " is settled: " + settled.status());
    }
    return new Fold();
  }

  /**
   * Folds band summaries, in (group, band) order, into the GEMM's result. The order matters: the
   * mean error is a floating-point sum and the first mismatches are the first in row order.
   */
  public final class Fold {
    private MismatchGrid grid;
    private String kernel = "";
    private float amax;
    private long compared;
    private long total;
    private double maxRel;
    private double sumRel;
    private long relCount;
    private long zeroExactNonZero;
    private long saturated;
    private long nonFinite;
    private final long[] histogram = new long[UlpBins.ERROR_LABELS.size()];
    private int nextGroup;
    private int nextBand;

    private String note = "";

    private Fold() {}

    /** Adds the next band; it must be band {@code (group, band)} following the last one added. */
    public void add(BandSummary s) {
      note(s.note());
      if (s.group() != nextGroup || s.band() != nextBand || nextGroup >= spec.groups()) {
        throw new IllegalArgumentException("GEMM " + index + ": band (" + s.group() + ", "
            + s.band() + ") arrived where (" + nextGroup + ", " + nextBand + ") was due");
      }
      if (++nextBand == bands) {
        nextBand = 0;
        nextGroup++;
      }
      kernel = s.kernel();
      amax = Math.max(amax, s.amaxD());
      AccuracySummary a = s.accuracy();
      if (a != null) {
        compared += a.compared();
        total += a.total();
        maxRel = Math.max(maxRel, a.maxRelativeError());
        long withRel = a.compared() - a.zeroExactNonZero() - a.nonFinite();
        sumRel += a.meanRelativeError() * withRel;
        relCount += withRel;
        zeroExactNonZero += a.zeroExactNonZero();
        saturated += a.saturated();
        nonFinite += a.nonFinite();
        long[] h = a.ulpHistogram();
        for (int i = 0; i < h.length; i++) {
          histogram[i] += h[i];
        }
      } else {
        total += s.total();
        saturated += s.saturated();
      }
      if (s.golden() != null) {
        if (grid == null) {
          grid = s.golden();
        } else {
          grid.merge(s.golden());
        }
      }
    }

    /**
     * A note about the operands (e.g. that wide values were quantised), shown when the result has
     * no other message; the first non-empty one is kept.
     */
    public void note(String text) {
      if (note.isEmpty() && text != null) {
        note = text;
      }
    }

    /** Whether every band of every product has been added. */
    public boolean complete() {
      return nextGroup == spec.groups();
    }

    /**
     * The GEMM's result.
     *
     * @param seconds wall time spent computing it
     */
    public ReplayResult result(double seconds) {
      if (!complete()) {
        throw new IllegalStateException("GEMM " + index + ": band (" + nextGroup + ", "
            + nextBand + ") is missing");
      }
      AccuracySummary summary = new AccuracySummary(compared, total, maxRel,
          relCount == 0 ? 0 : sumRel / relCount, zeroExactNonZero, histogram, saturated,
          nonFinite);
      GoldenComparison cmp = grid == null ? null : grid.result();
      ReplayResult.Status status = cmp == null ? ReplayResult.Status.SIMULATED
          : cmp.passed() ? ReplayResult.Status.MATCHED : ReplayResult.Status.MISMATCHED;
      String message = golden != null && !golden.captured() ? "golden case " + golden.id()
          + " has no captured result (status " + golden.status() + ")" : note;
      return new ReplayResult(index, spec, status, message, sim.preset().id(), kernel, rows,
          summary, amax, cmp, timing, timingNote, seconds);
    }
  }
}

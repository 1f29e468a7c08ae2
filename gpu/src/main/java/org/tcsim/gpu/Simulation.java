package org.tcsim.gpu;

import java.util.Objects;
import java.util.Optional;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.CodeMatrix;
import org.tcsim.core.gemm.Gemm;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.gemm.GemmProgress;
import org.tcsim.core.gemm.GemmResult;
import org.tcsim.core.quant.QuantizedTensor;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.ScalingRecipe;
import org.tcsim.timing.TimingResult;

/**
 * One GEMM workload on one GPU: the single place where the catalogue's GPU, the functional model
 * (which datapath preset, which kernel settings) and the timing model (which machine, which
 * recipe) are composed. {@code tcsim gemm}, {@code replay}, {@code whatif}, {@code train} and the
 * JUnit API all go through here, so the bits and the time come from one description.
 *
 * <p>A what-if study changes parameters (a {@link GemmConfig} derived from {@link #config}, a
 * machine with other values), never this code.
 */
public final class Simulation {

  /**
   * The FP32 epilogue values of a GEMM: D = alpha * (A B) + beta * C; FP8 outputs with a scalar
   * scale are multiplied by scaleD, block-scaled FP4 outputs by scaleD as scale_D^in.
   */
  public record Epilogue(float alpha, float beta, float scaleD) {
    /** alpha 1, beta 0, scaleD 1. */
    public static final Epilogue DEFAULT = new Epilogue(1f, 0f, 1f);
  }

  /** The timing model's prediction, or why there is none. */
  public record Timing(TimingResult result, String note) {
    public Optional<TimingResult> prediction() {
      return Optional.ofNullable(result);
    }
  }

  /** The bits and the time of one simulated GEMM. */
  public record Result(GemmResult bits, Timing time, DatapathPreset preset, GemmConfig config) {}

  private final Gpu gpu;
  private final GemmWorkload workload;
  private final DatapathPreset preset;
  private final String noPreset;
  private final KernelDefaults kernels;
  private final int promotionInterval;

  private Simulation(Gpu gpu, GemmWorkload workload) {
    this.gpu = Objects.requireNonNull(gpu, "gpu");
    this.workload = Objects.requireNonNull(workload, "workload");
    this.kernels = gpu.kernels(workload.library());
    DatapathPreset p = null;
    String why = "";
    try {
      p = presetOf(gpu, workload);
    } catch (IllegalArgumentException e) {
      why = e.getMessage();
    }
    this.preset = p;
    this.noPreset = why;
    this.promotionInterval = kernels.promotionInterval(workload.fastAccum(), workload.library());
    LibraryRules.check(gpu, workload);
  }

  /**
   * Prepares {@code workload} on {@code gpu}.
   *
   * @throws IllegalArgumentException if the library cannot run the workload on the GPU, naming the
   *     rule and its source ({@link LibraryRules}; a GPU without a datapath for the workload's
   *     formats still has a time: {@link #preset} says why it has no bits)
   */
  public static Simulation of(Gpu gpu, GemmWorkload workload) {
    return new Simulation(gpu, workload);
  }

  /** The bits and the time of {@code workload} on {@code gpu} for these operands, in one call. */
  public static Result simulate(Gpu gpu, GemmWorkload workload, QuantizedTensor a,
      QuantizedTensor b, CodeMatrix c, Epilogue epilogue, int threads) {
    Simulation s = of(gpu, workload);
    GemmConfig config = s.config(epilogue, threads);
    return new Result(s.run(config, a, b, c), s.time(), s.preset(), config);
  }

  private static DatapathPreset presetOf(Gpu gpu, GemmWorkload w) {
    GemmRecipe r = w.recipe();
    FpFormat a = r.elementFormat(w.a());
    FpFormat b = r.elementFormat(w.b());
    Optional<DatapathPreset> p;
    if (r.scalesInMma()) {
      var scaling = new DatapathPreset.BlockScaling(r.aMode().scaleFormat(), r.aMode().alongK());
      p = gpu.tensorCore().preset(a, b, FpFormat.FP32, scaling);
      if (p.isEmpty()) {
        throw new IllegalArgumentException(gpu.id() + " cannot run the " + r + " recipe: its tensor "
            + "cores have no block-scaled MMA for " + a.shortName() + " x " + b.shortName()
            + " with " + r.aMode().scaleFormat().shortName() + " scales per " + r.aMode().alongK()
            + " (block-scaled MMAs are tcgen05.mma kind::mxf8f6f4 / mxf4 / mxf4nvf4, sm_100a)");
      }
    } else {
      p = gpu.tensorCore().preset(a, b, FpFormat.FP32);
      if (p.isEmpty()) {
        throw new IllegalArgumentException(gpu.id() + " has no FP32-accumulating datapath for "
            + a.shortName() + " x " + b.shortName());
      }
    }
    return p.get();
  }

  public Gpu gpu() {
    return gpu;
  }

  public GemmWorkload workload() {
    return workload;
  }

  /**
   * The datapath preset that executes the workload's MMAs.
   *
   * @throws IllegalArgumentException if the GPU has none for the workload's formats and recipe
   */
  public DatapathPreset preset() {
    if (preset == null) {
      throw new IllegalArgumentException(noPreset);
    }
    return preset;
  }

  /** Whether the GPU's tensor cores can compute the workload's bits. */
  public boolean hasPreset() {
    return preset != null;
  }

  /** Why the GPU's tensor cores cannot compute the workload's bits; empty when they can. */
  public String whyNoPreset() {
    return noPreset;
  }

  /** The library's kernel settings on this GPU. */
  public KernelDefaults kernels() {
    return kernels;
  }

  /** MMAs between promotions as this workload runs (0: never promoted). */
  public int promotionInterval() {
    return promotionInterval;
  }

  /**
   * The kernel settings of the functional model: the library's MMA K (at least one datapath step:
   * the FP4 block-scaled kinds take K = 64 per instruction, PTX ISA tcgen05 "Matrix shape"), its
   * promotion interval and rule, no split-K, the epilogue values, the library's epilogue order and
   * how D is scaled ({@link LibraryRules#epilogueOrder}, {@link LibraryRules#outputScaleMode}).
   *
   * @throws IllegalArgumentException if the library has no place for the epilogue values
   */
  public GemmConfig config(Epilogue epilogue, int threads) {
    LibraryRules.checkEpilogue(gpu, workload, epilogue);
    int mmaK = Math.max(kernels.mmaK(), preset().params().productsPerStep());
    return new GemmConfig(mmaK, promotionInterval, kernels.promotionRule(), 1, epilogue.alpha(),
        epilogue.beta(), workload.out(), LibraryRules.outputScale(workload, epilogue.scaleD()), null,
        threads,
        LibraryRules.epilogueOrder(gpu, workload), LibraryRules.outputScaleMode(workload));
  }

  /** The bits: D for these operands under {@code config} (normally from {@link #config}). */
  public GemmResult run(GemmConfig config, QuantizedTensor a, QuantizedTensor b, CodeMatrix c) {
    return Gemm.run(preset().params(), config, a, b, c);
  }

  /** The same, telling {@code progress} after each finished tile of D. */
  public GemmResult run(GemmConfig config, QuantizedTensor a, QuantizedTensor b, CodeMatrix c,
      GemmProgress progress) {
    return Gemm.run(preset().params(), config, a, b, c, progress);
  }

  /** The timing model's view of the workload. */
  public GemmProblem problem() {
    int outBytes = Math.max(1, workload.out().width() / 8);
    return new GemmProblem(workload.m(), workload.n(), workload.k(), workload.groups(), outBytes,
        timingRecipe(workload.recipe(), promotionInterval));
  }

  /**
   * The timing model's recipe for a GEMM recipe run with {@code promotionInterval} (0: never
   * promoted). The one place where the numerics' vocabulary meets the timing model's.
   */
  public static ScalingRecipe timingRecipe(GemmRecipe recipe, int promotionInterval) {
    return switch (recipe) {
      case TENSOR -> promotionInterval == 0 ? ScalingRecipe.PER_TENSOR_FAST_ACCUM
          : ScalingRecipe.PER_TENSOR;
      // The timing model's row-wise recipe promotes; without promotion its main loop is the
      // per-tensor fast-accumulation one (the row and column scales cost only in the epilogue).
      case ROWWISE -> promotionInterval == 0 ? ScalingRecipe.PER_TENSOR_FAST_ACCUM
          : ScalingRecipe.ROWWISE;
      case BLOCK -> ScalingRecipe.BLOCKWISE;
      case MXFP8 -> ScalingRecipe.MXFP8;
      case NVFP4 -> ScalingRecipe.NVFP4;
      case MXFP4 -> ScalingRecipe.MXFP4;
    };
  }

  /** The time: the timing model's prediction on this GPU's machine, or why there is none. */
  public Timing time() {
    if (gpu.machine() == null) {
      return new Timing(null, "no timing model for " + gpu.id() + " (GPUs with one: "
          + String.join(", ", GpuCatalog.withTiming()) + ")");
    }
    try {
      return new Timing(GemmTimingModel.predict(gpu.machine(), problem()), "");
    } catch (IllegalArgumentException e) {
      return new Timing(null, e.getMessage());
    }
  }
}

package org.tcsim.gpu;

import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.EpilogueOrder;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.isa.Architecture;

/**
 * What each library accepts and how it finishes a GEMM, as its documentation or source says. A
 * workload a library cannot run is refused before any work, with the rule and where it comes from
 * ({@link IllegalArgumentException}); only rules with a source are here, so what is not refused is
 * not thereby known to run. {@link Simulation} calls this for every workload.
 *
 * <p>Sources: cuBLAS documentation, cuBLASLt API, "Narrow Precision Data Types Usage" (the table
 * of scaling modes with their compute capabilities, "Outer Vector Scaling for FP8 Data Types",
 * "16/32-Element 1D Block Scaling for FP8 and FP4 Data Types", "128-element 1D and 128x128 2D
 * Block Scaling For FP8 Data Types" and its "Scaling factors layouts"); PyTorch
 * {@code aten/src/ATen/native/cuda/Blas.cpp} ({@code _scaled_mm}) and {@code RowwiseScaledMM.cu};
 * DeepGEMM {@code deep_gemm/include/deep_gemm/impls/sm90_fp8_gemm_1d2d.cuh}; docs/hardware-facts.md,
 * Library GEMM semantics.
 */
public final class LibraryRules {

  private static final String CUBLAS_TABLE = "cuBLAS documentation, Narrow Precision Data Types "
      + "Usage, table of scaling modes";
  private static final String CUBLAS_OUTER_AND_128 = "cuBLAS documentation, \"Outer Vector "
      + "Scaling for FP8 Data Types\" and \"128-element 1D and 128x128 2D Block Scaling For FP8 "
      + "Data Types\"";
  private static final String CUBLAS_1D_BLOCKS = "cuBLAS documentation, \"16/32-Element 1D Block "
      + "Scaling for FP8 and FP4 Data Types\"";
  private static final String TORCH_BLAS = "PyTorch aten/src/ATen/native/cuda/Blas.cpp, _scaled_mm";
  private static final String TORCH_ROWWISE = "PyTorch aten/src/ATen/native/cuda/"
      + "RowwiseScaledMM.cu, check_inputs";
  private static final String DEEPGEMM = "DeepGEMM deep_gemm/include/deep_gemm/impls/"
      + "sm90_fp8_gemm_1d2d.cuh";

  private LibraryRules() {}

  /**
   * Refuses a workload the library cannot run on the GPU.
   *
   * @throws IllegalArgumentException naming the rule and its source
   */
  public static void check(Gpu gpu, GemmWorkload w) {
    switch (w.library()) {
      case CUBLASLT -> cublasLt(gpu, w);
      case TORCH -> torch(gpu, w);
      case DEEPGEMM -> deepGemm(gpu, w);
      case CUTLASS -> { } // a template library: any kernel can be instantiated; no rule refuses
    }
  }

  /**
   * Refuses epilogue values the library has no place for.
   *
   * @throws IllegalArgumentException naming the rule and its source
   */
  public static void checkEpilogue(Gpu gpu, GemmWorkload w, Simulation.Epilogue e) {
    switch (w.library()) {
      case TORCH -> {
        if (e.alpha() != 1f || e.beta() != 0f) {
          throw refused(gpu, w, "torch._scaled_mm(a, b, scale_a, scale_b, bias, scale_result, "
              + "out_dtype, use_fast_accum) has no alpha and no C, so alpha must be 1 and beta 0; "
              + "got alpha " + e.alpha() + ", beta " + e.beta(), TORCH_BLAS);
        }
      }
      case CUBLASLT, DEEPGEMM, CUTLASS -> { }
    }
    if (outputScaleMode(w) == ScaleMode.VEC32_UE8M0 && e.scaleD() != 1f) {
      throw refused(gpu, w, "with VEC32_UE8M0 output scales there is no tensor-wide scale_D^in "
          + "(it exists only with UE4M3 scales), so scaleD must be 1; got " + e.scaleD(),
          CUBLAS_1D_BLOCKS);
    }
  }

  /**
   * The order of the epilogue's FP32 multiplications. Scalar scales are folded first. Row-wise
   * scales: cuBLASLt applies its first operand's vector first ({@link EpilogueOrder#ROW_SCALE_FIRST},
   * measured on an H200); PyTorch on sm_90 calls cuBLASLt with the operands swapped (its API log
   * shows a {@code cublasLtMatmul} call for every row-wise {@code _scaled_mm}, PyTorch 2.11), so
   * B's vector comes first there ({@link EpilogueOrder#COLUMN_SCALE_FIRST}, measured); elsewhere
   * PyTorch runs its own CUTLASS kernel ({@link TorchRowwiseKernel}).
   */
  public static EpilogueOrder epilogueOrder(Gpu gpu, GemmWorkload w) {
    if (w.recipe() != GemmRecipe.ROWWISE) {
      return EpilogueOrder.SCALES_THEN_ACC;
    }
    return switch (w.library()) {
      case TORCH -> gpu.architecture() == Architecture.SM_90A ? EpilogueOrder.COLUMN_SCALE_FIRST
          : TorchRowwiseKernel.epilogueOrder(gpu.architecture(), w.m(), w.n());
      case CUBLASLT -> EpilogueOrder.ROW_SCALE_FIRST;
      case DEEPGEMM, CUTLASS -> EpilogueOrder.SCALES_THEN_ACC;
    };
  }

  /**
   * The scalar output scale the library applies to an FP8 D. {@code torch._scaled_mm} ignores
   * its {@code scale_result}: PyTorch 2.11 on an H200 returned saturate(D) bit for bit with
   * scale_result 0.25, 0.3 and 4.0 (docs/hardware-facts.md, torch._scaled_mm), so the torch
   * library applies none. Every other library applies {@code scaleD} as given.
   */
  public static float outputScale(GemmWorkload w, float scaleD) {
    return w.library() == Library.TORCH && outputScaleMode(w) == ScaleMode.SCALAR_32F ? 1f : scaleD;
  }

  /**
   * How D is scaled: a narrow output of a block-scaled GEMM (MXFP8, MXFP4, NVFP4) is quantised in
   * blocks with computed scales of the inputs' mode ({@code CUBLASLT_MATMUL_DESC_D_OUT_SCALE_MODE};
   * cuBLAS documentation, "16/32-Element 1D Block Scaling for FP8 and FP4 Data Types"); every
   * other output has a scalar scale.
   */
  public static ScaleMode outputScaleMode(GemmWorkload w) {
    boolean narrow = switch (w.out()) {
      case E4M3, E5M2, E2M1 -> true;
      default -> false;
    };
    return narrow && w.recipe().scalesInMma() ? w.recipe().aMode() : ScaleMode.SCALAR_32F;
  }

  private static void cublasLt(Gpu gpu, GemmWorkload w) {
    Architecture arch = gpu.architecture();
    switch (w.recipe()) {
      case TENSOR -> {
        if (arch == Architecture.SM_80) {
          throw refused(gpu, w, "tensor-wide FP8 scaling needs compute capability 8.9 or later",
              CUBLAS_TABLE);
        }
      }
      case ROWWISE, BLOCK -> {
        if (arch != Architecture.SM_90A) {
          throw refused(gpu, w, w.recipe().aMode() + " scales are listed for compute capability "
              + "9.0 only; " + gpu.id() + " is " + arch, CUBLAS_TABLE
              + "; docs/hardware-facts.md, Scale modes");
        }
        // Not enforced: the 128-element scale layouts want M and N to be multiples of 4 (the
        // same section, "Scaling factors layouts"), a storage rule that pads away and changes
        // no bit of D.
        requireWideOutput(gpu, w, "cuBLASLt with " + w.recipe().aMode() + " scales",
            CUBLAS_OUTER_AND_128);
      }
      case MXFP8, NVFP4, MXFP4 -> {
        if (arch != Architecture.SM_100A) {
          throw refused(gpu, w, "16/32-element block scaling needs compute capability 10.0 or "
              + "later; " + gpu.id() + " is " + arch, CUBLAS_TABLE);
        }
        if (w.recipe() == GemmRecipe.MXFP4) {
          throw refused(gpu, w, "32-element UE8M0 block scaling takes FP8 values only, and FP4 "
              + "values take 16-element UE4M3 scales (NVFP4), so MXFP4 is not a cuBLASLt mode; "
              + "CUTLASS has MXFP4 kernels (--library cutlass)", CUBLAS_TABLE);
        }
      }
    }
    narrowOutput(gpu, w);
  }

  private static void torch(Gpu gpu, GemmWorkload w) {
    if (w.k() % 16 != 0 || w.n() % 16 != 0) {
      throw refused(gpu, w, "_scaled_mm needs K and N to be multiples of 16; got K=" + w.k()
          + ", N=" + w.n(), TORCH_BLAS + "; docs/hardware-facts.md, torch._scaled_mm");
    }
    if (w.recipe() == GemmRecipe.ROWWISE && gpu.architecture() != Architecture.SM_90A) {
      // Off sm_90, row-wise scales run PyTorch's own CUTLASS kernel, not cuBLASLt.
      if (w.out() != FpFormat.BF16 && w.out() != FpFormat.FP16) {
        throw refused(gpu, w, "row-wise scaling supports only bf16 and fp16 outputs; got "
            + w.out().shortName(), TORCH_BLAS);
      }
      if (w.b() != FpFormat.E4M3) {
        throw refused(gpu, w, "the row-wise kernel takes B in e4m3 only (A in e4m3 or e5m2); got "
            + w.b().shortName(), TORCH_ROWWISE);
      }
      return;
    }
    // Every other recipe is a cuBLASLt call (docs/hardware-facts.md, torch._scaled_mm), row-wise
    // scales on sm_90 too: PyTorch 2.11 on an H200 ran them through cublasLtMatmul with bf16,
    // fp16 and fp32 outputs and refused e4m3 (CUBLAS_STATUS_INVALID_VALUE), as cuBLASLt's rule
    // for OUTER_VEC_32F says.
    cublasLt(gpu, w);
    if (outputScaleMode(w) != ScaleMode.SCALAR_32F) {
      throw refused(gpu, w, "_scaled_mm returns D alone, without a scale tensor, so a "
          + "block-scaled " + w.out().shortName() + " output cannot be returned", TORCH_BLAS);
    }
  }

  private static void deepGemm(Gpu gpu, GemmWorkload w) {
    if (gpu.architecture() != Architecture.SM_90A) {
      return; // DeepGEMM's sm100 kernels (UE8M0 scales per 128) are not modelled; no rule here
    }
    if (w.recipe() != GemmRecipe.BLOCK) {
      throw refused(gpu, w, "DeepGEMM's Hopper FP8 GEMM takes 1x128 FP32 scales on A and 128x128 "
          + "on B only (\"Only support per-128-channel FP8 scaling\"); got " + w.recipe(),
          DEEPGEMM);
    }
    if (w.a() != FpFormat.E4M3 || w.b() != FpFormat.E4M3 || w.out() != FpFormat.BF16) {
      throw refused(gpu, w, "DeepGEMM's Hopper FP8 GEMM reads e4m3 A and B and writes bf16 D; got "
          + w.a().shortName() + " x " + w.b().shortName() + " -> "
          + w.out().shortName(), DEEPGEMM);
    }
    if (w.n() % 8 != 0) {
      throw refused(gpu, w, "N must be a multiple of 8 (shape_n % 8 == 0); got N=" + w.n(),
          DEEPGEMM);
    }
  }

  /** cuBLASLt's narrow outputs: block scales need a block-scaled GEMM of the same precision. */
  private static void narrowOutput(Gpu gpu, GemmWorkload w) {
    FpFormat element = w.recipe().elementFormat(w.a());
    if (w.out() == FpFormat.E2M1 && (!w.recipe().scalesInMma() || element != FpFormat.E2M1)) {
      throw refused(gpu, w, "an FP4 output is block-scaled, which needs block-scaled FP4 inputs "
          + "(mixing precisions is not supported); got the " + w.recipe() + " recipe",
          CUBLAS_1D_BLOCKS);
    }
    if ((w.out() == FpFormat.E4M3 || w.out() == FpFormat.E5M2) && w.recipe().scalesInMma()
        && element == FpFormat.E2M1) {
      throw refused(gpu, w, "a block-scaled FP8 output needs FP8 inputs (mixing precisions is not "
          + "supported); " + w.recipe() + " has FP4 inputs", CUBLAS_1D_BLOCKS);
    }
  }

  private static void requireWideOutput(Gpu gpu, GemmWorkload w, String what, String source) {
    switch (w.out()) {
      case FP16, BF16, FP32 -> { }
      default -> throw refused(gpu, w, what + " writes D in fp16, bf16 or fp32 only (no scaleD); "
          + "got " + w.out().shortName(), source);
    }
  }

  private static IllegalArgumentException refused(Gpu gpu, GemmWorkload w, String rule,
      String source) {
    return new IllegalArgumentException(w.library() + " on " + gpu.id() + " cannot run "
        + w.describe() + ": " + rule + " (" + source + ")");
  }
}

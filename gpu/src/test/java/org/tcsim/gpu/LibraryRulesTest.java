package org.tcsim.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.EpilogueOrder;
import org.tcsim.core.quant.ScaleMode;

/**
 * Each library's rules on the made-up GPUs of {@link TestGpus} (tx1 is sm_90a, tx2 sm_100a): every
 * refusal names its rule and its source, and the workloads the sources allow pass.
 */
class LibraryRulesTest {

  private static final Gpu SM90 = GpuCatalog.byName("tx1");
  private static final Gpu SM100 = GpuCatalog.byName("tx2");

  private static GemmWorkload w(Library l, GemmRecipe r, FpFormat out) {
    return new GemmWorkload(256, 256, 512, 1, FpFormat.E4M3, FpFormat.E4M3, r, false, l, out);
  }

  private static void refused(Executable run, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "'" + p + "' not in: " + e.getMessage());
    }
  }

  @Test
  void cublasLtVectorAndBlockScalesAreSm90OnlyWithWideOutputs() {
    for (GemmRecipe r : new GemmRecipe[] {GemmRecipe.ROWWISE, GemmRecipe.BLOCK}) {
      for (FpFormat out : new FpFormat[] {FpFormat.FP32, FpFormat.BF16, FpFormat.FP16}) {
        LibraryRules.check(SM90, w(Library.CUBLASLT, r, out));
      }
      refused(() -> LibraryRules.check(SM100, w(Library.CUBLASLT, r, FpFormat.BF16)),
          "compute capability 9.0 only", "tx2 is sm_100a", "cuBLAS documentation");
      refused(() -> LibraryRules.check(SM90, w(Library.CUBLASLT, r, FpFormat.E4M3)),
          "fp16, bf16 or fp32 only", "cuBLAS documentation, \"Outer Vector Scaling");
    }
    // K need not be a multiple of 128: L = ceil(K / 128) blocks.
    LibraryRules.check(SM90, new GemmWorkload(8, 8, 200, 1, FpFormat.E4M3, FpFormat.E4M3,
        GemmRecipe.BLOCK, false, Library.CUBLASLT, FpFormat.BF16));
  }

  @Test
  void cublasLtBlockScalingIsBlackwellsAndKeepsOnePrecision() {
    refused(() -> LibraryRules.check(SM90, w(Library.CUBLASLT, GemmRecipe.MXFP8, FpFormat.BF16)),
        "compute capability 10.0 or later");
    LibraryRules.check(SM100, w(Library.CUBLASLT, GemmRecipe.MXFP8, FpFormat.E4M3));
    LibraryRules.check(SM100, w(Library.CUBLASLT, GemmRecipe.NVFP4, FpFormat.E2M1));
    refused(() -> LibraryRules.check(SM100, w(Library.CUBLASLT, GemmRecipe.MXFP8, FpFormat.E2M1)),
        "mixing precisions is not supported", "16/32-Element 1D Block Scaling");
    refused(() -> LibraryRules.check(SM100, w(Library.CUBLASLT, GemmRecipe.NVFP4, FpFormat.E5M2)),
        "needs FP8 inputs");
    refused(() -> LibraryRules.check(SM100, w(Library.CUBLASLT, GemmRecipe.TENSOR, FpFormat.E2M1)),
        "block-scaled FP4 inputs");
    refused(() -> LibraryRules.check(SM100, w(Library.CUBLASLT, GemmRecipe.MXFP4, FpFormat.BF16)),
        "MXFP4 is not a cuBLASLt mode", "--library cutlass");
    // CUTLASS is a template library: no rule of cuBLASLt's applies to it.
    LibraryRules.check(SM100, w(Library.CUTLASS, GemmRecipe.MXFP4, FpFormat.BF16));
    LibraryRules.check(SM100, w(Library.CUTLASS, GemmRecipe.ROWWISE, FpFormat.E4M3));
  }

  @Test
  void torchScaledMmRules() {
    LibraryRules.check(SM90, w(Library.TORCH, GemmRecipe.ROWWISE, FpFormat.BF16));
    refused(() -> LibraryRules.check(SM90, new GemmWorkload(64, 72, 512, 1, FpFormat.E4M3,
        FpFormat.E4M3, GemmRecipe.TENSOR, false, Library.TORCH, FpFormat.BF16)),
        "K and N to be multiples of 16", "N=72", "Blas.cpp");
    refused(() -> LibraryRules.check(SM90, new GemmWorkload(64, 64, 520, 1, FpFormat.E4M3,
        FpFormat.E4M3, GemmRecipe.TENSOR, false, Library.TORCH, FpFormat.BF16)), "K=520");
    // On sm_90 row-wise is a cuBLASLt call (PyTorch 2.11 on an H200): fp32 out runs, e4m3 not.
    LibraryRules.check(SM90, w(Library.TORCH, GemmRecipe.ROWWISE, FpFormat.FP32));
    refused(() -> LibraryRules.check(SM90, w(Library.TORCH, GemmRecipe.ROWWISE, FpFormat.E4M3)),
        "fp16, bf16 or fp32 only");
    // Off sm_90 row-wise runs PyTorch's own CUTLASS kernel, with its rules.
    LibraryRules.check(SM100, w(Library.TORCH, GemmRecipe.ROWWISE, FpFormat.BF16));
    refused(() -> LibraryRules.check(SM100, w(Library.TORCH, GemmRecipe.ROWWISE, FpFormat.FP32)),
        "only bf16 and fp16 outputs");
    refused(() -> LibraryRules.check(SM100, new GemmWorkload(64, 64, 512, 1, FpFormat.E4M3,
        FpFormat.E5M2, GemmRecipe.ROWWISE, false, Library.TORCH, FpFormat.BF16)),
        "B in e4m3 only", "RowwiseScaledMM.cu");
    refused(() -> LibraryRules.check(SM100, w(Library.TORCH, GemmRecipe.BLOCK, FpFormat.BF16)),
        "compute capability 9.0 only");
    refused(() -> LibraryRules.check(SM100, w(Library.TORCH, GemmRecipe.MXFP8, FpFormat.E4M3)),
        "returns D alone");
    GemmWorkload tensor = w(Library.TORCH, GemmRecipe.TENSOR, FpFormat.BF16);
    refused(() -> LibraryRules.checkEpilogue(SM90, tensor, new Simulation.Epilogue(2f, 0f, 1f)),
        "no alpha and no C");
    refused(() -> LibraryRules.checkEpilogue(SM90, tensor, new Simulation.Epilogue(1f, 1f, 1f)),
        "beta 1.0");
    LibraryRules.checkEpilogue(SM90, tensor, Simulation.Epilogue.DEFAULT);
  }

  @Test
  void deepGemmOnHopperIsItsBlockKernel() {
    LibraryRules.check(SM90, w(Library.DEEPGEMM, GemmRecipe.BLOCK, FpFormat.BF16));
    refused(() -> LibraryRules.check(SM90, w(Library.DEEPGEMM, GemmRecipe.TENSOR, FpFormat.BF16)),
        "per-128-channel", "sm90_fp8_gemm_1d2d.cuh");
    refused(() -> LibraryRules.check(SM90, w(Library.DEEPGEMM, GemmRecipe.BLOCK, FpFormat.FP32)),
        "writes bf16 D");
    refused(() -> LibraryRules.check(SM90, new GemmWorkload(64, 100, 512, 1, FpFormat.E4M3,
        FpFormat.E4M3, GemmRecipe.BLOCK, false, Library.DEEPGEMM, FpFormat.BF16)),
        "multiple of 8");
  }

  @Test
  void epilogueOrderAndOutputScalingFollowLibraryAndRecipe() {
    // cuBLASLt's row-wise order, and PyTorch's on sm_90 (cuBLASLt with the operands swapped):
    // both measured on an H200.
    assertEquals(EpilogueOrder.ROW_SCALE_FIRST,
        LibraryRules.epilogueOrder(SM90, w(Library.CUBLASLT, GemmRecipe.ROWWISE, FpFormat.BF16)));
    assertEquals(EpilogueOrder.COLUMN_SCALE_FIRST,
        LibraryRules.epilogueOrder(SM90, w(Library.TORCH, GemmRecipe.ROWWISE, FpFormat.BF16)));
    assertEquals(EpilogueOrder.SCALES_THEN_ACC,
        LibraryRules.epilogueOrder(SM90, w(Library.TORCH, GemmRecipe.TENSOR, FpFormat.BF16)));
    // Off sm_90 PyTorch's CUTLASS kernel: 256 x 256 takes its last case, transposed.
    assertEquals(EpilogueOrder.COLUMN_SCALE_FIRST,
        LibraryRules.epilogueOrder(SM100, w(Library.TORCH, GemmRecipe.ROWWISE, FpFormat.BF16)));
    // torch._scaled_mm ignores scale_result (measured); cuBLASLt applies scaleD.
    assertEquals(1f, LibraryRules.outputScale(w(Library.TORCH, GemmRecipe.TENSOR, FpFormat.E4M3),
        0.3f));
    assertEquals(0.3f, LibraryRules.outputScale(
        w(Library.CUBLASLT, GemmRecipe.TENSOR, FpFormat.E4M3), 0.3f));
    assertEquals(ScaleMode.VEC32_UE8M0,
        LibraryRules.outputScaleMode(w(Library.CUBLASLT, GemmRecipe.MXFP8, FpFormat.E4M3)));
    assertEquals(ScaleMode.VEC16_UE4M3,
        LibraryRules.outputScaleMode(w(Library.CUBLASLT, GemmRecipe.NVFP4, FpFormat.E2M1)));
    assertEquals(ScaleMode.SCALAR_32F,
        LibraryRules.outputScaleMode(w(Library.CUBLASLT, GemmRecipe.MXFP8, FpFormat.BF16)));
    assertEquals(ScaleMode.SCALAR_32F,
        LibraryRules.outputScaleMode(w(Library.CUBLASLT, GemmRecipe.TENSOR, FpFormat.E4M3)));
    refused(() -> LibraryRules.checkEpilogue(SM100,
        w(Library.CUBLASLT, GemmRecipe.MXFP8, FpFormat.E4M3), new Simulation.Epilogue(1f, 0f, 2f)),
        "scaleD must be 1");
  }
}

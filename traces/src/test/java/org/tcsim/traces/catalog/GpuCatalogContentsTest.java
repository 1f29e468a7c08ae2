package org.tcsim.traces.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.gemm.EpilogueOrder;
import org.tcsim.core.gemm.GemmConfig;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.gpu.GemmRecipe;
import org.tcsim.gpu.GemmWorkload;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Library;
import org.tcsim.gpu.Simulation;
import org.tcsim.gpu.UnknownGpuException;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.PtxParser;

/** The catalogue as the architecture modules fill it: names, presets and kernel defaults. */
class GpuCatalogContentsTest {

  private static String presetOf(String ptx) {
    return GpuCatalog.presetFor(PtxParser.parse(ptx).datapathKey())
        .map(p -> p.id()).orElse("none");
  }

  @Test
  void everyArchitectureModuleContributesItsGpus() {
    List<String> ids = GpuCatalog.ids();
    for (String id : List.of("h100", "h100-pcie", "h200", "h800", "b200", "l40s", "a100")) {
      assertTrue(ids.contains(id), id + " in " + ids);
    }
  }

  @Test
  void marketingAndTargetNamesResolve() {
    assertEquals("h100", GpuCatalog.byName("H100 SXM5").id());
    assertEquals("h100", GpuCatalog.byName("h100_sxm").id());
    assertEquals("h100", GpuCatalog.byName("sm_90a").id());
    assertEquals("h100-pcie", GpuCatalog.byName("H100 PCIe").id());
    assertEquals("b200", GpuCatalog.byName("SM_100A").id());
    assertEquals("l40s", GpuCatalog.byName("ada").id());
    assertEquals(Architecture.SM_90A, GpuCatalog.byName("h800").architecture());
  }

  @Test
  void unknownNamesListTheKnownOnes() {
    UnknownGpuException e = assertThrows(UnknownGpuException.class,
        () -> GpuCatalog.byName("mi300x"));
    assertTrue(e.getMessage().contains("unknown GPU 'mi300x'"), e.getMessage());
    assertTrue(e.getMessage().contains("h100") && e.getMessage().contains("b200"), e.getMessage());
    // Names once accepted by a dash fallback or an over-broad alias are not GPUs tcsim models.
    assertTrue(GpuCatalog.find("h100-foo").isEmpty());
    assertTrue(GpuCatalog.find("rtx4090").isEmpty());
  }

  @Test
  void instructionsFindTheirPresets() {
    assertEquals("h100.fp8.fp32", presetOf("wgmma.mma_async.sync.aligned.m64n256k32.f32.e5m2.e4m3"));
    assertEquals("h100.bf16.fp32", presetOf("wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16"));
    assertEquals("ada.fp8.fp16", presetOf("mma.sync.aligned.m16n8k32.row.col.f16.e4m3.e4m3.f16"));
    // FP8 into FP16: mma.sync on Hopper (measured; HMMA emulation) and wgmma (native, hypothesis)
    // run different datapaths.
    assertEquals("h100.fp8.fp16", GpuCatalog.presetFor(PtxParser.parse(
        "mma.sync.aligned.m16n8k32.row.col.f16.e4m3.e4m3.f16", Architecture.SM_90A)
        .datapathKey()).map(p -> p.id()).orElse("none"));
    assertEquals("h100.wgmma.fp8.fp16",
        presetOf("wgmma.mma_async.sync.aligned.m64n64k32.f16.e4m3.e4m3"));
    assertEquals("b200.mxf8f6f4.fp32", presetOf("tcgen05.mma.cta_group::1.kind::mxf8f6f4"
        + ".block_scale.scale_vec::1X.m128n256k32.f32.e4m3.e2m1.ue8m0"));
    assertEquals("b200.nvf4.fp32", presetOf("tcgen05.mma.cta_group::2.kind::mxf4nvf4.block_scale"
        + ".scale_vec::4X.m256n256k64.f32.e2m1.e2m1.ue4m3"));
  }

  @Test
  void hopperKernelsPromoteAndBlackwellKernelsDoNot() {
    // The defect this catalogue removes: replay used Hopper's interval on every GPU.
    GemmWorkload w = GemmWorkload.fp8(256, 256, 1024);
    assertEquals(4, Simulation.of(GpuCatalog.byName("h100"), w).promotionInterval());
    assertEquals(0, Simulation.of(GpuCatalog.byName("h100"), w.withFastAccum(true))
        .promotionInterval());
    assertEquals(0, Simulation.of(GpuCatalog.byName("b200"), w).promotionInterval());
    // cuBLASLt's FAST_ACCUM has no effect on Blackwell; DeepGEMM has no such mode at all.
    assertEquals(0, Simulation.of(GpuCatalog.byName("b200"), w.withFastAccum(true))
        .promotionInterval());
    assertThrows(IllegalArgumentException.class, () -> Simulation.of(GpuCatalog.byName("h800"),
        w.withFastAccum(true).withLibrary(Library.DEEPGEMM)));
    assertThrows(IllegalArgumentException.class, () -> Simulation.of(GpuCatalog.byName("l40s"),
        w.withLibrary(Library.DEEPGEMM)));
  }

  @Test
  void timingAndNumericsSeeTheSameRecipe() {
    // On B200 a per-tensor GEMM never promotes, and the timing model is told so.
    Simulation b200 = Simulation.of(GpuCatalog.byName("b200"), GemmWorkload.fp8(4096, 4096, 4096));
    assertEquals(org.tcsim.timing.ScalingRecipe.PER_TENSOR_FAST_ACCUM, b200.problem().recipe());
    Simulation h100 = Simulation.of(GpuCatalog.byName("h100"), GemmWorkload.fp8(4096, 4096, 4096));
    assertEquals(org.tcsim.timing.ScalingRecipe.PER_TENSOR, h100.problem().recipe());
  }

  @Test
  void recipesAGpuCannotRunAreRefusedWithTheReason() {
    Gpu h100 = GpuCatalog.byName("h100");
    // cuBLASLt lists MX block scaling for compute capability 10.0 and later: refused outright.
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Simulation.of(h100, GemmWorkload.fp8(128, 128, 128).withRecipe(GemmRecipe.MXFP8)));
    assertTrue(refused.getMessage().contains("compute capability 10.0"), refused.getMessage());
    // CUTLASS has no such rule; the tensor cores still have no block-scaled MMA.
    Simulation mx = Simulation.of(h100, GemmWorkload.fp8(128, 128, 128)
        .withRecipe(GemmRecipe.MXFP8).withLibrary(Library.CUTLASS));
    assertFalse(mx.hasPreset());
    assertTrue(mx.whyNoPreset().contains("mxfp8"), mx.whyNoPreset());
    Simulation nv = Simulation.of(GpuCatalog.byName("b200"), GemmWorkload.fp8(128, 128, 128)
        .withRecipe(GemmRecipe.NVFP4));
    assertEquals("b200.nvf4.fp32", nv.preset().id());
    // The FP4 kinds take K = 64 per instruction.
    assertEquals(64, nv.config(Simulation.Epilogue.DEFAULT, 1).mmaK());
    // Nor does the timing model time it: Hopper's wgmma takes no scale operands.
    assertTrue(mx.time().prediction().isEmpty(), "MXFP8 timed on a Hopper part");
    assertTrue(mx.time().note().contains("no hardware block scaling"), mx.time().note());
    Gpu l40s = GpuCatalog.byName("l40s");
    Simulation.Timing t = Simulation.of(l40s, GemmWorkload.fp8(64, 64, 64)).time();
    assertEquals(l40s.machine() == null, t.prediction().isEmpty());
    if (l40s.machine() == null) {
      assertTrue(t.note().startsWith("no timing model for l40s"), t.note());
    }
    assertEquals(FpFormat.E2M1, GemmRecipe.NVFP4.elementFormat(FpFormat.E4M3));
  }

  /**
   * The library decides the epilogue order and how D is scaled: cuBLASLt's row-wise order, and
   * PyTorch's on sm_90 (a cuBLASLt call with the operands swapped; both measured on an H200),
   * PyTorch's own row-wise kernel on sm_100 (RowwiseScaledMM.cu), cuBLASLt's block-scaled outputs
   * on B200.
   */
  @Test
  void libraryDecidesEpilogueOrderAndOutputScaling() {
    GemmWorkload rowwise = GemmWorkload.fp8(512, 384, 256).withRecipe(GemmRecipe.ROWWISE)
        .withOut(FpFormat.BF16);
    GemmConfig cublas = Simulation.of(GpuCatalog.byName("h100"), rowwise)
        .config(Simulation.Epilogue.DEFAULT, 1);
    assertEquals(EpilogueOrder.ROW_SCALE_FIRST, cublas.epilogueOrder());
    for (String gpu : List.of("h100", "h800", "h200")) {
      GemmConfig torch = Simulation.of(GpuCatalog.byName(gpu), rowwise.withLibrary(Library.TORCH))
          .config(Simulation.Epilogue.DEFAULT, 1);
      assertEquals(EpilogueOrder.COLUMN_SCALE_FIRST, torch.epilogueOrder(), gpu);
    }
    // On sm_100, 512 x 384: N an odd multiple of 128, M a multiple of 256: PyTorch's kernel is
    // not transposed.
    GemmConfig b200Torch = Simulation.of(GpuCatalog.byName("b200"),
        rowwise.withLibrary(Library.TORCH)).config(Simulation.Epilogue.DEFAULT, 1);
    assertEquals(EpilogueOrder.ROW_SCALE_FIRST, b200Torch.epilogueOrder());
    GemmConfig nvfp4 = Simulation.of(GpuCatalog.byName("b200"), GemmWorkload.fp8(64, 64, 128)
        .withRecipe(GemmRecipe.NVFP4).withOut(FpFormat.E2M1))
        .config(new Simulation.Epilogue(1f, 0f, 0.5f), 1);
    assertEquals(ScaleMode.VEC16_UE4M3, nvfp4.outputScaleMode());
    assertEquals(0.5f, nvfp4.scaleD());
  }

  @Test
  void transformerEngineRecipeNamesAreAliases() {
    assertEquals(GemmRecipe.TENSOR, GemmRecipe.parse("Float8CurrentScaling"));
    assertEquals(GemmRecipe.TENSOR, GemmRecipe.parse("DelayedScaling"));
    assertEquals(GemmRecipe.BLOCK, GemmRecipe.parse("Float8BlockScaling"));
    assertEquals(GemmRecipe.MXFP8, GemmRecipe.parse("MXFP8BlockScaling"));
    assertEquals(GemmRecipe.NVFP4, GemmRecipe.parse("NVFP4BlockScaling"));
    assertThrows(IllegalArgumentException.class, () -> GemmRecipe.parse("fp8"));
    assertEquals(Library.TORCH, Library.parse("torch._scaled_mm"));
  }
}

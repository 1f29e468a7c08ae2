package org.tcsim.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;

/** FLOP counts (hand-multiplied), issue granularity, architectures and datapath keys. */
class FlopsAndKeysTest {

  @Test
  void flopsAreTwiceMnk() {
    // 2 * 64 * 256 * 32 = 1,048,576: the wgmma that Luo et al. (arXiv 2402.13499) time at 128
    // cycles.
    assertEquals(1_048_576L,
        PtxParser.parse("wgmma.mma_async.sync.aligned.m64n256k32.f32.e4m3.e4m3").flops());
    assertEquals(524_288L,
        PtxParser.parse("wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2").flops());
    assertEquals(131_072L,
        PtxParser.parse("wgmma.mma_async.sync.aligned.m64n128k8.f32.tf32.tf32").flops());
    // 2 * 16 * 8 * 32 = 8192.
    assertEquals(8192L,
        PtxParser.parse("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32").flops());
    assertEquals(4096L,
        PtxParser.parse("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32").flops());
  }

  @Test
  void ctaGroupTwoCountsThePair() {
    Tcgen05Instruction pair = (Tcgen05Instruction) PtxParser.parse(
        "tcgen05.mma.cta_group::2.kind::f8f6f4.m256n256k32.f32.e4m3.e4m3");
    assertEquals(4_194_304L, pair.flops()); // 2 * 256 * 256 * 32
    assertEquals(2_097_152L, pair.flopsPerCta());
    Tcgen05Instruction single = (Tcgen05Instruction) PtxParser.parse(
        "tcgen05.mma.cta_group::1.kind::f8f6f4.m128n256k32.f32.e4m3.e4m3");
    assertEquals(2_097_152L, single.flops());
    assertEquals(single.flops(), single.flopsPerCta());
    assertEquals(2_097_152L, PtxParser.parse("tcgen05.mma.cta_group::1.kind::mxf4.block_scale"
        + ".m128n128k64.f32.e2m1.e2m1").flops()); // 2 * 128 * 128 * 64
  }

  @Test
  void familiesIssueAtTheirGranularity() {
    assertEquals(IssueGranularity.WARPGROUP,
        PtxParser.parse("wgmma.mma_async.sync.aligned.m64n8k16.f32.f16.f16").issueGranularity());
    assertEquals(IssueGranularity.SINGLE_THREAD, PtxParser.parse(
        "tcgen05.mma.cta_group::1.kind::f16.m64n8k16.f32.f16.f16").issueGranularity());
    assertEquals(128, IssueGranularity.WARPGROUP.threads());
  }

  @Test
  void datapathKeysCarryWhatSelectsADatapath() {
    DatapathKey hopper = PtxParser.parse("wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2")
        .datapathKey();
    assertEquals(new DatapathKey(Architecture.SM_90A, InstructionFamily.WGMMA, OperandType.E4M3,
        OperandType.E5M2, OperandType.F32, java.util.Optional.empty()), hopper);
    assertFalse(hopper.blockScaled());
    assertEquals("sm_90a wgmma.mma_async e4m3 x e5m2 -> f32", hopper.describe());
    // The shape does not change the key.
    assertEquals(hopper, PtxParser.parse("wgmma.mma_async.sync.aligned.m64n8k32.f32.e4m3.e5m2")
        .datapathKey());

    DatapathKey nvfp4 = PtxParser.parse("tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale"
        + ".scale_vec::4X.m128n128k64.f32.e2m1.e2m1.ue4m3").datapathKey();
    assertTrue(nvfp4.blockScaled());
    assertEquals(FpFormat.UE4M3, nvfp4.blockScale().orElseThrow().scaleFormat());
    assertEquals(16, nvfp4.blockScale().orElseThrow().blockSize());
    assertEquals(Architecture.SM_100A, nvfp4.arch());
  }

  @Test
  void architecturesHaveNamesPeopleKnow() {
    assertEquals("Hopper (H100, H200, H800)", Architecture.SM_90A.marketingName());
    assertEquals(Architecture.SM_100A, Architecture.parse("sm_100a"));
    assertEquals(Architecture.SM_89, Architecture.parse("SM_89"));
    assertEquals(Architecture.SM_80, Architecture.parse("sm_80"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Architecture.parse("sm_120"));
    assertEquals("unknown architecture 'sm_120'; known: sm_80, sm_89, sm_90a, sm_100a",
        e.getMessage());
  }

  @Test
  void operandTypesMapToFormats() {
    assertEquals(FpFormat.E4M3, OperandType.E4M3.fpFormat().orElseThrow());
    assertTrue(OperandType.S8.fpFormat().isEmpty());
    assertTrue(OperandType.U8.isInteger());
    assertFalse(OperandType.TF32.isInteger());
  }
}

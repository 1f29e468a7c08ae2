package org.tcsim.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcsim.isa.PtxParser;

/** Instructions map to the datapath presets that execute them. */
class TensorCoreModelsTest {

  private static String presetOf(String ptx) {
    return TensorCoreModels.presetFor(PtxParser.parse(ptx).datapathKey())
        .map(p -> p.id()).orElse("none");
  }

  @Test
  void instructionsFindTheirPresets() {
    assertEquals("h100.fp8.fp32", presetOf("wgmma.mma_async.sync.aligned.m64n256k32.f32.e5m2.e4m3"));
    assertEquals("h100.bf16.fp32", presetOf("wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16"));
    assertEquals("ada.fp8.fp16", presetOf("mma.sync.aligned.m16n8k32.row.col.f16.e4m3.e4m3.f16"));
    // FP8 into FP16: mma.sync on Hopper (measured; HMMA emulation) and wgmma (native, hypothesis)
    // run different datapaths.
    assertEquals("h100.fp8.fp16", TensorCoreModels.presetFor(PtxParser.parse(
        "mma.sync.aligned.m16n8k32.row.col.f16.e4m3.e4m3.f16", org.tcsim.isa.Architecture.SM_90A)
        .datapathKey()).map(p -> p.id()).orElse("none"));
    assertEquals("h100.wgmma.fp8.fp16",
        presetOf("wgmma.mma_async.sync.aligned.m64n64k32.f16.e4m3.e4m3"));
    assertEquals("b200.mxf8f6f4.fp32", presetOf("tcgen05.mma.cta_group::1.kind::mxf8f6f4"
        + ".block_scale.scale_vec::1X.m128n256k32.f32.e4m3.e2m1.ue8m0"));
    assertEquals("b200.nvf4.fp32", presetOf("tcgen05.mma.cta_group::2.kind::mxf4nvf4.block_scale"
        + ".scale_vec::4X.m256n256k64.f32.e2m1.e2m1.ue4m3"));
  }

  @Test
  void unknownGpusAreNamedInTheError() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> TensorCoreModels.parse("mi300x"));
    assertTrue(e.getMessage().contains("unknown GPU 'mi300x'"), e.getMessage());
    assertTrue(e.getMessage().contains("h100"), e.getMessage());
  }
}

package org.tcsim.ampere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Library;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.InstructionFamily;
import org.tcsim.isa.PtxParser;

/** What this module contributes to the catalogue. */
class AmpereGpusTest {

  private static String presetOf(String ptx) {
    return GpuCatalog.presetFor(PtxParser.parse(ptx, Architecture.SM_80).datapathKey())
        .map(p -> p.id()).orElse("none");
  }

  @Test
  void theModuleRegistersTheA100UnderItsProductAndTargetNames() {
    Gpu a100 = GpuCatalog.byName("sm_80");
    assertEquals("a100", a100.id());
    for (String name : List.of("A100 SXM4", "a100_pcie", "ampere", "A100")) {
      assertEquals(a100, GpuCatalog.byName(name), name);
    }
    assertEquals(Architecture.SM_80, a100.architecture());
    assertEquals(List.of(InstructionFamily.MMA_SYNC), a100.families(), "no wgmma, no tcgen05");
    assertTrue(a100.timing().isPresent(), "machines/a100.machine");
    // The consumer Ampere chips are other silicon, not measured here.
    assertTrue(GpuCatalog.find("sm_86").isEmpty());
  }

  @Test
  void noLibraryHasFp8KernelsOnSm80() {
    Gpu a100 = GpuCatalog.byName("a100");
    for (Library l : Library.values()) {
      assertFalse(a100.kernels(l).available(), l.id());
    }
  }

  @Test
  void sm80InstructionsFindTheA100Presets() {
    assertEquals("a100.fp16.fp32", presetOf("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32"));
    assertEquals("a100.fp16.fp16", presetOf("mma.sync.aligned.m16n8k8.row.col.f16.f16.f16.f16"));
    assertEquals("a100.bf16.fp32", presetOf("mma.sync.aligned.m16n8k8.row.col.f32.bf16.bf16.f32"));
    assertEquals("a100.tf32.fp32", presetOf("mma.sync.aligned.m16n8k4.row.col.f32.tf32.tf32.f32"));
  }
}

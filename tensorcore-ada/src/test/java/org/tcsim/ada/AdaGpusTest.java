package org.tcsim.ada;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Library;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.InstructionFamily;

/** What this module contributes to the catalogue. */
class AdaGpusTest {

  @Test
  void theModuleRegistersTheL40sUnderItsArchitectureNames() {
    assertEquals(List.of("l40s"), GpuCatalog.ids());
    Gpu l40s = GpuCatalog.byName("sm_89");
    assertEquals(Architecture.SM_89, l40s.architecture());
    assertEquals(List.of(InstructionFamily.MMA_SYNC), l40s.families(), "no wgmma, no tcgen05");
    assertTrue(l40s.timing().isPresent(), "machines/l40s.machine");
  }

  @Test
  void deepGemmHasNoAdaKernels() {
    Gpu l40s = GpuCatalog.byName("l40s");
    assertFalse(l40s.kernels(Library.DEEPGEMM).available());
    assertThrows(IllegalArgumentException.class,
        () -> l40s.kernels(Library.DEEPGEMM).promotionInterval(false, Library.DEEPGEMM));
    assertTrue(l40s.kernels(Library.CUBLASLT).available());
  }

  @Test
  void noBlockScaledMma() {
    // Block-scaled MMA is tcgen05 (sm_100a) and mma.sync kind::mxf8f6f4 (sm_120a), not sm_89.
    assertTrue(AdaTensorCore.INSTANCE.presets().stream().allMatch(p -> p.blockScaling() == null));
    assertTrue(AdaTensorCore.INSTANCE.preset(FpFormat.E4M3, FpFormat.E4M3, FpFormat.FP32)
        .isPresent());
  }
}

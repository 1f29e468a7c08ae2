package org.tcsim.blackwell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.format.FpFormat;
import org.tcsim.gpu.Gpu;
import org.tcsim.gpu.GpuCatalog;
import org.tcsim.gpu.Library;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.InstructionFamily;

/** What this module contributes to the catalogue, checked against the PTX ISA and cuBLASLt docs. */
class BlackwellGpusTest {

  @Test
  void theModuleRegistersTheB200AndNothingElse() {
    // On this module's own class path only its provider is present.
    assertEquals(List.of("b200"), GpuCatalog.ids());
    Gpu b200 = GpuCatalog.byName("sm_100a");
    assertEquals(Architecture.SM_100A, b200.architecture());
    assertTrue(b200.families().contains(InstructionFamily.TCGEN05));
  }

  @Test
  void noLibraryPromotesTheTensorMemoryAccumulator() {
    Gpu b200 = GpuCatalog.byName("b200");
    for (Library l : Library.values()) {
      assertEquals(0, b200.kernels(l).promotionInterval(), l.id());
      assertEquals(32, b200.kernels(l).mmaK(), l.id() + ": tcgen05 kind::f8f6f4 is K=32");
    }
  }

  @Test
  void blockScaledKindsTakeThePtxScaleFormatsAndBlockSizes() {
    var model = BlackwellTensorCore.INSTANCE;
    // PTX ISA tcgen05.mma: kind::mxf8f6f4 with ue8m0 per 32; kind::mxf4nvf4 with ue4m3 per 16
    // (scale_vec::4X); FP4 kinds have K = 64 per instruction.
    DatapathPreset mx = model.preset(FpFormat.E4M3, FpFormat.E5M2, FpFormat.FP32,
        new DatapathPreset.BlockScaling(FpFormat.E8M0, 32)).orElseThrow();
    assertEquals(32, mx.params().productsPerStep());
    DatapathPreset nv = model.preset(FpFormat.E2M1, FpFormat.E2M1, FpFormat.FP32,
        new DatapathPreset.BlockScaling(FpFormat.UE4M3, 16)).orElseThrow();
    assertEquals(64, nv.params().productsPerStep());
    assertTrue(model.preset(FpFormat.E4M3, FpFormat.E4M3, FpFormat.FP32,
        new DatapathPreset.BlockScaling(FpFormat.UE4M3, 16)).isEmpty(),
        "FP8 operands take E8M0 scales only");
  }
}

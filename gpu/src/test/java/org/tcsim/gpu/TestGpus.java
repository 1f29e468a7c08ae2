package org.tcsim.gpu;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.datapath.TensorCoreModel;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.InstructionFamily;

/** A provider registered only on this module's test class path: two made-up GPUs. */
public final class TestGpus implements GpuProvider {

  static final TensorCoreModel NO_PRESETS = new TensorCoreModel() {
    @Override
    public String name() {
      return "test";
    }

    @Override
    public String description() {
      return "a tensor core with no datapaths";
    }

    @Override
    public List<DatapathPreset> presets() {
      return List.of();
    }
  };

  static Map<Library, KernelDefaults> kernels(KernelDefaults d) {
    Map<Library, KernelDefaults> m = new EnumMap<>(Library.class);
    for (Library l : Library.values()) {
      m.put(l, d);
    }
    return m;
  }

  @Override
  public List<Gpu> gpus() {
    KernelDefaults d = KernelDefaults.of(32, 4, KernelDefaults.FastAccum.NO_PROMOTION, "test");
    return List.of(
        new Gpu("tx1", "Test X1 SXM", List.of("Test X1 SXM", "tx-one"), Architecture.SM_90A,
            List.of(InstructionFamily.WGMMA), NO_PRESETS, null, kernels(d)),
        new Gpu("tx2", "Test X2", List.of(), Architecture.SM_100A,
            List.of(InstructionFamily.TCGEN05), NO_PRESETS, null, kernels(d)));
  }
}

package org.tcsim.gpu;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tcsim.core.datapath.TensorCoreModel;
import org.tcsim.isa.Architecture;
import org.tcsim.isa.InstructionFamily;
import org.tcsim.timing.MachineSpec;

/**
 * One GPU as tcsim knows it: its names, its architecture, what its tensor cores compute (the
 * numerics presets), how fast it is (the timing model's machine description) and how each GEMM
 * library drives it. Everything that differs between GPUs is here; the shared code never asks
 * "which GPU am I?". Each architecture module provides its GPUs through {@link GpuProvider}.
 *
 * @param id the canonical name ({@code h100})
 * @param displayName the product name ({@code NVIDIA H100 SXM5})
 * @param aliases other names users type ({@code h100-sxm}, {@code H100 SXM5}, {@code sm_90a});
 *     matched after {@link GpuCatalog#normalise}
 * @param architecture the PTX target
 * @param families the tensor-core instruction families it runs
 * @param tensorCore the functional model: which datapath executes which formats
 * @param machine the timing model's description, or null when tcsim has none for this GPU
 * @param kernels the FP8 GEMM kernel defaults per library (every library has an entry)
 */
public record Gpu(String id, String displayName, List<String> aliases, Architecture architecture,
    List<InstructionFamily> families, TensorCoreModel tensorCore, MachineSpec machine,
    Map<Library, KernelDefaults> kernels) {

  public Gpu {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    aliases = List.copyOf(aliases);
    Objects.requireNonNull(architecture, "architecture");
    families = List.copyOf(families);
    Objects.requireNonNull(tensorCore, "tensorCore");
    kernels = Map.copyOf(new EnumMap<>(kernels));
    for (Library l : Library.values()) {
      if (!kernels.containsKey(l)) {
        throw new IllegalArgumentException(id + " has no kernel defaults for " + l);
      }
    }
  }

  /** The timing model's description, if tcsim has one for this GPU. */
  public Optional<MachineSpec> timing() {
    return Optional.ofNullable(machine);
  }

  /** The machine description; an error naming the GPU when there is none. */
  public MachineSpec requireTiming() {
    return timing().orElseThrow(() -> new IllegalArgumentException(
        "no timing model for " + id + " (" + displayName + "); GPUs with one: "
            + String.join(", ", GpuCatalog.withTiming())));
  }

  /** The kernel defaults of {@code library} on this GPU. */
  public KernelDefaults kernels(Library library) {
    return kernels.get(library);
  }

  /** The id followed by the aliases. */
  public List<String> names() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(id), aliases.stream()).toList();
  }
}

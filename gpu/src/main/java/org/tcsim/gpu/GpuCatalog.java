package org.tcsim.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.tcsim.core.datapath.DatapathPreset;
import org.tcsim.core.format.FpFormat;
import org.tcsim.isa.DatapathKey;

/**
 * Every GPU tcsim knows, gathered from the architecture modules on the class path
 * ({@link GpuProvider}), looked up by id or alias. Every command, reader, study file and the JUnit
 * API resolve GPU names here and nowhere else.
 */
public final class GpuCatalog {

  private static final List<Gpu> ALL;
  private static final Map<String, Gpu> BY_NAME = new LinkedHashMap<>();

  static {
    List<Gpu> all = new ArrayList<>();
    for (GpuProvider p : ServiceLoader.load(GpuProvider.class, GpuCatalog.class.getClassLoader())) {
      all.addAll(p.gpus());
    }
    ALL = List.copyOf(all);
    for (Gpu g : ALL) {
      for (String name : g.names()) {
        Gpu before = BY_NAME.putIfAbsent(normalise(name), g);
        if (before != null && before != g) {
          throw new IllegalStateException("GPU name '" + name + "' is claimed by both "
              + before.id() + " and " + g.id());
        }
      }
    }
  }

  private GpuCatalog() {}

  /**
   * The form names are compared in: lower case, with runs of spaces, underscores and hyphens as one
   * hyphen ({@code "H100 SXM5"}, {@code h100_sxm5} and {@code h100-sxm5} are one name).
   */
  public static String normalise(String name) {
    return name.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]+", "-");
  }

  /** Every GPU, in catalogue order. */
  public static List<Gpu> all() {
    return ALL;
  }

  /** The GPU with this id or alias, if any. */
  public static Optional<Gpu> find(String name) {
    return Optional.ofNullable(BY_NAME.get(normalise(name)));
  }

  /** The GPU with this id or alias; an unknown name is an error listing the known ids. */
  public static Gpu byName(String name) {
    return find(name).orElseThrow(() -> new UnknownGpuException(name, ids()));
  }

  /** The canonical ids, in catalogue order. */
  public static List<String> ids() {
    return ALL.stream().map(Gpu::id).toList();
  }

  /** The ids of the GPUs that have a timing model. */
  public static List<String> withTiming() {
    return ALL.stream().filter(g -> g.machine() != null).map(Gpu::id).toList();
  }

  /**
   * The datapath preset that executes an instruction, if tcsim models it: the architecture picks
   * the GPU (every GPU of one architecture shares its tensor core), the operand and accumulator
   * types (and block scales) the preset. Integer MMAs have no preset.
   */
  public static Optional<DatapathPreset> presetFor(DatapathKey key) {
    Optional<FpFormat> a = key.a().fpFormat();
    Optional<FpFormat> b = key.b().fpFormat();
    Optional<FpFormat> acc = key.accumulator().fpFormat();
    if (a.isEmpty() || b.isEmpty() || acc.isEmpty()) {
      return Optional.empty();
    }
    Optional<Gpu> gpu = ALL.stream().filter(g -> g.architecture() == key.arch()).findFirst();
    if (key.blockScaled()) {
      var scale = key.blockScale().get();
      var scaling = new DatapathPreset.BlockScaling(scale.scaleFormat(), scale.blockSize());
      return gpu.flatMap(g -> g.tensorCore().preset(a.get(), b.get(), acc.get(), scaling));
    }
    String family = key.family().ptxOpcode();
    return gpu.flatMap(g -> g.tensorCore().preset(a.get(), b.get(), acc.get(), family));
  }
}

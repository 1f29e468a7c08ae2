package org.tcsim.gpu;

import java.util.List;

/**
 * Service interface through which an architecture module contributes its GPUs to the
 * {@link GpuCatalog} ({@code java.util.ServiceLoader}; the module lists its implementation in
 * {@code META-INF/services/org.tcsim.gpu.GpuProvider}). Adding a GPU is one entry here plus its data.
 */
public interface GpuProvider {

  /** The GPUs of this architecture module, in the order {@code tcsim gpus} lists them. */
  List<Gpu> gpus();
}

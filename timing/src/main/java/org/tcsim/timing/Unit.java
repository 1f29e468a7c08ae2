package org.tcsim.timing;

/** The units whose utilisation the timing model reports. */
public enum Unit {
  /** Tensor cores, averaged over all SMs. */
  MMA,
  /** CUDA cores doing FP32 promotion and the epilogue, averaged over all SMs. */
  CUDA_CORES,
  /** L2-to-SM transfers. */
  L2,
  /** HBM reads and writes. */
  HBM;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

package org.tcsim.spark;

import java.io.Serializable;

/**
 * One unit of work: row band {@code band} of product {@code group} of GEMM {@code gemm} (its
 * position in the trace). A huge GEMM is many units, so it spreads over executors too.
 *
 * @param macs the band's multiply-adds, for packing units into tasks
 */
record Unit(int gemm, int group, int band, long macs) implements Serializable {
  private static final long serialVersionUID = 1L;
}

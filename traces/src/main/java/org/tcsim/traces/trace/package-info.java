/**
 * GEMM traces: {@link org.tcsim.traces.trace.GemmSpec} (one FP8 GEMM, checked on construction),
 * the native CSV format ({@link org.tcsim.traces.trace.TraceReader}, streaming, and
 * {@link org.tcsim.traces.trace.TraceWriter}), importers for the cuBLASLt API log and the CUTLASS
 * profiler CSV (docs/hardware-facts.md, Trace formats), and bundled example traces of real model
 * shapes.
 */
package org.tcsim.traces.trace;

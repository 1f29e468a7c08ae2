package org.tcsim.traces.trace;

import java.util.List;
import java.util.Set;

/**
 * The columns of a native trace file, in the order {@link TraceWriter} writes them. Only
 * {@link #REQUIRED} must be present; an absent or empty optional column takes the default of
 * {@link GemmSpec.Builder}.
 */
final class TraceColumns {
  static final String NAME = "name";
  static final String GPU = "gpu";
  static final String M = "m";
  static final String N = "n";
  static final String K = "k";
  static final String GROUPS = "groups";
  static final String A_FORMAT = "a_format";
  static final String B_FORMAT = "b_format";
  static final String A_LAYOUT = "a_layout";
  static final String B_LAYOUT = "b_layout";
  static final String SCALING = "scaling";
  static final String OUT_FORMAT = "out_format";
  static final String FAST_ACCUM = "fast_accum";
  static final String LIBRARY = "library";
  static final String ALPHA = "alpha";
  static final String BETA = "beta";
  static final String SEED = "seed";
  static final String A_DATA = "a_data";
  static final String B_DATA = "b_data";
  static final String C_DATA = "c_data";
  static final String A_SCALE_DATA = "a_scale_data";
  static final String B_SCALE_DATA = "b_scale_data";
  static final String SOURCE = "source";

  static final List<String> ALL = List.of(NAME, GPU, M, N, K, GROUPS, A_FORMAT, B_FORMAT,
      A_LAYOUT, B_LAYOUT, SCALING, OUT_FORMAT, FAST_ACCUM, LIBRARY, ALPHA, BETA, SEED, A_DATA, B_DATA,
      C_DATA, A_SCALE_DATA, B_SCALE_DATA, SOURCE);

  static final Set<String> REQUIRED = Set.of(NAME, GPU, M, N, K);

  private TraceColumns() {}
}

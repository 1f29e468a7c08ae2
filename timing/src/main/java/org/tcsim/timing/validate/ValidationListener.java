package org.tcsim.timing.validate;

/**
 * What a long validation, fit or cross-validation tells as it goes, so that a command can show
 * its progress. Predictions run in parallel: {@link #predicted} may be called from several
 * threads at once.
 */
public interface ValidationListener {

  /** Listens to nothing. */
  ValidationListener NONE = new ValidationListener() {};

  /** A batch of {@code predictions} distinct GEMMs is about to be predicted. */
  default void predicting(int predictions) {}

  /** One more GEMM was predicted. */
  default void predicted() {}

  /**
   * Step {@code step} (from 1) of {@code steps} begins, described by {@code what}: a family being
   * fitted, or a source held out.
   */
  default void step(int step, int steps, String what) {}
}

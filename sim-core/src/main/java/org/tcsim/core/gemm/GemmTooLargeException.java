package org.tcsim.core.gemm;

/** A GEMM refused before it starts because its estimated memory does not fit in the heap. */
public final class GemmTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public GemmTooLargeException(String message) {
    super(message);
  }
}

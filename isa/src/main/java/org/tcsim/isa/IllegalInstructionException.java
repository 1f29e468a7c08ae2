package org.tcsim.isa;

/**
 * Thrown for PTX text that is not a legal MMA instruction; the message says why, in the spirit of a
 * ptxas diagnostic (which rule, which value, what would be legal).
 */
public final class IllegalInstructionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public IllegalInstructionException(String message) {
    super(message);
  }
}

package org.tcsim.core;

/**
 * Bad input in a file: says which file, which line and which field, so that the user can go
 * straight to it. Nothing is silently skipped.
 */
public class InputFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;
  private final String field;

  public InputFormatException(String source, long line, String field, String message) {
    this(source, line, field, message, true);
  }

  /**
   * For subclasses whose messages follow their own file's conventions: {@code text} is the whole
   * message when {@code decorate} is false.
   */
  protected InputFormatException(String source, long line, String field, String text,
      boolean decorate) {
    super(decorate ? source + (line > 0 ? ":" + line : "") + (field != null ? " [" + field + "]" : "")
        + ": " + text : text);
    this.source = source;
    this.line = line;
    this.field = field;
  }

  /** The file (or resource) name. */
  public String source() {
    return source;
  }

  /** 1-based line number, or 0 when the problem is with the file as a whole. */
  public long line() {
    return line;
  }

  /** The column or field name, or null. */
  public String field() {
    return field;
  }
}

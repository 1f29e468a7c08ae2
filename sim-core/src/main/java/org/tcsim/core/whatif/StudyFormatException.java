package org.tcsim.core.whatif;

/** A study file that cannot be run, with the file, line and key at fault. */
public final class StudyFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String key;

  public StudyFormatException(String source, int line, String key, String message) {
    super(source + (line > 0 ? " line " + line : "") + (key != null ? " (" + key + ")" : "") + ": "
        + message);
    this.source = source;
    this.line = line;
    this.key = key;
  }

  /** The file (or other source name). */
  public String source() {
    return source;
  }

  /** The 1-based line, or 0 when the problem is the file as a whole (a missing key). */
  public int line() {
    return line;
  }

  /** The key at fault, or null. */
  public String key() {
    return key;
  }
}

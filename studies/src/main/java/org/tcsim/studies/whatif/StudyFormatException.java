package org.tcsim.studies.whatif;

import org.tcsim.core.InputFormatException;

/**
 * A study file that cannot be run, with the file, line and key at fault; its message reads
 * {@code FILE line N (key): ...}, as study files name lines.
 */
public final class StudyFormatException extends InputFormatException {
  private static final long serialVersionUID = 1L;

  public StudyFormatException(String source, int line, String key, String message) {
    super(source, line, key, source + (line > 0 ? " line " + line : "")
        + (key != null ? " (" + key + ")" : "") + ": " + message, false);
  }

  /** The key at fault, or null. */
  public String key() {
    return field();
  }
}

package org.tcsim.cli;

/**
 * The one exit-status map of every tcsim command, and its lines for the help texts (picocli
 * {@code exitCodeList} entries must be compile-time constants, hence strings here).
 */
final class ExitCodes {
  private ExitCodes() {}

  /** The command did what it was asked, and every check it made passed. */
  static final int OK = 0;
  /** A check failed: a mismatch, a row that differs, a rule broken, an illegal instruction. */
  static final int CHECK_FAILED = 1;
  /** Bad input or usage: a bad file, an unknown format or GPU, a bad option, a bad shape. */
  static final int BAD_INPUT = 2;
  /** A bug in tcsim: an exception nobody expected (the stack trace is printed to report it). */
  static final int INTERNAL_ERROR = 3;

  static final String HEADING = "Exit codes:%n";
  static final String LINE_OK = "0:done";
  static final String LINE_BAD_INPUT =
      "2:bad input or usage (bad file, unknown format or GPU, bad option or shape)";
  static final String LINE_INTERNAL = "3:internal error (a bug in tcsim; please report it)";
}

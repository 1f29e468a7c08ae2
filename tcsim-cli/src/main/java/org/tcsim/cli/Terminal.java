package org.tcsim.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process's standard error is a terminal, the test {@code isatty(2)} makes: a
 * progress bar drawn with carriage returns belongs on a terminal only, never in a log file or a
 * pipe. Java 17 has no isatty; on Linux /proc/self/fd/2 names what stderr is (a terminal is a
 * /dev/pts or /dev/tty device). Elsewhere the nearest Java answer is used: a console exists when
 * stdin and stdout are terminals.
 */
final class Terminal {
  private Terminal() {}

  static boolean stderrIsTerminal() {
    Path fd = Path.of("/proc/self/fd/2");
    if (Files.exists(fd, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try {
        return isTerminalDevice(Files.readSymbolicLink(fd).toString());
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }
    return System.console() != null;
  }

  /** Whether a path /proc/self/fd/N links to is a terminal device. */
  static boolean isTerminalDevice(String target) {
    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
        || target.equals("/dev/console");
  }
}

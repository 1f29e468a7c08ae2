package org.tcsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.tcsim.core.InputFormatException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * What a command that throws gets: bad input (an {@link IllegalArgumentException}, an
 * {@link InputFormatException} naming file, line and field, a file that cannot be read or
 * written) is one line {@code tcsim CMD: message} on stderr and exit status 2; anything else is a
 * bug, reported with its stack trace and exit status 3. Commands therefore throw rather than
 * print-and-return, and keep only the statuses of their own checks (1).
 */
final class InputErrors implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    cmd.getOut().flush();
    String name = cmd.getCommandSpec().qualifiedName();
    String message = message(ex);
    if (message == null) {
      err.println(name + ": internal error (a bug in tcsim; please report it with this trace):");
      ex.printStackTrace(err);
      err.flush();
      return ExitCodes.INTERNAL_ERROR;
    }
    err.println(name + ": " + message);
    err.flush();
    return ExitCodes.BAD_INPUT;
  }

  /** The one line that says what was wrong with the input, or null for a bug. */
  static String message(Throwable ex) {
    if (ex instanceof UncheckedIOException u && u.getCause() != null) {
      return message(u.getCause());
    }
    if (ex instanceof InputFormatException || ex instanceof IllegalArgumentException) {
      return ex.getMessage();
    }
    if (ex instanceof IOException io) {
      return describe(io);
    }
    return null;
  }

  /**
   * One line for a file {@code what} names (a path, or an option and its path) that could not be
   * read: {@code what: no such file or folder}, {@code what: not UTF-8 text}, and so on.
   */
  static String cannotRead(String what, IOException e) {
    String reason;
    if (e instanceof NoSuchFileException) {
      reason = "no such file or folder";
    } else if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e instanceof CharacterCodingException) {
      reason = "not UTF-8 text";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      reason = f.getReason();
    } else {
      reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    return "cannot read " + what + ": " + reason;
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException f) {
      return f.getFile() + ": no such file or folder";
    }
    if (e instanceof AccessDeniedException f) {
      return f.getFile() + ": permission denied";
    }
    if (e instanceof NotDirectoryException f) {
      return f.getFile() + ": not a folder";
    }
    if (e instanceof FileSystemException f) {
      return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass()
          .getSimpleName());
    }
    if (e instanceof CharacterCodingException) {
      return "input is not UTF-8 text";
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}

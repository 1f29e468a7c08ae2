package org.tcsim.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the tcsim command line in-process with the given stdin, capturing stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

  static CliRun run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream savedIn = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute(args);
      return new CliRun(code, out.toString(), err.toString());
    } finally {
      System.setIn(savedIn);
    }
  }

  /** Runs with empty standard input. */
  static CliRun of(String... args) {
    return run("", args);
  }

  /** The exit code (short name). */
  int exit() {
    return exitCode;
  }

  /** stdout split into lines (no trailing empty line). */
  String[] lines() {
    return out.isEmpty() ? new String[0] : out.split("\\R");
  }
}

package org.tcsim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code tcsim} command. Each sub-command lives in its own class in this
 * package; register new ones in the {@code subcommands} list below.
 */
@Command(
    name = "tcsim",
    mixinStandardHelpOptions = true,
    versionProvider = TcsimVersion.class,
    description = "Bit-exact, cycle-approximate simulator of NVIDIA Hopper and Blackwell tensor cores.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {"0:done, every check passed", "1:a check failed (a mismatch, a row that "
        + "differs, an illegal instruction; each command's --help says which)",
        ExitCodes.LINE_BAD_INPUT, ExitCodes.LINE_INTERNAL},
    subcommands = {
      CommandLine.HelpCommand.class,
      VerifyCommand.class,
      GpusCommand.class,
      IsaCommand.class,
      TimeCommand.class,
      FormatsCommand.class,
      ConvertCommand.class,
      CaptureCommand.class,
      TraceCommand.class,
      GemmCommand.class,
      WhatifCommand.class,
      TrainCommand.class,
      ReplayCommand.class,
      CheckCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * The tcsim command line with its error handling: every command, sub-command included, maps
   * bad usage and bad input to exit status 2 with one line of explanation ({@link UsageErrors},
   * {@link InputErrors}); enum values (--from cublaslt, --scaling block ...) in any case.
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // Set on the root after the sub-commands exist: picocli applies them to the whole tree.
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(new UsageErrors());
    cl.setExecutionExceptionHandler(new InputErrors());
    return cl;
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}

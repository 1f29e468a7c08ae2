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

  /** Runs the command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}

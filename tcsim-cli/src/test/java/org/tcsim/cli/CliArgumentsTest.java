package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command answers bad arguments with exit status 2 and a message on standard error that
 * names the problem, never with a stack trace.
 */
class CliArgumentsTest {

  static Stream<String> commands() {
    return Main.commandLine().getSubcommands().keySet().stream()
        .filter(name -> !name.equals("help"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void anUnknownOptionIsAUsageError(String command) {
    CliRun r = CliRun.of(command, "--no-such-option");
    assertEquals(2, r.exit(), command + ": " + r.err());
    // picocli names the first problem it meets: the unknown option, or a missing required one.
    assertTrue(r.err().startsWith("tcsim " + command + ": unknown option '--no-such-option'")
        || r.err().startsWith("tcsim " + command + ": Missing required"), r.err());
    // one line for the problem, at most one did-you-mean, one pointing to --help; no usage text
    assertTrue(r.err().lines().count() <= 3, r.err());
    assertTrue(r.err().strip().endsWith("Try 'tcsim " + command + " --help' for more information."),
        r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandHasHelp(String command) {
    CliRun r = CliRun.of(command, "--help");
    assertEquals(0, r.exit(), command);
    assertTrue(r.out().startsWith("Usage: tcsim " + command), r.out());
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    CliRun r = CliRun.of("frobnicate");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("frobnicate"), r.err());
  }

  @Test
  void badNumbersNameTheOption() {
    for (List<String> args : List.of(
        List.of("time", "--gpu", "h100", "--m", "many", "--n", "1", "--k", "1"),
        List.of("verify", "--show", "x"))) {
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }

  /** The recipe option answers to both names on every command that takes one, with the same meaning. */
  @Test
  void recipeAndScalingAreOneOption() {
    CliRun recipe = CliRun.of("gemm", "--gpu", "b200", "--m", "32", "--n", "32", "--k", "64", "--quiet",
        "--recipe", "nvfp4");
    CliRun scaling = CliRun.of("gemm", "--gpu", "b200", "--m", "32", "--n", "32", "--k", "64", "--quiet",
        "--scaling", "nvfp4");
    assertEquals(0, recipe.exit(), recipe.err());
    assertEquals(0, scaling.exit(), scaling.err());
    assertTrue(recipe.out().contains("VEC16_UE4M3"), recipe.out());
    // everything but the kernel's timing line is the same run
    assertEquals(withoutTimings(scaling.out()), withoutTimings(recipe.out()));

    CliRun timeRecipe = CliRun.of("time", "--gpu", "h800", "--m", "256", "--n", "512", "--k", "1024",
        "--recipe", "rowwise");
    CliRun timeScaling = CliRun.of("time", "--gpu", "h800", "--m", "256", "--n", "512", "--k", "1024",
        "--scaling", "rowwise");
    assertEquals(0, timeRecipe.exit(), timeRecipe.err());
    assertTrue(timeRecipe.out().contains("recipe rowwise"), timeRecipe.out());
    assertEquals(timeScaling.out(), timeRecipe.out());

    CliRun checkHelp = CliRun.of("check", "--help");
    assertTrue(checkHelp.out().contains("--recipe, --scaling=RECIPE"), checkHelp.out());
  }

  private static String withoutTimings(String out) {
    return out.lines().filter(l -> !l.startsWith("kernel ")).collect(java.util.stream.Collectors.joining("\n"));
  }
}

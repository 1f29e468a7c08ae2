package org.tcsim.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What a command line that picocli cannot parse gets: one line naming the problem, a
 * did-you-mean where there is a near option or command, one line pointing to {@code --help}, and
 * exit status 2. Never the whole usage text, which buries the one line that matters.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    cmd.getOut().flush();
    if (!(ex instanceof UnmatchedArgumentException) && !cmd.getUnmatchedArguments().isEmpty()) {
      // picocli checks required options before it reports unknown ones, but "gemm -m 5" is
      // about '-m' (meant as --m), not about --m missing.
      ex = new UnmatchedArgumentException(cmd, cmd.getUnmatchedArguments());
    }
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      String what = u.isUnknownOption() ? "unknown option"
          : cmd.getSubcommands().isEmpty() ? "unexpected argument" : "unknown command";
      err.println(name + ": " + what + " '" + first + "'");
      List<String> suggestions = suggestions(cmd, u, first);
      if (!suggestions.isEmpty()) {
        err.println("did you mean " + suggestions.stream().map(s -> "'" + s + "'")
            .collect(Collectors.joining(" or ")) + "?");
      }
    } else {
      err.println(name + ": " + ex.getMessage());
    }
    err.println("Try '" + name + " --help' for more information.");
    err.flush();
    return ExitCodes.BAD_INPUT;
  }

  /**
   * {@code --m} alone for {@code -m} (the commonest slip: one dash), else picocli's own
   * suggestions (names close to the typed one), at most three.
   */
  private static List<String> suggestions(CommandLine cmd, UnmatchedArgumentException u,
      String typed) {
    List<String> out = new ArrayList<>();
    if (typed.startsWith("-") && !typed.startsWith("--")) {
      String doubled = "-" + typed.split("=", 2)[0];
      if (cmd.getCommandSpec().findOption(doubled) != null) {
        return List.of(doubled);
      }
    }
    for (String s : u.getSuggestions()) {
      if (!out.contains(s) && out.size() < 3) {
        out.add(s);
      }
    }
    return out;
  }
}

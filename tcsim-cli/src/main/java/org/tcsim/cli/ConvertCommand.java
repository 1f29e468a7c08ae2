package org.tcsim.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;
import org.tcsim.core.format.StochasticRounder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tcsim convert --to FORMAT}: float32 bit patterns on stdin, one per line, to codes of FORMAT
 * on stdout, one per line, each rounded once from the float's exact value.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert float32 bit patterns on stdin to codes of FORMAT on stdout, one per line.",
      "Input: 8 hex digits per line, optional 0x prefix. Output: the codes of FORMAT in hex, one per",
      "line: 1 digit for FP4, 2 for FP6/FP8,",
      "4 for FP16/BF16, 8 for TF32 (in its FP32 container) and FP32.",
      "Default: round to nearest even, overflow as ml_dtypes (Inf, or NaN for e4m3/e8m0;",
      "FP4/FP6 saturate). A malformed line stops the conversion with exit code 2."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.LINE_OK, "2:bad input or usage (a malformed stdin line, NaN into a "
        + "format without NaN, unknown format, bad option)", ExitCodes.LINE_INTERNAL})
final class ConvertCommand implements Callable<Integer> {

  private static final Pattern FLOAT32_HEX = Pattern.compile("(0[xX])?[0-9a-fA-F]{8}");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--to", required = true, paramLabel = "FORMAT",
      description = "Target format: our name (e4m3) or another tool's (float8_e4m3fn, "
          + "CUDA_R_8F_E4M3, ...; see 'tcsim formats').")
  String to;

  @Option(names = "--satfinite",
      description = "Clamp finite overflow and +-Inf to +-max finite; NaN stays NaN (PTX .satfinite).")
  boolean satfinite;

  @Option(names = "--round", paramLabel = "MODE",
      description = "Rounding: rne (default), rz, ru or rd.")
  String round;

  @Option(names = "--stochastic-seed", paramLabel = "S",
      description = "Stochastic rounding, reproducible from seed S (excludes --round).")
  Long stochasticSeed;

  @Override
  public Integer call() throws IOException {
    FpFormat format = FormatsCommand.parseFormat(spec, to);
    if (round != null && stochasticSeed != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--round and --stochastic-seed exclude each other: stochastic rounding is its own mode");
    }
    Rounding rounding;
    try {
      rounding = round == null ? Rounding.RNE : Rounding.parse(round);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Overflow overflow = satfinite ? Overflow.SATFINITE : Overflow.IEEE;
    StochasticRounder rounder = stochasticSeed == null ? null : new StochasticRounder(stochasticSeed);

    PrintWriter out = spec.commandLine().getOut();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    int lineNumber = 0;
    while ((line = in.readLine()) != null) {
      lineNumber++;
      String text = line.strip();
      String problem = null;
      if (text.isEmpty()) {
        problem = "blank line (expected 8 hex digits of a float32, optional 0x prefix)";
      } else if (!FLOAT32_HEX.matcher(text).matches()) {
        problem = "'" + line + "' is not a float32 bit pattern (expected 8 hex digits, optional 0x prefix)";
      }
      if (problem == null) {
        int bits = (int) Long.parseLong(text.substring(text.length() - 8), 16);
        float value = Float.intBitsToFloat(bits);
        if (Float.isNaN(value) && !format.hasNaN()) {
          problem = "'" + line + "' is NaN, which " + format.shortName()
              + " cannot represent (it has no NaN code)";
        } else {
          int code = rounder != null ? rounder.encode(format, value, overflow)
              : format.encode(value, rounding, overflow);
          out.println(format.hex(code));
          continue;
        }
      }
      throw new IllegalArgumentException("stdin line " + lineNumber + ": " + problem);
    }
    out.flush();
    return 0;
  }
}

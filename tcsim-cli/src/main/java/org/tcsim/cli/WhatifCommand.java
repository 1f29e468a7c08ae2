package org.tcsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tcsim.studies.whatif.StudyParser;
import org.tcsim.studies.whatif.StudySpec;
import org.tcsim.studies.whatif.StudyRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tcsim whatif}: runs a what-if study described in a study file. */
@Command(name = "whatif", mixinStandardHelpOptions = true,
    description = {
        "Run a what-if study: sweep one or two parameters (datapath, recipe, workload or machine) "
            + "over a workload and write <output>.csv and charts of the error against the exact "
            + "product and of the predicted time. The study file format is documented in "
            + "studies/README.md and org.tcsim.studies.whatif.StudyParser.",
        "Example: tcsim whatif studies/accumulator-width.study --out results/"},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.LINE_OK, "2:bad input or usage (bad study file, unknown format or "
        + "GPU, bad option, a folder that cannot be written)", ExitCodes.LINE_INTERNAL})
public final class WhatifCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "STUDY", description = "the study file")
  Path study;

  @Option(names = "--out", paramLabel = "DIR",
      description = "folder for the CSV and PNGs (default: the study file's folder)")
  Path out;

  @Option(names = "--threads", description = "GEMM worker threads (default: all processors)")
  Integer threads;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    StudySpec s;
    try (Reader r = Files.newBufferedReader(study, StandardCharsets.UTF_8)) {
      s = StudyParser.parse(r, study.toString());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new org.tcsim.core.InputFormatException(study.toString(), 0, null, "not UTF-8 text");
    }
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + t);
    }
    Path dir = out != null ? out : study.toAbsolutePath().getParent();
    stdout.println("study " + study + ": " + s.title());
    stdout.flush();
    StudyRunner.Outcome o = StudyRunner.run(s, dir, t, stdout);
    stdout.println("wrote " + o.csv());
    o.charts().forEach(c -> stdout.println("wrote " + c));
    stdout.flush();
    return 0;
  }
}

package org.tcsim.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tcsim.core.format.FormatNames;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tcsim formats [FORMAT] [--codes]}: the number formats as a table, one format in detail, or
 * every code of one format with its fields, class and exact value (a reference card).
 */
@Command(
    name = "formats",
    mixinStandardHelpOptions = true,
    description = {
      "List the number formats, or describe one FORMAT in detail (--codes: every code).",
      "With --codes, every code of FORMAT is printed with its fields, class and exact value.",
      "FORMAT is our name (e4m3) or another tool's: ml_dtypes/PyTorch (float8_e4m3fn), CUDA",
      "(CUDA_R_8F_E4M3), e4m3fn, half, UE8M0 ... ('tcsim formats e4m3' lists a format's names)."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.LINE_OK, "2:bad input or usage (unknown format, a look-alike "
        + "format such as float8_e4m3, bad option)", ExitCodes.LINE_INTERNAL})
final class FormatsCommand implements Callable<Integer> {

  /** Widest format whose codes are listed (2^16 lines). */
  private static final int MAX_LISTED_WIDTH = 16;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "FORMAT", description = "A format name.")
  String formatName;

  @Option(names = "--codes", description = "List every code of FORMAT (formats of up to 16 bits).")
  boolean codes;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (formatName == null) {
      if (codes) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--codes needs a FORMAT, e.g. 'tcsim formats e4m3 --codes'");
      }
      printTable(out);
    } else {
      FpFormat f = parseFormat(spec, formatName);
      if (codes) {
        if (f.width() > MAX_LISTED_WIDTH) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--codes lists formats of up to " + MAX_LISTED_WIDTH + " bits; " + f.shortName()
                  + " has " + f.width() + " (2^" + f.width() + " codes). Use 'tcsim formats "
                  + f.shortName() + "' for its properties.");
        }
        printCodes(out, f);
      } else {
        printDetail(out, f);
      }
    }
    out.flush();
    return 0;
  }

  /** Parses a format name, or fails with the list of known names. */
  static FpFormat parseFormat(CommandLine.Model.CommandSpec spec, String name) {
    try {
      return FpFormat.parse(name);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static void printTable(PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"format", "dtype", "bits", "exp", "mant", "bias", "max finite",
        "min normal", "min subnormal", "specials"});
    for (FpFormat f : FpFormat.values()) {
      rows.add(new String[] {
          f.shortName(), f.dtypeName().orElse("-"), Integer.toString(f.width()),
          Integer.toString(f.exponentBits()), Integer.toString(f.mantissaBits()),
          Integer.toString(f.bias()), FormatText.cell(f.maxFinite()),
          FormatText.powerOfTwo(f.minNormal()),
          f.hasSubnormals() ? FormatText.powerOfTwo(f.minSubnormal()) : "none",
          FormatText.specials(f)});
    }
    printAligned(out, rows);
    out.println();
    out.println("dtype: the NumPy name (ml_dtypes registers the narrow ones); - where neither "
        + "has the format.");
    out.println("Values are exact: 255*2^120 means 255 times 2^120. Layouts and special codes: "
        + "OCP OFP8 1.0, OCP MX 1.0, IEEE 754-2019.");
  }

  private static void printAligned(PrintWriter out, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        sb.append(row[i]);
        if (i + 1 < row.length) {
          sb.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  private static void printDetail(PrintWriter out, FpFormat f) {
    int minNormalCode = f.hasSubnormals() ? 1 << f.mantissaBits() : 0;
    long finiteCount = (long) (f.maxFiniteCode() + 1) * (f.signed() ? 2 : 1);
    line(out, "format", f.shortName() + f.dtypeName().map(n -> " (dtype " + n + ")").orElse(""));
    line(out, "names", String.join(", ", FormatNames.spellings(f)));
    line(out, "layout", FormatText.layout(f) + "  (" + f.width() + " bits: "
        + (f.signed() ? "1 sign, " : "no sign, ") + f.exponentBits() + " exponent, "
        + f.mantissaBits() + " mantissa)");
    line(out, "bias", Integer.toString(f.bias()));
    line(out, "exponents", "min normal 2^" + f.minExponent() + ", max 2^" + f.maxExponent());
    line(out, "precision", f.precision() + (f.precision() == 1 ? " bit (" : " bits (")
        + f.mantissaBits() + " stored)");
    line(out, "max finite", valueWithCode(f, f.maxFiniteCode()));
    line(out, "min normal", valueWithCode(f, minNormalCode));
    line(out, "min subnormal", f.hasSubnormals() ? valueWithCode(f, 1) : "none (no subnormals)");
    line(out, "specials", FormatText.specials(f));
    if (f.hasInfinity()) {
      line(out, "infinity", "+Inf " + f.hex(f.infinityCode()) + ", -Inf "
          + f.hex(f.infinityCode() | f.signMask()));
    }
    if (f.hasNaN()) {
      line(out, "NaN", "canonical " + f.hex(f.canonicalNaN()));
    }
    line(out, "finite values", finiteCount + (f.signed() ? " (zero counted twice, +0 and -0)" : ""));
    if (f.containerShift() > 0) {
      line(out, "container", "held in an FP32 register, low " + f.containerShift()
          + " bits zero; codes print in that form");
    }
    line(out, "hex digits", Integer.toString(f.hex(0).length()));
    line(out, "source", FormatText.source(f));
  }

  private static String valueWithCode(FpFormat f, int code) {
    double v = f.decode(code);
    return FormatText.exact(v) + " = " + FormatText.powerOfTwo(v) + "  (code " + f.hex(code) + ")";
  }

  private static void line(PrintWriter out, String key, String value) {
    out.printf("%-14s %s%n", key, value);
  }

  private static void printCodes(PrintWriter out, FpFormat f) {
    out.println("# " + f.shortName() + f.dtypeName().map(n -> " (" + n + ")").orElse("")
        + ", layout "
        + FormatText.layout(f) + ", bias " + f.bias() + "; value = significand*2^exponent");
    out.println("# hex  fields  class  value  significand*2^exponent");
    int count = (int) f.codeCount();
    for (int code = 0; code < count; code++) {
      FpClass c = f.classify(code);
      StringBuilder sb = new StringBuilder();
      sb.append(f.hex(code)).append("  ").append(FormatText.fields(f, code)).append("  ")
          .append(FormatText.className(c)).append("  ").append(FormatText.exact(f.decode(code)));
      if (c == FpClass.NORMAL || c == FpClass.SUBNORMAL) {
        sb.append("  ").append(f.isNegative(code) ? "-" : "").append(f.significand(code))
            .append("*2^").append(f.scaleExponent(code));
      }
      out.println(sb);
    }
  }
}

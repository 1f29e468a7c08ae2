package org.tcsim.isa;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The M x N x K of one MMA: A is M x K, B is K x N, C and D are M x N (PTX ISA 8.7, §9.7.16.2.1,
 * "Matrix Shape", and the same convention for wgmma and mma.sync).
 */
public record MmaShape(int m, int n, int k) {

  private static final Pattern PTX = Pattern.compile("m(\\d{1,4})n(\\d{1,4})k(\\d{1,4})");

  public MmaShape {
    if (m <= 0 || n <= 0 || k <= 0) {
      throw new IllegalArgumentException("MMA shape must be positive, got m" + m + "n" + n + "k" + k);
    }
  }

  /** Multiply-adds counted as two operations each: 2*M*N*K. */
  public long flops() {
    return 2L * m * n * k;
  }

  /** The PTX qualifier without its dot: {@code m64n128k32}. */
  public String ptx() {
    return "m" + m + "n" + n + "k" + k;
  }

  /** Parses {@code m64n128k32} (no dot); empty if the token is not a shape. */
  public static java.util.Optional<MmaShape> parsePtx(String token) {
    Matcher mt = PTX.matcher(token);
    if (!mt.matches()) {
      return java.util.Optional.empty();
    }
    int m = Integer.parseInt(mt.group(1));
    int n = Integer.parseInt(mt.group(2));
    int k = Integer.parseInt(mt.group(3));
    if (m == 0 || n == 0 || k == 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new MmaShape(m, n, k));
  }

  @Override
  public String toString() {
    return "M=" + m + " N=" + n + " K=" + k;
  }
}

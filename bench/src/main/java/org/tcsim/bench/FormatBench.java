package org.tcsim.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Overflow;
import org.tcsim.core.format.Rounding;

/**
 * Number-format throughput in codes per second: decoding through the lookup table against decoding
 * by arithmetic, and rounding floats to a format (RNE, ml_dtypes overflow). The baseline only sums
 * the codes as ints, so the ratios to it say what the conversion itself costs. Results are folded
 * into an integer sum (a double's bits), not a floating-point one, whose add latency would cap the
 * loop.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar FormatBench -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class FormatBench {

  /** Codes (and values) per invocation; each benchmark reports codes per second. */
  static final int N = 4096;

  @Param({"E4M3", "E5M2", "BF16"})
  public String format;

  private FpFormat f;
  /** Random finite and special codes of the format. */
  private int[] codes;
  /** Floats spread over the format's range, most of them between two of its values. */
  private float[] values;

  @Setup
  public void setUp() {
    f = FpFormat.valueOf(format);
    SplittableRandom random = new SplittableRandom(20261128L);
    codes = new int[N];
    values = new float[N];
    for (int i = 0; i < N; i++) {
      codes[i] = random.nextInt((int) f.codeCount());
      int finite = random.nextInt(f.maxFiniteCode() + 1);
      double v = f.decode(finite) * (1 + random.nextDouble() / 8);
      values[i] = (float) (random.nextBoolean() ? -v : v);
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long baselineSumCodes() {
    long sum = 0;
    for (int c : codes) {
      sum += c;
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long decodeTable() {
    long sum = 0;
    for (int c : codes) {
      sum += Double.doubleToRawLongBits(f.decode(c));
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long decodeArithmetic() {
    long sum = 0;
    for (int c : codes) {
      sum += Double.doubleToRawLongBits(f.decodeArithmetic(c));
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long encodeFloatRne() {
    long sum = 0;
    for (float v : values) {
      sum += f.encode(v, Rounding.RNE, Overflow.IEEE);
    }
    return sum;
  }
}

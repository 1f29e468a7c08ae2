package org.tcsim.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.tcsim.blackwell.BlackwellTensorCore;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.exact.ExactDot;
import org.tcsim.core.format.FpFormat;
import org.tcsim.h100.HopperTensorCore;

/**
 * Dot products per second through the generic bit-exact block-FMA datapath (H100 FP8 truncating
 * preset and B200 FP8 exact preset) for K = 32 (one wgmma step) and K = 4096, against two
 * baselines in the same run: a plain double dot product of the decoded values (what an emulator
 * that ignores the hardware's rounding would do) and the arbitrary-precision exact reference.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar DatapathBench -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class DatapathBench {

  @Param({"32", "4096"})
  public int k;

  private int[] a;
  private int[] b;
  private double[] av;
  private double[] bv;
  private BlockFmaDatapath hopper;
  private BlockFmaDatapath blackwell;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    a = new int[k];
    b = new int[k];
    av = new double[k];
    bv = new double[k];
    for (int i = 0; i < k; i++) {
      // Finite E4M3 codes of both signs (0x7F and 0xFF are NaN).
      a[i] = random.nextInt(0x7F) | (random.nextBoolean() ? 0x80 : 0);
      b[i] = random.nextInt(0x7F) | (random.nextBoolean() ? 0x80 : 0);
      av[i] = FpFormat.E4M3.decode(a[i]);
      bv[i] = FpFormat.E4M3.decode(b[i]);
    }
    hopper = new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E4M3, HopperTensorCore.FP8_FP32);
    blackwell = new BlockFmaDatapath(FpFormat.E4M3, FpFormat.E4M3, BlackwellTensorCore.FP8_FP32);
  }

  @Benchmark
  public double baselineDoubleDot() {
    double s = 0;
    for (int i = 0; i < k; i++) {
      s += av[i] * bv[i];
    }
    return s;
  }

  @Benchmark
  public int hopperBitExact() {
    return hopper.dot(a, b, k, 0);
  }

  @Benchmark
  public int blackwellBitExact() {
    return blackwell.dot(a, b, k, 0);
  }

  @Benchmark
  public Object exactReference() {
    return ExactDot.dot(FpFormat.E4M3, a, FpFormat.E4M3, b, k, FpFormat.FP32, 0);
  }
}

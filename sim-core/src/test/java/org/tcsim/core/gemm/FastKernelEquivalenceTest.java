package org.tcsim.core.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.tcsim.core.datapath.AccumulatorJoin;
import org.tcsim.core.datapath.AlignmentMode;
import org.tcsim.core.datapath.BlockFmaDatapath;
import org.tcsim.core.datapath.BlockFmaParams;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.format.Rounding;

/**
 * The fast FP8 kernel is the generic {@link BlockFmaDatapath}, bit for bit: on random codes drawn
 * to hit zeros, subnormals, the extremes and specials, with random accumulators (zero, 13-bit
 * values, any finite FP32, subnormals, huge ones, Inf/NaN) and random K, for the H100 preset and
 * for what-if variants; and on H100 hardware samples, where both must also equal the hardware.
 */
class FastKernelEquivalenceTest {

  /**
   * The H100 FP8 -> FP32 preset values (docs/hardware-facts.md, Hopper FP8;
   * HopperTensorCore.FP8_FP32).
   */
  static final BlockFmaParams H100 = BlockFmaParams.of(32, 13, Rounding.RZ, FpFormat.FP32)
      .withNormalisedMantissaBits(13);

  private static final FpFormat[] FP8 = {FpFormat.E4M3, FpFormat.E5M2};

  /** A code biased toward the interesting ones. */
  static int code(Random r, FpFormat f) {
    int sign = r.nextBoolean() ? 0x80 : 0;
    int mantissaMask = (1 << f.mantissaBits()) - 1;
    int expMax = (1 << f.exponentBits()) - 1;
    return switch (r.nextInt(8)) {
      case 0 -> sign; // ±0
      case 1 -> sign | (1 + r.nextInt(mantissaMask)); // subnormal
      case 2 -> sign | f.maxFiniteCode(); // ±max
      case 3 -> sign | (1 << f.mantissaBits()) | r.nextInt(mantissaMask + 1); // smallest binade
      case 4 -> sign | ((expMax - 1) << f.mantissaBits()) | r.nextInt(mantissaMask + 1);
      default -> r.nextInt(256);
    };
  }

  static int accumulator(Random r) {
    int sign = r.nextBoolean() ? 0x80000000 : 0;
    return switch (r.nextInt(9)) {
      case 0 -> 0;
      case 1 -> sign; // -0
      case 2 -> sign | (r.nextInt(0xFF) << 23) | (r.nextInt(1 << 13) << 10); // 13-bit values
      case 3 -> sign | r.nextInt(1 << 23); // subnormal
      case 4 -> sign | ((230 + r.nextInt(25)) << 23) | r.nextInt(1 << 23); // huge
      case 5 -> sign | 0x7F800000; // infinity
      case 6 -> 0x7FC00000 | r.nextInt(1 << 22); // NaN
      default -> sign | ((100 + r.nextInt(60)) << 23) | r.nextInt(1 << 23); // near the products
    };
  }

  static BlockFmaParams variant(int v) {
    return switch (v) {
      case 0 -> H100;
      case 1 -> H100.withResultRounding(Rounding.RNE);
      case 2 -> BlockFmaParams.of(32, 13, Rounding.RZ, FpFormat.FP32); // full 23 bits kept
      case 3 -> H100.withAlignmentBits(20).withResultRounding(Rounding.RNE);
      case 4 -> H100.withProductsPerStep(16).withAlignmentBits(8);
      default -> H100.withAlignmentBits(0).withNormalisedMantissaBits(1);
    };
  }

  @Property(tries = 3000)
  void fastKernelEqualsDatapath(@ForAll long seed, @ForAll @IntRange(min = 1, max = 100) int k,
      @ForAll @IntRange(min = 0, max = 5) int variant) {
    Random r = new Random(seed);
    FpFormat fa = FP8[r.nextInt(2)];
    FpFormat fb = FP8[r.nextInt(2)];
    BlockFmaParams p = variant(variant);
    BlockFmaDatapath datapath = new BlockFmaDatapath(fa, fb, p);
    TruncatingFp8Kernel fast = TruncatingFp8Kernel.forCodes(datapath);
    int[] a = new int[k];
    int[] b = new int[k];
    // Some dot products draw every code from one binade mix, others only finite normal values.
    boolean finiteOnly = r.nextBoolean();
    for (int t = 0; t < k; t++) {
      a[t] = finiteOnly ? finite(r, fa) : code(r, fa);
      b[t] = finiteOnly ? finite(r, fb) : code(r, fb);
    }
    int c = accumulator(r);
    assertEquals(Integer.toHexString(datapath.dot(a, b, k, c)),
        Integer.toHexString(fast.dotCodes(a, b, k, c)),
        () -> fa + "x" + fb + " " + p.describe() + " c=" + Integer.toHexString(c));
  }

  private static int finite(Random r, FpFormat f) {
    int code;
    do {
      code = code(r, f);
    } while (!f.classify(code).isFinite());
    return code;
  }

  @Test
  void supportsOnlyWhatItReproduces() {
    assertTrue(TruncatingFp8Kernel.supports(H100, FpFormat.E4M3, FpFormat.E5M2));
    assertFalse(TruncatingFp8Kernel.supports(H100.withAlignment(AlignmentMode.EXACT),
        FpFormat.E4M3, FpFormat.E4M3));
    assertFalse(TruncatingFp8Kernel.supports(
        H100.withAccumulatorJoin(AccumulatorJoin.AFTER_PRODUCTS), FpFormat.E4M3, FpFormat.E4M3));
    assertFalse(TruncatingFp8Kernel.supports(H100.withResultRounding(Rounding.RU), FpFormat.E4M3,
        FpFormat.E4M3));
    assertFalse(TruncatingFp8Kernel.supports(H100, FpFormat.FP16, FpFormat.FP16));
  }

  /** H100 hardware samples: the fast kernel, the datapath and the hardware agree on every row. */
  @Test
  void fastKernelReproducesH100Samples() throws IOException {
    List<Sample> samples = h100Samples();
    for (Sample s : samples) {
      BlockFmaDatapath datapath = new BlockFmaDatapath(s.fa(), s.fb(), H100);
      assertEquals(Integer.toHexString(s.d()), Integer.toHexString(
          TruncatingFp8Kernel.forCodes(datapath).dotCodes(s.a(), s.b(), s.k(), s.c())), s.line());
    }
    assertEquals(800, samples.size());
  }

  /** One H100 FP8 -> FP32 hardware row: D = A . B + C over k products. */
  record Sample(FpFormat fa, FpFormat fb, int k, int[] a, int[] b, int c, int d, String line) {}

  /** The H100 FP8 -> FP32 hardware rows kept as a test resource (800). */
  static List<Sample> h100Samples() throws IOException {
    List<Sample> samples = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        FastKernelEquivalenceTest.class.getResourceAsStream("/gemm/h100_fp8_fp32_sample.csv"),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("#") || line.startsWith("gpu,")) {
          continue;
        }
        String[] f = line.split(",");
        samples.add(new Sample(FpFormat.parse(f[1]), FpFormat.parse(f[2]),
            Integer.parseInt(f[5]), hex(f[6]), hex(f[7]), (int) Long.parseLong(f[8], 16),
            (int) Long.parseLong(f[9], 16), line));
      }
    }
    return samples;
  }

  private static int[] hex(String s) {
    String[] parts = s.trim().split(" ");
    int[] v = new int[parts.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = Integer.parseInt(parts[i], 16);
    }
    return v;
  }
}

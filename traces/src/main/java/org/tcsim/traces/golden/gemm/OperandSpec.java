package org.tcsim.traces.golden.gemm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tcsim.core.format.FpClass;
import org.tcsim.core.format.FpFormat;

/**
 * A deterministic recipe for one operand file, recorded in the capture table so the operand can be
 * regenerated: {@code splitmix64:seed=0x...:dist=NAME[:key=value...]} (colons, not commas, so it
 * sits in one CSV field).
 *
 * <p>Elements are drawn in row-major order of the file (row 0 first, left to right), one
 * {@link SplitMix64} draw {@code x} per element, from a generator seeded with {@code seed}. The
 * code is assembled from fields: sign, biased exponent field, mantissa field. Bits of {@code x}:
 * bit 0 sign, bits 1.. exponent choice, bits 17.. mantissa ({@code (x >>> 17) & (2^mbits - 1)}),
 * bits 48.. (as an unsigned 16-bit number) the outlier lottery. A code that lands on NaN or Inf is
 * replaced by the largest finite code of that sign. The distributions:
 * <ul>
 *   <li>{@code uniform:elo=E:ehi=F:sign=mixed|pos}: exponent field uniform in
 *       [max(0, E+bias), min(top, F+bias)] ({@code ((x>>>1) & 0xFFFF) % span}), field 0 being
 *       subnormal;
 *   <li>{@code outlier:elo:ehi:sign:permille=P}: uniform, but when {@code (x>>>48) % 1000 < P}
 *       the element is the largest finite value (±448 for E4M3);
 *   <li>{@code subnormal}: exponent field {0, 0, 1, 2}[(x>>>1) & 3], mixed signs;
 *   <li>{@code ones}: every element 1.0 (no draws);
 *   <li>{@code allcodes}: code = x mod 2^width (unsigned), NaN/Inf replaced by zero;
 *   <li>{@code carry}: positive; element c of a row with c mod 32 = 0 is large (field bias+3+
 *       (x>>>1)%3, mantissa all ones when bit 17 is set else random), the others small (field
 *       max(0, bias-7+(x>>>1)%3)): a product sum whose low bits fall off a truncating alignment
 *       one k32 step at a time, and whose all-ones mantissas carry into the next binade;
 *   <li>{@code cancel}: within each 32-block, pairs (2t, 2t+1) for t &lt; 15 are +v, -v with v
 *       large (field bias+2+(x>>>1)%3, mixed sign, the odd element making no draw), element 30 is
 *       zero and element 31 a small residual (field max(0, bias-6+(x>>>1)%3)): the exact sum is
 *       the residuals alone.
 * </ul>
 */
public record OperandSpec(long seed, String dist, Map<String, String> params) {

  public OperandSpec {
    params = Map.copyOf(params);
    switch (dist) {
      case "uniform", "outlier", "subnormal", "ones", "allcodes", "carry", "cancel" -> { }
      default -> throw new IllegalArgumentException("unknown distribution '" + dist
          + "'; known: uniform, outlier, subnormal, ones, allcodes, carry, cancel");
    }
  }

  public static OperandSpec uniform(long seed, int elo, int ehi, boolean positive) {
    return new OperandSpec(seed, "uniform", ordered("elo", elo, "ehi", ehi, "sign",
        positive ? "pos" : "mixed"));
  }

  public static OperandSpec outlier(long seed, int elo, int ehi, int permille) {
    Map<String, String> p = ordered("elo", elo, "ehi", ehi, "sign", "mixed");
    p.put("permille", Integer.toString(permille));
    return new OperandSpec(seed, "outlier", p);
  }

  public static OperandSpec of(long seed, String dist) {
    return new OperandSpec(seed, dist, Map.of());
  }

  private static Map<String, String> ordered(String k1, int v1, String k2, int v2, String k3,
      String v3) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(k1, Integer.toString(v1));
    m.put(k2, Integer.toString(v2));
    m.put(k3, v3);
    return m;
  }

  /** The recorded text, parameters in a fixed order so that equal specs print equally. */
  public String text() {
    StringBuilder sb = new StringBuilder("splitmix64:seed=0x").append(Long.toHexString(seed))
        .append(":dist=").append(dist);
    for (String key : new String[] {"elo", "ehi", "sign", "permille"}) {
      if (params.containsKey(key)) {
        sb.append(':').append(key).append('=').append(params.get(key));
      }
    }
    return sb.toString();
  }

  /** Parses {@link #text()}; throws IllegalArgumentException naming the bad part. */
  public static OperandSpec parse(String text) {
    String[] parts = text.trim().split(":");
    if (parts.length < 3 || !parts[0].equals("splitmix64")) {
      throw new IllegalArgumentException("generator '" + text
          + "' is not of the form splitmix64:seed=0x...:dist=NAME[:key=value...]");
    }
    Map<String, String> kv = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("generator part '" + parts[i] + "' is not key=value");
      }
      kv.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
    }
    String seedText = kv.remove("seed");
    String dist = kv.remove("dist");
    if (seedText == null || !seedText.startsWith("0x") || dist == null) {
      throw new IllegalArgumentException("generator '" + text + "' needs seed=0x... and dist=");
    }
    long seed;
    try {
      seed = Long.parseUnsignedLong(seedText.substring(2), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("generator seed '" + seedText + "' is not hexadecimal");
    }
    return new OperandSpec(seed, dist, kv);
  }

  private int intParam(String key) {
    String v = params.get(key);
    if (v == null) {
      throw new IllegalArgumentException("distribution " + dist + " needs " + key + "=");
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("distribution " + dist + ": " + key + "='" + v
          + "' is not an integer");
    }
  }

  /** The codes of a rows x cols operand in {@code format}, row-major. */
  public int[] generate(FpFormat format, int rows, int cols) {
    SplitMix64 rng = new SplitMix64(seed);
    int[] out = new int[Math.multiplyExact(rows, cols)];
    int bias = format.bias();
    int top = (1 << format.exponentBits()) - 1;
    long mantMask = (1L << format.mantissaBits()) - 1;
    int sign = format.signMask();
    for (int r = 0; r < rows; r++) {
      int previous = 0;
      for (int c = 0; c < cols; c++) {
        int code;
        if (dist.equals("ones")) {
          out[r * cols + c] = format.encode(1.0);
          continue;
        }
        if (dist.equals("cancel") && c % 32 < 30 && c % 2 == 1) {
          out[r * cols + c] = previous ^ sign;
          continue;
        }
        if (dist.equals("cancel") && c % 32 == 30) {
          out[r * cols + c] = 0;
          continue;
        }
        long x = rng.next();
        boolean negative = (x & 1) != 0;
        long mant = (x >>> 17) & mantMask;
        int field;
        switch (dist) {
          case "uniform", "outlier" -> {
            int lo = Math.max(0, intParam("elo") + bias);
            int hi = Math.min(top, intParam("ehi") + bias);
            if (lo > hi) {
              throw new IllegalArgumentException("empty exponent range in " + text());
            }
            field = lo + (int) (((x >>> 1) & 0xFFFF) % (hi - lo + 1));
            negative &= !"pos".equals(params.get("sign"));
          }
          case "subnormal" -> field = new int[] {0, 0, 1, 2}[(int) ((x >>> 1) & 3)];
          case "allcodes" -> field = -1;
          case "carry" -> {
            negative = false;
            if (c % 32 == 0) {
              field = bias + 3 + (int) ((x >>> 1) % 3);
              if (((x >>> 17) & 1) != 0) {
                mant = mantMask;
              }
            } else {
              field = Math.max(0, bias - 7 + (int) ((x >>> 1) % 3));
            }
          }
          case "cancel" -> field = c % 32 == 31
              ? Math.max(0, bias - 6 + (int) ((x >>> 1) % 3))
              : bias + 2 + (int) ((x >>> 1) % 3);
          default -> throw new IllegalStateException(dist);
        }
        if (field < 0) {
          code = (int) (x & (format.codeCount() - 1));
          FpClass cls = format.classify(code);
          if (cls == FpClass.NAN || cls == FpClass.INFINITE) {
            code = 0;
          }
        } else {
          code = (negative ? sign : 0) | (Math.min(field, top) << format.mantissaBits())
              | (int) mant;
          FpClass cls = format.classify(code);
          if (cls == FpClass.NAN || cls == FpClass.INFINITE) {
            code = (negative ? sign : 0) | format.maxFiniteCode();
          }
          if (dist.equals("outlier")
              && Long.remainderUnsigned(x >>> 48, 1000) < intParam("permille")) {
            code = (negative ? sign : 0) | format.maxFiniteCode();
          }
        }
        out[r * cols + c] = code;
        previous = code;
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return text().toLowerCase(Locale.ROOT);
  }
}

package org.tcsim.traces.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcsim.traces.fuzz.FuzzCheck.sane;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.Example;
import org.tcsim.core.InputFormatException;
import org.tcsim.traces.fuzz.FuzzCheck;
import org.tcsim.traces.fuzz.TextMutations;

/**
 * {@code .npy} files damaged byte by byte (magic, version, header length, header text, data,
 * truncation) and with mutated header dicts (shapes, dtypes, orders, Unicode): each opens with a
 * consistent shape and data size, or fails naming the file and the part at fault.
 */
class NpyFuzzTest {

  private static Path dir;
  private static byte[] valid;

  @BeforeContainer
  static void makeValid() throws IOException {
    dir = Files.createTempDirectory("tcsim-npy-fuzz");
    Path f = dir.resolve("valid.npy");
    int[] bits = new int[12];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = i * 37 & 0xFF;
    }
    Npy.write(f, NpyDtype.U1, false, new long[] {3, 4}, bits);
    valid = Files.readAllBytes(f);
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** kind 0 set a byte, 1 insert bytes, 2 delete bytes, 3 truncate; at a fraction of the length. */
  record ByteEdit(int kind, double at, int length, int value) {
    byte[] apply(byte[] b) {
      // Half the edits land in the first 16 bytes, where magic, version and length live.
      int p = (int) Math.min(b.length, Math.floor(at * (at < 0.5 ? 32 : b.length + 1)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (kind) {
        case 0 -> {
          out.write(b, 0, p);
          if (p < b.length) {
            out.write(value);
            out.write(b, p + 1, b.length - p - 1);
          }
        }
        case 1 -> {
          out.write(b, 0, p);
          for (int i = 0; i < length; i++) {
            out.write(value + i);
          }
          out.write(b, p, b.length - p);
        }
        case 2 -> {
          out.write(b, 0, p);
          int end = Math.min(b.length, p + length);
          out.write(b, end, b.length - end);
        }
        default -> out.write(b, 0, p);
      }
      return out.toByteArray();
    }
  }

  @Provide
  Arbitrary<byte[]> damagedFiles() {
    Arbitrary<ByteEdit> edit = Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(1, 70),
        Arbitraries.frequency(
            net.jqwik.api.Tuple.of(1, 0), net.jqwik.api.Tuple.of(1, 0xFF),
            net.jqwik.api.Tuple.of(1, 0x7F), net.jqwik.api.Tuple.of(1, (int) '(')))
        .as(ByteEdit::new);
    Arbitrary<ByteEdit> anyValue = Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(1, 70),
        Arbitraries.integers().between(0, 255)).as(ByteEdit::new);
    return Arbitraries.oneOf(edit, anyValue).list().ofMinSize(1).ofMaxSize(3).map(es -> {
      byte[] b = valid;
      for (ByteEdit e : es) {
        b = e.apply(b);
      }
      return b;
    });
  }

  /** A header dict (from a valid one, mutated as text) with a correct length prefix and data. */
  @Provide
  Arbitrary<byte[]> rewrittenHeaders() {
    String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (3, 4), }";
    Arbitrary<String> dicts = Arbitraries.oneOf(TextMutations.mutants(dict, ','),
        TextMutations.mutants(dict, ' '),
        Arbitraries.of("'<f4'", "'<f2'", "'<u2'", "'>f4'", "'<f8'", "'|V1'", "[('a', '<f4')]",
            "'<i4'", "'|u1'", "'=u1'").map(d -> dict.replace("'|u1'", d)),
        Arbitraries.of("()", "(0,)", "(12,)", "(3, 4)", "(4, 3)", "(2, 2, 3)", "(-3, 4)",
            "(1000000, 1000000)", "(99999999999999999999,)", "(9223372036854775807, 2)",
            "(4294967296, 4294967296)", "(3L, 4L)", "(3,4,)", "(3 4)").map(
                s -> dict.replace("(3, 4)", s)));
    return Combinators.combine(dicts, Arbitraries.integers().between(1, 3),
        Arbitraries.integers().between(0, 64)).as((d, version, dataBytes) -> {
          byte[] text = (d + "\n").getBytes(version == 3 ? StandardCharsets.UTF_8
              : StandardCharsets.ISO_8859_1);
          int prefix = version == 1 ? 10 : 12;
          ByteBuffer b = ByteBuffer.allocate(prefix + text.length + dataBytes)
              .order(ByteOrder.LITTLE_ENDIAN);
          b.put(Npy.MAGIC).put((byte) version.intValue()).put((byte) 0);
          if (version == 1) {
            b.putShort((short) text.length);
          } else {
            b.putInt(text.length);
          }
          b.put(text);
          for (int i = 0; i < dataBytes; i++) {
            b.put((byte) (i * 13));
          }
          return b.array();
        });
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 1500)
  void damagedFilesOpenConsistentlyOrNameTheFile(@ForAll("damagedFiles") byte[] bytes)
      throws IOException {
    check(bytes);
  }

  @StatisticsReport(onFailureOnly = true)
  @Property(tries = 1500)
  void rewrittenHeadersOpenConsistentlyOrNameTheFile(@ForAll("rewrittenHeaders") byte[] bytes)
      throws IOException {
    check(bytes);
  }

  private static void check(byte[] bytes) throws IOException {
    Path f = dir.resolve("fuzz.npy");
    Files.write(f, bytes);
    String shown = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 128));
    FuzzCheck.resultOrNamedError(shown, f.toString(), () -> {
      try (NpyArray a = Npy.open(f)) {
        int[] bits = a.allBits();
        long expected = a.header().size();
        sane(bits.length == expected, "element count", shown);
        sane(a.header().dataOffset() + a.header().dataBytes() == bytes.length, "data size", shown);
        for (long d : a.header().shape()) {
          sane(d >= 0, "negative dimension", shown);
        }
        return bits;
      }
    });
  }

  /** A 10^6 x 10^6 header on a few bytes of data is refused naming the size, allocating nothing. */
  @Example
  void aHugeShapeIsRefusedBeforeAnyAllocation() throws IOException {
    Path f = dir.resolve("huge.npy");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Npy.headerBytes(NpyDtype.F4, false, new long[] {1_000_000, 1_000_000}));
    out.write(new byte[16]);
    Files.write(f, out.toByteArray());
    InputFormatException e = assertThrows(InputFormatException.class, () -> Npy.open(f));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("(1000000, 1000000)")
        && e.getMessage().contains("4000000000000 bytes"), e.getMessage());
  }

  @Example
  void aShapeBeyondSixtyFourBitsIsRefusedNamingIt() throws IOException {
    Path f = dir.resolve("overflow.npy");
    Files.write(f, Npy.headerBytes(NpyDtype.U1, false, new long[] {1L << 40, 1L << 40}));
    InputFormatException e = assertThrows(InputFormatException.class, () -> Npy.open(f));
    assertTrue(e.getMessage().contains("64-bit"), e.getMessage());
    assertTrue(List.of("shape", "header").contains(e.field()), e.getMessage());
  }
}

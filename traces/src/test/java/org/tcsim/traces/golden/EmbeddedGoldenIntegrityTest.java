package org.tcsim.traces.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.tcsim.core.InputFormatException;

/**
 * The shipped golden MMA files are checked against their SHA-256 manifest when loaded: an edited
 * or corrupted file is reported as corrupted (naming it), never replayed into a "model mismatch".
 */
class EmbeddedGoldenIntegrityTest {

  private static final String DIR = "/org/tcsim/traces/golden/mma/";

  static Stream<String> names() {
    return EmbeddedGolden.names().stream();
  }

  private static byte[] shipped(String name) throws IOException {
    try (InputStream in = EmbeddedGolden.class.getResourceAsStream(DIR + name)) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void oneChangedHexDigitIsReportedAsCorruption(String name) throws IOException {
    byte[] data = shipped(name);
    // The last hex digit of the file (the last row's d code): a plausible single-bit-ish edit
    // that still parses, so only the checksum can tell.
    int i = data.length - 1;
    while (Character.digit(data[i], 16) < 0) {
      i--;
    }
    data[i] = (byte) (data[i] == '0' ? '1' : '0');
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> EmbeddedGolden.forEach(name, data, row -> { }));
    assertEquals("embedded:" + name, e.source());
    assertTrue(e.getMessage().contains("checksum mismatch")
        && e.getMessage().contains("corrupted or was edited"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("names")
  void theUnchangedBytesPass(String name) throws IOException {
    assertTrue(EmbeddedGolden.forEach(name, shipped(name), row -> { }) > 0);
  }

  @Test
  void everyShippedFileIsInTheManifest() throws URISyntaxException, IOException {
    Path dir = Path.of(EmbeddedGolden.class.getResource(DIR).toURI());
    Set<String> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("SHA256SUMS"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(files, new TreeSet<>(EmbeddedGolden.names()));
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmbeddedGolden.load("h100_fp64.csv"));
    assertTrue(e.getMessage().contains("h100_e4m3.csv"), e.getMessage());
  }
}

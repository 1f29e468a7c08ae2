package org.tcsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code tcsim --version} is the Maven project version of the parent pom (through a filtered
 * resource), and the README's Maven coordinates of tcsim-junit name the same version.
 */
class VersionTest {

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.isRegularFile(p.resolve("pom.xml"))
        && Files.isDirectory(p.resolve("tcsim-cli")))) {
      p = p.getParent();
    }
    assertTrue(p != null, "project root not found");
    return p;
  }

  @Test
  void versionIsThePomsAndTheReadmesCoordinates() throws IOException {
    String pom = Files.readString(root().resolve("pom.xml"));
    Matcher m = Pattern.compile("<artifactId>tcsim-parent</artifactId>\\s*<version>([^<]+)"
        + "</version>").matcher(pom);
    assertTrue(m.find(), "parent version in pom.xml");
    String version = m.group(1);
    CliRun r = CliRun.of("--version");
    assertEquals(0, r.exit());
    assertEquals("tcsim " + version, r.out().strip());
    String readme = Files.readString(root().resolve("README.md"));
    assertTrue(readme.contains("`org.tcsim:tcsim-junit:" + version + "`"), "README coordinates");
    assertTrue(readme.contains("<artifactId>tcsim-junit</artifactId>\n  <version>" + version
        + "</version>"), "README dependency block");
  }
}

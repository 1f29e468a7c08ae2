package org.tcsim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code tcsim --version}: the Maven project version, written into {@code version.properties} by
 * resource filtering at build time, so the version printed is the one the artifacts carry (e.g.
 * {@code org.tcsim:tcsim-junit:0.1.0-SNAPSHOT}) and is never a second, hand-kept string.
 */
public final class TcsimVersion implements CommandLine.IVersionProvider {

  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    try (InputStream in = TcsimVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the tcsim jar");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"tcsim " + version()};
  }
}

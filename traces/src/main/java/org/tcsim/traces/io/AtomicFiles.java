package org.tcsim.traces.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file through a temporary sibling and a rename, so that an interrupted run leaves either
 * the old file or the complete new one, never half of it.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What writes the content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Writer writer) throws IOException;
  }

  /** What writes binary content. */
  @FunctionalInterface
  public interface BinaryContent {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Like {@link #write} for bytes (for example a {@code .npy} file). */
  public static void writeBytes(Path target, BinaryContent content) throws IOException {
    writeVia(target, tmp -> {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        content.writeTo(out);
      }
    });
  }

  public static void write(Path target, Content content) throws IOException {
    writeVia(target, tmp -> {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        content.writeTo(w);
      }
    });
  }

  private interface ToTemp {
    void fill(Path tmp) throws IOException;
  }

  /**
   * A new empty file beside the target. Not {@link Files#createTempFile}, whose file is 0600
   * whatever the umask: the file created here gets the permissions any new file gets (0644 under
   * umask 022), so an output file is as readable as one written directly.
   */
  private static Path createSibling(Path dir, String name) throws IOException {
    Path parent = dir != null ? dir : Path.of("").toAbsolutePath();
    for (int attempt = 0; ; attempt++) {
      Path tmp = parent.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
          + ".tmp");
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  /** A file that is replaced keeps its permissions (one made private stays private). */
  private static void keepPermissionsOf(Path target, Path tmp) throws IOException {
    if (Files.exists(target) && Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private static void writeVia(Path target, ToTemp content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = createSibling(dir, absolute.getFileName().toString());
    try {
      content.fill(tmp);
      keepPermissionsOf(absolute, tmp);
      try {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}

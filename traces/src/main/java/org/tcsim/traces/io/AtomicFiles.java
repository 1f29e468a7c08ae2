package org.tcsim.traces.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
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

  private static void writeVia(Path target, ToTemp content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    try {
      content.fill(tmp);
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

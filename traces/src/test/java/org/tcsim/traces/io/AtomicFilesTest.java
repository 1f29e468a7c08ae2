package org.tcsim.traces.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written through a temporary sibling get the permissions of any new file. */
class AtomicFilesTest {

  @TempDir Path dir;

  private void assumePosix() throws IOException {
    assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "POSIX permissions");
  }

  @Test
  void aNewFileHasTheUsualPermissionsNotThoseOfATemporaryFile() throws IOException {
    assumePosix();
    // What the process's umask gives a new file (0644 under umask 022), created directly.
    Set<PosixFilePermission> usual = Files.getPosixFilePermissions(
        Files.createFile(dir.resolve("plain")));
    Path text = dir.resolve("out.csv");
    AtomicFiles.write(text, w -> w.write("a,b\n"));
    Path bytes = dir.resolve("out.png");
    AtomicFiles.writeBytes(bytes, o -> o.write(new byte[] {1, 2}));
    assertEquals(usual, Files.getPosixFilePermissions(text));
    assertEquals(usual, Files.getPosixFilePermissions(bytes));
    // Under the usual umask 022 that is rw-r--r--; a temporary file would be rw-------.
    if (usual.contains(PosixFilePermission.OTHERS_READ)) {
      assertEquals(PosixFilePermissions.fromString("rw-r--r--"),
          Files.getPosixFilePermissions(text));
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(3, left.count(), "no temporary file left behind");
    }
  }

  @Test
  void aReplacedFileKeepsItsPermissions() throws IOException {
    assumePosix();
    Path f = dir.resolve("private.csv");
    Files.writeString(f, "old\n");
    Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
    Files.setPosixFilePermissions(f, owner);
    AtomicFiles.write(f, w -> w.write("new\n"));
    assertEquals("new\n", Files.readString(f));
    assertEquals(owner, Files.getPosixFilePermissions(f));
  }
}

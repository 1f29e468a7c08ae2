package org.tcsim.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.tcsim.traces.trace.OperandData;

/**
 * The {@code .npy} files of a trace as an executor reads them: a plain path is a local file
 * (relative to the trace's folder), one with a URI scheme ({@code hdfs://namenode/...},
 * {@code s3a://bucket/...}, {@code file:///...}) is read through Hadoop's file systems and copied
 * once per executor into a local folder, where the memory-mapped {@code .npy} reader takes it.
 *
 * <p>A trace column holds a {@link Path}, which folds a URI's {@code //} into {@code /}; the URI
 * is rebuilt from its first element ({@code hdfs:}) and the authority that follows it, so a URI
 * must name its authority ({@code hdfs://namenode:8020/d/a.npy}, not {@code hdfs:///d/a.npy}).
 */
final class DataFiles {
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:");
  private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

  private DataFiles() {}

  /** The URI a trace path stands for, when it has a scheme. */
  static Optional<URI> uri(Path p) {
    if (p.isAbsolute() || p.getNameCount() < 2 || !SCHEME.matcher(p.getName(0).toString())
        .matches()) {
      return Optional.empty();
    }
    String scheme = p.getName(0).toString();
    String rest = p.subpath(1, p.getNameCount()).toString().replace('\\', '/');
    return Optional.of(URI.create(scheme.equals("file:") ? "file:///" + rest
        : scheme + "//" + rest));
  }

  /** A data path as a URI string when it is one, else resolved against {@code traceDir}. */
  static String resolve(Path p, String traceDir) {
    Optional<URI> u = uri(p);
    if (u.isPresent()) {
      return u.get().toString();
    }
    if (p.isAbsolute()) {
      return p.toString();
    }
    Optional<URI> dir = uri(Path.of(traceDir));
    if (dir.isPresent()) {
      return dir.get().toString().replaceAll("/*$", "/") + p.toString().replace('\\', '/');
    }
    return Path.of(traceDir).resolve(p).toString();
  }

  /** The spec's files as local paths, fetching those on Hadoop file systems. */
  static OperandData.Files local(OperandData.Files f, String traceDir,
      Map<String, String> hadoopConf) throws IOException {
    return new OperandData.Files(local(f.a(), traceDir, hadoopConf),
        local(f.b(), traceDir, hadoopConf), opt(f.c(), traceDir, hadoopConf),
        opt(f.aScale(), traceDir, hadoopConf), opt(f.bScale(), traceDir, hadoopConf));
  }

  private static Optional<Path> opt(Optional<Path> p, String traceDir, Map<String, String> conf)
      throws IOException {
    return p.isEmpty() ? Optional.empty() : Optional.of(local(p.get(), traceDir, conf));
  }

  private static Path local(Path p, String traceDir, Map<String, String> conf)
      throws IOException {
    String where = resolve(p, traceDir);
    Optional<URI> u = uri(Path.of(where));
    return u.isPresent() ? fetch(u.get(), conf) : Path.of(where);
  }

  /** A local copy of a file on a Hadoop file system, made once per JVM and file version. */
  static Path fetch(URI uri, Map<String, String> conf) throws IOException {
    Configuration c = new Configuration();
    conf.forEach(c::set);
    org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
    FileSystem fs = FileSystem.get(uri, c);
    FileStatus status = fs.getFileStatus(src); // FileNotFoundException names the file
    String key = uri + "@" + status.getModificationTime() + "/" + status.getLen();
    try {
      return COPIES.computeIfAbsent(key, k -> copy(fs, src, k));
    } catch (UncheckedCopy e) {
      throw e.io;
    }
  }

  private static Path copy(FileSystem fs, org.apache.hadoop.fs.Path src, String key) {
    try {
      Path dir = Files.createTempDirectory("tcsim-spark-data");
      dir.toFile().deleteOnExit();
      // A folder per copy, so that the copy keeps the file's name (messages name it).
      Path local = dir.resolve(src.getName());
      fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(local.toUri()), true);
      local.toFile().deleteOnExit();
      return local;
    } catch (IOException e) {
      throw new UncheckedCopy(e);
    }
  }

  private static final class UncheckedCopy extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient IOException io;

    UncheckedCopy(IOException io) {
      super(io);
      this.io = io;
    }
  }
}

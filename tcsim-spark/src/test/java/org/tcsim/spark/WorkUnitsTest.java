package org.tcsim.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How work is cut and where data paths point: no Spark needed. */
class WorkUnitsTest {

  private static List<Unit> units(long... macs) {
    List<Unit> out = new java.util.ArrayList<>();
    for (int i = 0; i < macs.length; i++) {
      out.add(new Unit(0, 0, i, macs[i]));
    }
    return out;
  }

  @Test
  void consecutiveUnitsArePackedUntilTheyReachTheTaskSize() {
    List<List<Unit>> tasks = SparkReplay.pack(units(5, 5, 10, 1, 1, 1, 30, 2), 10);
    // 5+5 | 10 | 1+1+1+30 | 2 (the rest)
    assertEquals(List.of(2, 1, 4, 1), tasks.stream().map(List::size).toList());
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), tasks.stream().flatMap(List::stream)
        .map(Unit::band).toList(), "every unit once, in order");
    assertEquals(8, SparkReplay.pack(units(5, 5, 10, 1, 1, 1, 30, 2), 1).size());
    assertEquals(1, SparkReplay.pack(units(5, 5, 10, 1, 1, 1, 30, 2), Long.MAX_VALUE).size());
    assertTrue(SparkReplay.pack(List.of(), 10).isEmpty());
  }

  @Test
  void automaticTasksGiveEveryCoreSeveralUpToAMaximum() {
    SparkReplay.Settings auto = SparkReplay.Settings.defaults();
    // 8000 MACs on 2 cores: 4 tasks per core, 1000 MACs each.
    assertEquals(1000, auto.taskMacs(8000, 2));
    assertEquals(1, auto.taskMacs(3, 2));
    assertEquals(SparkReplay.MAX_TASK_MACS, auto.taskMacs(Long.MAX_VALUE, 2));
    assertEquals(77, new SparkReplay.Settings(0, 77).taskMacs(8000, 2));
    assertThrows(IllegalArgumentException.class, () -> new SparkReplay.Settings(100, 0));
    assertThrows(IllegalArgumentException.class, () -> new SparkReplay.Settings(0, -1));
  }

  @Test
  void urisSurviveTheTracesPathColumn() {
    // A trace column is read as a Path, which folds "//" into "/".
    assertEquals(Optional.of(URI.create("hdfs://namenode:8020/data/a.npy")),
        DataFiles.uri(Path.of("hdfs://namenode:8020/data/a.npy")));
    assertEquals(Optional.of(URI.create("s3a://bucket/traces/b.npy")),
        DataFiles.uri(Path.of("s3a://bucket/traces/b.npy")));
    assertEquals(Optional.of(URI.create("file:///tmp/x/a.npy")),
        DataFiles.uri(Path.of("file:///tmp/x/a.npy")));
    assertEquals(Optional.empty(), DataFiles.uri(Path.of("a.npy")));
    assertEquals(Optional.empty(), DataFiles.uri(Path.of("/abs/a.npy")));
    assertEquals(Optional.empty(), DataFiles.uri(Path.of("data/a.npy")));
  }

  @Test
  void relativePathsResolveAgainstTheTraceFolderLocalOrRemote() {
    assertEquals("/traces/data/a.npy", DataFiles.resolve(Path.of("data/a.npy"), "/traces"));
    assertEquals("/elsewhere/a.npy", DataFiles.resolve(Path.of("/elsewhere/a.npy"), "/traces"));
    assertEquals("hdfs://nn/traces/data/a.npy",
        DataFiles.resolve(Path.of("data/a.npy"), "hdfs://nn/traces"));
    assertEquals("s3a://b/k/a.npy", DataFiles.resolve(Path.of("s3a://b/k/a.npy"), "/traces"));
  }

  @Test
  void theProjectedModelIsLlama3_70bOver4096Tokens() {
    // Per layer, N x K of q, k, v, o, gate, up, down: 8192 x (8192 + 1024 + 1024 + 8192 + 28672
    // + 28672) and 28672 x 8192 for down, i.e. 8192 x 104448; 80 layers; the LM head
    // 128256 x 8192. About 2.8e14 multiply-adds, the "3 x 10^14".
    double expected = 4096.0 * 80 * 8192 * 104448 + 4096.0 * 128256 * 8192;
    assertEquals(expected, SparkBench.macs(SparkBench.llama3_70b(4096)));
    assertEquals(561, SparkBench.llama3_70b(4096).size());
  }

  @Test
  void theProjectionSpreadsUnitsOverCores() {
    // Two GEMMs of one band each (64 rows): on one core they take turns, on two they overlap.
    List<org.tcsim.traces.trace.GemmSpec> two = List.of(
        org.tcsim.traces.trace.GemmSpec.builder("a", "h100", 64, 10, 100).build(),
        org.tcsim.traces.trace.GemmSpec.builder("b", "h100", 64, 10, 100).build());
    // 64 x 10 x 100 = 64000 MACs at 1 s each, operands (64 + 10) x 100 = 7400 elements at 1 s.
    assertEquals(2 * (64000 + 7400), SparkBench.project(two, 1, 1, 1, 1, 0), 1e-6);
    assertEquals(64000 + 7400, SparkBench.project(two, 2, 1, 1, 1, 0), 1e-6);
    assertEquals(64000 + 7400 + 5, SparkBench.project(two, 1, 2, 1, 1, 5), 1e-6);
  }
}

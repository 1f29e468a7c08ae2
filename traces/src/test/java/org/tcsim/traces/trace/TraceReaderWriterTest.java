package org.tcsim.traces.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcsim.core.format.FpFormat;
import org.tcsim.gpu.Library;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.core.InputFormatException;

class TraceReaderWriterTest {

  private static List<GemmSpec> read(String text) throws IOException {
    List<GemmSpec> out = new ArrayList<>();
    try (TraceReader r = TraceReader.of(new StringReader(text), "t.csv")) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  private static InputFormatException error(String text) {
    return assertThrows(InputFormatException.class, () -> read(text));
  }

  @Test
  void minimalColumnsTakeTheDocumentedDefaults() throws IOException {
    List<GemmSpec> specs = read("# a comment\nname,gpu,m,n,k\nq_proj,H100,4096,4096,4096\n");
    assertEquals(1, specs.size());
    GemmSpec s = specs.get(0);
    assertEquals("q_proj", s.name());
    assertEquals("h100", s.gpu());
    assertEquals(4096, s.m());
    assertEquals(1, s.groups());
    assertEquals(FpFormat.E4M3, s.aFormat());
    assertEquals(FpFormat.E4M3, s.bFormat());
    assertEquals(Layout.ROW, s.aLayout());
    assertEquals(Layout.COL, s.bLayout());
    assertTrue(s.scaling().isNone());
    assertEquals(FpFormat.BF16, s.outFormat());
    assertFalse(s.fastAccum());
    assertEquals(Library.CUBLASLT, s.library());
    assertEquals(Library.CUBLASLT, s.workload().library());
    assertEquals(1.0, s.alpha());
    assertEquals(0.0, s.beta());
    assertEquals(new OperandData.Seeded(0), s.data());
    assertEquals("", s.source());
    // 2 * 4096^3, worked out by hand: 137438953472
    assertEquals(137_438_953_472L, s.flops());
  }

  @Test
  void columnsAreFoundByNameInAnyOrderAndCase() throws IOException {
    GemmSpec s = read("K,Scaling,M,Name,N,GPU,b_format,groups,fast_accum,beta,seed,Library\n"
        + "7168,VEC128_32F/BLK128x128_32F,64,x,2112,h800,e5m2,8,true,0.5,-42,DeepGEMM\n").get(0);
    assertEquals(64, s.m());
    assertEquals(2112, s.n());
    assertEquals(7168, s.k());
    assertEquals(8, s.groups());
    assertEquals(FpFormat.E5M2, s.bFormat());
    assertEquals(new Scaling(ScaleMode.VEC128_32F, ScaleMode.BLK128x128_32F), s.scaling());
    assertTrue(s.fastAccum());
    assertEquals(0.5, s.beta());
    assertEquals(new OperandData.Seeded(-42), s.data());
    // The library travels with the GEMM into both models.
    assertEquals(Library.DEEPGEMM, s.library());
    assertEquals(Library.DEEPGEMM, s.workload().library());
  }

  @Test
  void roundTripsEveryField() throws IOException {
    List<GemmSpec> specs = List.of(
        GemmSpec.builder("a,b \"quoted\"", "b200", 1, 2, 3).groups(4)
            .formats(FpFormat.E5M2, FpFormat.E4M3).layouts(Layout.COL, Layout.ROW)
            .scaling(Scaling.both(ScaleMode.VEC32_UE8M0)).outFormat(FpFormat.E4M3)
            .fastAccum(true).library(Library.TORCH).alpha(0.1).beta(-0.0)
            .data(new OperandData.Seeded(Long.MIN_VALUE))
            .source("model X, layer 3").build(),
        GemmSpec.builder("files", "h100", 128, 256, 512).scaling(Scaling.both(
                ScaleMode.SCALAR_32F)).outFormat(FpFormat.FP32).beta(1)
            .data(new OperandData.Files(Path.of("a.npy"), Path.of("dir/b.npy"),
                Optional.of(Path.of("c.npy")), Optional.empty(), Optional.of(Path.of("sb.npy"))))
            .library(Library.CUTLASS).build(),
        GemmSpec.builder("plain", "h200", 4096, 14336, 4096).alpha(1e-300).build());
    StringWriter w = new StringWriter();
    TraceWriter.write(w, List.of("made by a test"), specs.iterator());
    assertTrue(w.toString().startsWith("# made by a test\nname,gpu,m,n,k,groups,"));
    assertEquals(specs, read(w.toString()));
  }

  @Test
  void writesFilesAtomicallyAndStreamsThemBack(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("sub/trace.csv");
    List<GemmSpec> specs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      specs.add(GemmSpec.builder("g" + i, "h100", 1 + i, 2, 3).data(new OperandData.Seeded(i))
          .build());
    }
    TraceWriter.write(file, List.of(), specs);
    try (TraceReader r = TraceReader.open(file); Stream<GemmSpec> s = r.stream()) {
      assertEquals(dir.resolve("sub").toAbsolutePath(), r.traceDir());
      long[] sum = {0};
      long count = s.peek(g -> sum[0] += g.m()).count();
      assertEquals(10_000, count);
      assertEquals(10_000L * 10_001 / 2, sum[0]);
    }
    try (Stream<Path> files = Files.list(dir.resolve("sub"))) {
      assertEquals(List.of(file), files.toList()); // no temporary file left behind
    }
  }

  @Test
  void unknownColumnIsNamedWithItsLine() {
    InputFormatException e = error("# c1\n\n# c2\nname,gpu,m,n,k,colour\nx,h100,1,1,1,red\n");
    assertEquals(4, e.line());
    assertEquals("colour", e.field());
    assertTrue(e.getMessage().contains("t.csv:4"), e.getMessage());
  }

  @Test
  void missingRequiredColumnIsAnError() {
    InputFormatException e = error("name,gpu,m,n\nx,h100,1,1\n");
    assertEquals("k", e.field());
  }

  @Test
  void duplicateColumnIsAnError() {
    assertEquals("m", error("name,gpu,m,n,k,M\nx,h100,1,1,1,1\n").field());
  }

  @Test
  void emptyFileIsAnError() {
    assertEquals(0, error("# only a comment\n").line());
  }

  @Test
  void badValuesNameLineAndColumn() {
    String h = "# comment\nname,gpu,m,n,k,a_format,out_format,scaling,fast_accum,alpha,seed,a_data,b_data,library\n";
    String ok = "x,h100,1,1,1,e4m3,bf16,none,false,1,,,,cublaslt\n";
    record Case(String row, String field) {}
    List<Case> cases = List.of(
        new Case("x,h100,0,1,1,e4m3,bf16,none,false,1,,,,", "m"),
        new Case("x,h100,1,abc,1,e4m3,bf16,none,false,1,,,,", "n"),
        new Case("x,h100,1,1,,e4m3,bf16,none,false,1,,,,", "k"),
        new Case(",h100,1,1,1,e4m3,bf16,none,false,1,,,,", "name"),
        new Case("x,h100,1,1,1,bf16,bf16,none,false,1,,,,", "a_format"),
        new Case("x,h100,1,1,1,e4m4,bf16,none,false,1,,,,", "a_format"),
        new Case("x,h100,1,1,1,e4m3,e8m0,none,false,1,,,,", "out_format"),
        new Case("x,h100,1,1,1,e4m3,bf16,VEC32_UE8M0/SCALAR_32F,false,1,,,,", "scaling"),
        new Case("x,h100,1,1,1,e4m3,bf16,VEC16_UE4M3,false,1,,,,", "scaling"),
        new Case("x,h100,1,1,1,e4m3,bf16,PER_ROW,false,1,,,,", "scaling"),
        new Case("x,h100,1,1,1,e4m3,bf16,none,maybe,1,,,,", "fast_accum"),
        new Case("x,h100,1,1,1,e4m3,bf16,none,false,NaN,,,,", "alpha"),
        new Case("x,h100,1,1,1,e4m3,bf16,none,false,1,1.5,,,", "seed"),
        new Case("x,h100,1,1,1,e4m3,bf16,none,false,1,7,a.npy,b.npy,", "seed"),
        new Case("x,h100,1,1,1,e4m3,bf16,none,false,1,,a.npy,,", "b_data"),
        new Case("x,h100,1,1,1,e4m3,bf16,none,false,1,,,,cudnn", "library"));
    for (Case c : cases) {
      InputFormatException e = error(h + ok + c.row() + "\n");
      assertEquals(4, e.line(), c.row());
      assertEquals(c.field(), e.field(), c.row() + ": " + e.getMessage());
    }
  }

  @Test
  void sizesThatOverflowAreRefused() {
    // 2^21 cubed is 2^63: the FLOP count 2 m n k overflows a long.
    InputFormatException e = error("name,gpu,m,n,k\nx,h100,2097152,2097152,2097152\n");
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("overflows"), e.getMessage());
  }

  @Test
  void tooManyFieldsIsAnError() {
    assertEquals(2, error("name,gpu,m,n,k\nx,h100,1,1,1,extra\n").line());
  }

  @Test
  void dataFilesResolveAgainstTheTraceFolder() throws IOException {
    GemmSpec s = read("name,gpu,m,n,k,a_data,b_data\nx,h100,1,1,1,a.npy,/abs/b.npy\n").get(0);
    OperandData.Files f = assertInstanceOf(OperandData.Files.class, s.data());
    OperandData.Files r = f.resolvedAgainst(Path.of("/traces"));
    assertEquals(Path.of("/traces/a.npy"), r.a());
    assertEquals(Path.of("/abs/b.npy"), r.b());
    assertEquals(Optional.empty(), r.c());
  }
}

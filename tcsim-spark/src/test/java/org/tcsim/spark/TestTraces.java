package org.tcsim.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tcsim.replay.GoldenFixtures;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.golden.gemm.GoldenGemmFolder;
import org.tcsim.traces.io.Npy;

/** Small traces that still take every path of a replay: bands, groups, C, files, golden data. */
final class TestTraces {
  private TestTraces() {}

  static final String HEADER = "name,gpu,m,n,k,groups,a_format,b_format,a_layout,b_layout,"
      + "scaling,out_format,fast_accum,alpha,beta,seed,a_data,b_data,source\n";

  /**
   * A trace in {@code dir}: three bands with C, four products of two bands, DeepSeek-style
   * blocks, a GEMM skipped by the model, one read from local {@code .npy} files, and a golden
   * case with two wrong elements in different bands (folder {@code dir/golden}).
   */
  static Path mixed(Path dir) throws IOException {
    Random r = new Random(11);
    float[] a = new float[260 * 64];
    float[] b = new float[64 * 24];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) r.nextGaussian();
    }
    Npy.writeFloats(dir.resolve("a.npy"), false, new long[] {260, 64}, a);
    Npy.writeFloats(dir.resolve("b.npy"), false, new long[] {64, 24}, b);
    // All ones, k = 32: every element of D is 64.0 (GoldenFixtures); two expected codes off.
    GoldenGemmCase ones = GoldenFixtures.allOnes("ones", 300, 8, 32, 0x42800000);
    ones = GoldenFixtures.withExpected(ones, 7, 3, 0x42800001);
    ones = GoldenFixtures.withExpected(ones, 290, 0, 0x427fffff);
    GoldenGemmFolder.write(dir.resolve("golden"), List.of(), List.of(ones));
    String text = HEADER
        + "tall,h100,300,24,64,1,e4m3,e4m3,row,col,OUTER_VEC_32F,fp32,false,1,1,3,,,t\n"
        + "moe,h100,200,16,32,4,e4m3,e4m3,row,col,SCALAR_32F,e4m3,false,1,0,4,,,t\n"
        + "blocks,h800,256,128,256,1,e4m3,e4m3,row,col,VEC128_32F/BLK128x128_32F,bf16,false,1,0,"
        + "5,,,t\n"
        + "mx,h100,64,64,128,1,e4m3,e4m3,row,col,VEC32_UE8M0,bf16,false,1,0,6,,,t\n"
        + "files,h100,260,24,64,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,1,0,,a.npy,b.npy,t\n"
        + "ones,h100,300,8,32,1,e4m3,e4m3,row,col,SCALAR_32F,fp32,false,1,0,9,,,t\n";
    Path trace = dir.resolve("mixed.csv");
    Files.writeString(trace, text);
    return trace;
  }

  /**
   * The {@code files} GEMM of {@link #mixed} twice: from the local files, then from the same
   * files as {@code file://} URIs, which executors read through Hadoop's file systems.
   */
  static Path viaHadoop(Path dir) throws IOException {
    mixed(dir);
    String uri = dir.toUri().toString(); // file:///...
    Path trace = dir.resolve("hadoop.csv");
    Files.writeString(trace, HEADER
        + "files,h100,260,24,64,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,1,0,,a.npy,b.npy,t\n"
        + "files,h100,260,24,64,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,1,0,," + uri
        + "a.npy," + uri + "b.npy,t\n");
    return trace;
  }

  static Map<String, GoldenGemmCase> golden(Path dir) throws IOException {
    Map<String, GoldenGemmCase> m = new java.util.LinkedHashMap<>();
    for (GoldenGemmCase c : GoldenGemmFolder.read(dir.resolve("golden"))) {
      m.put(c.id(), c);
    }
    return m;
  }
}

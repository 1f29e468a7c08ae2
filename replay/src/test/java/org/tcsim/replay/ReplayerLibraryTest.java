package org.tcsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcsim.core.format.FpFormat;
import org.tcsim.core.quant.ScaleMode;
import org.tcsim.gpu.Library;
import org.tcsim.traces.golden.gemm.GoldenGemmCase;
import org.tcsim.traces.trace.GemmSpec;
import org.tcsim.traces.trace.Scaling;

/**
 * The trace's {@code library} column, end to end through replay: promotion and fast accumulation
 * follow the library on each GPU, and what a library cannot run is skipped naming the rule.
 *
 * <p>The golden data is derived by hand. A = B = ones (E4M3 1.0), scaleA 0.5, scaleB 4,
 * K = 32768: exactly 2 K = 65536 when the Hopper partial sums are promoted to FP32 every 128 K;
 * without promotion the Hopper accumulator (13 bits kept below its leading bit, docs/hardware-
 * facts.md, Hopper FP8) stops growing at 2^14 = 16384, since each further product of 1 lies
 * 14 binades below it and is truncated away, so D = 2 * 16384 = 32768. B200's datapath sums
 * exactly, with or without promotion: 65536.
 */
class ReplayerLibraryTest {

  private static final int M = 2;
  private static final int N = 16;
  private static final int K = 32768;
  private static final int FP32_65536 = 0x47800000;
  private static final int FP32_32768 = 0x47000000;

  private static GoldenGemmCase ones(String id, boolean fastAccum, int expected) {
    GoldenGemmCase g = GoldenFixtures.allOnes(id, M, N, K, expected);
    return new GoldenGemmCase(g.id(), g.purpose(), g.m(), g.n(), g.k(), g.aFormat(), g.bFormat(),
        g.cFormat(), g.dFormat(), g.scaleMode(), g.scaleA(), g.scaleB(), g.scaleD(), g.alpha(),
        g.beta(), fastAccum, g.a(), g.b(), g.c(), g.expectedD(), g.status(), g.generators(),
        g.provenance());
  }

  private static GemmSpec spec(String name, String gpu, Library library, boolean fastAccum) {
    return GemmSpec.builder(name, gpu, M, N, K).scaling(Scaling.both(ScaleMode.SCALAR_32F))
        .outFormat(FpFormat.FP32).library(library).fastAccum(fastAccum).build();
  }

  @Test
  void promotionAndFastAccumulationFollowTheLibraryOnEachGpu() {
    record Case(GemmSpec spec, GoldenGemmCase golden) {}
    List<Case> cases = List.of(
        new Case(spec("h100_cublaslt", "h100", Library.CUBLASLT, false),
            ones("h100_cublaslt", false, FP32_65536)),
        new Case(spec("h100_cublaslt_fast", "h100", Library.CUBLASLT, true),
            ones("h100_cublaslt_fast", true, FP32_32768)),
        new Case(spec("h100_torch_fast", "h100", Library.TORCH, true),
            ones("h100_torch_fast", true, FP32_32768)),
        new Case(spec("h800_cutlass", "h800", Library.CUTLASS, false),
            ones("h800_cutlass", false, FP32_65536)),
        new Case(spec("h800_cutlass_fast", "h800", Library.CUTLASS, true),
            ones("h800_cutlass_fast", true, FP32_32768)),
        // cuBLASLt's flag has no effect on Blackwell, and its tensor cores never stall here.
        new Case(spec("b200_cublaslt_fast", "b200", Library.CUBLASLT, true),
            ones("b200_cublaslt_fast", true, FP32_65536)));
    Map<String, GoldenGemmCase> golden = new java.util.HashMap<>();
    List<GemmSpec> specs = new ArrayList<>();
    for (Case c : cases) {
      golden.put(c.golden().id(), c.golden());
      specs.add(c.spec());
    }
    List<ReplayResult> results = new ArrayList<>();
    new Replayer(Replayer.Options.defaults().withGolden(golden).withThreads(2))
        .run(specs.iterator(), results::add);
    for (ReplayResult r : results) {
      assertEquals(ReplayResult.Status.MATCHED, r.status(), r.spec().name() + ": " + r.message()
          + (r.golden() == null ? "" : " " + r.golden().firstMismatches()));
      assertEquals(M * N, r.golden().compared());
    }
  }

  @Test
  void whatALibraryCannotRunIsSkippedWithTheRule() {
    List<ReplayResult> results = new ArrayList<>();
    new Replayer(Replayer.Options.defaults().withThreads(1)).run(List.of(
        spec("deepgemm_tensor", "h800", Library.DEEPGEMM, false),
        spec("deepgemm_fast", "h800", Library.DEEPGEMM, true),
        GemmSpec.builder("torch_n8", "h100", 64, 8, 64).library(Library.TORCH).build(),
        GemmSpec.builder("rowwise_b200", "b200", 64, 64, 64)
            .scaling(Scaling.both(ScaleMode.OUTER_VEC_32F)).build()).iterator(), results::add);
    assertTrue(results.get(0).message().contains("sm90_fp8_gemm_1d2d.cuh"),
        results.get(0).message());
    assertTrue(results.get(1).message().contains("no fast-accumulation mode"),
        results.get(1).message());
    assertTrue(results.get(2).message().contains("K and N to be multiples of 16"),
        results.get(2).message());
    assertTrue(results.get(3).message().contains("compute capability 9.0 only"),
        results.get(3).message());
    for (ReplayResult r : results) {
      assertEquals(ReplayResult.Status.SKIPPED, r.status(), r.spec().name());
    }
  }
}

package org.tcsim.h100;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.tcsim.timing.Bound;
import org.tcsim.timing.GemmProblem;
import org.tcsim.timing.GemmTimingModel;
import org.tcsim.timing.KernelConfig;
import org.tcsim.timing.MachineParam;
import org.tcsim.timing.MachineSpec;
import org.tcsim.timing.ScalingRecipe;
import org.tcsim.timing.TileHeuristic;
import org.tcsim.timing.TimingResult;

/**
 * Observable physics of the timing model on Hopper: properties a measurement would show whatever
 * the fitted constants, each able to fail.
 */
class TimingPhysicsTest {

  private static final MachineSpec H800 = HopperMachines.H800;

  private static final long[][] SHAPES = {
    {64, 2112, 7168}, {128, 7168, 2048}, {4096, 2112, 7168}, {4096, 7168, 16384}, {4096, 32768, 512}
  };

  private static TimingResult pinned(MachineSpec spec, GemmProblem p, int bm, int bn) {
    KernelConfig c = TileHeuristic.complete(spec, p, bm, bn, TileHeuristic.BLOCK_K, null, new int[] {1, 1});
    return GemmTimingModel.predict(spec, p, c);
  }

  @Test
  void flopCountIsTwoMnkPerGroup() {
    GemmProblem p = GemmProblem.fp8(1024, 2048, 4096, 3);
    BigInteger exact = BigInteger.valueOf(2L * 1024 * 2048 * 4096 * 3);
    assertEquals(exact.doubleValue(), p.flops());
    TimingResult r = pinned(H800, p, 128, 128);
    assertEquals(exact.doubleValue() / (r.microseconds() * 1e-6) / 1e12, r.tflops(), 1e-9 * r.tflops());
  }

  @Test
  void neverAbovePeakAtTheSustainedClockNorAboveHbm() {
    for (MachineSpec spec : new MachineSpec[] {H800, HopperMachines.H100_PCIE, HopperMachines.H200}) {
      for (long[] s : SHAPES) {
        GemmProblem p = GemmProblem.fp8(s[0], s[1], s[2], 1);
        TimingResult r = GemmTimingModel.predict(spec, p);
        double peakNow = spec.get(MachineParam.SMS) * r.clockGhz() * 1e9 * spec.get(MachineParam.MMA_FLOPS_PER_CLK) / 1e12;
        assertTrue(r.clockGhz() <= spec.clockCeilingGhz() + 1e-12, spec.name() + " " + r.clockGhz());
        assertTrue(r.tflops() < peakNow, spec.name() + " " + p + " at " + r.tflops() + " > " + peakNow);
        assertTrue(r.hbmGBps() < spec.get(MachineParam.HBM_TBPS) * 1000, p + " at " + r.hbmGBps() + " GB/s");
        assertTrue(r.hbmBytes() >= p.minimumBytes() * 0.999, p + " moved only " + r.hbmBytes());
        // The clock and the busy share it implies are iterated a few times, not solved exactly.
        assertTrue(r.watts() <= spec.get(MachineParam.POWER_LIMIT_W) * 1.03, p + " draws " + r.watts() + " W");
      }
    }
  }

  @Test
  void throughputRisesWithThePowerLimitAndNeverFalls() {
    GemmProblem p = GemmProblem.fp8(4096, 4096, 8192, 1);
    double previous = 0;
    double at400 = 0;
    for (int watts = 300; watts <= 900; watts += 50) {
      double t = pinned(H800.with(MachineParam.POWER_LIMIT_W, watts), p, 128, 128).tflops();
      assertTrue(t >= previous * (1 - 1e-9), watts + " W: " + t + " TFLOPS after " + previous);
      if (watts == 400) {
        at400 = t;
      }
      previous = t;
    }
    // A compute-bound GEMM at 700 W is power-limited (Luo et al. arXiv 2402.13499: clocks fall under
    // FP8 load), so cutting the limit to 400 W must cost throughput, and raising it must saturate at
    // the boost clock.
    double at700 = pinned(H800, p, 128, 128).tflops();
    assertTrue(at400 < 0.9 * at700, "400 W " + at400 + " vs 700 W " + at700);
  }

  @Test
  void aBoardMeasuredAboveItsDatasheetClockRunsThereOnlyWhilePowerAllows() {
    MachineSpec h200 = HopperMachines.H200;
    assertEquals(1.98, h200.clockCeilingGhz(), 1e-12);
    // A decode-sized GEMM draws little tensor-core power: the H200 holds its 1.98 GHz.
    TimingResult small = GemmTimingModel.predict(h200, GemmProblem.fp8(64, 4096, 7168, 1));
    assertEquals(1.98, small.clockGhz(), 1e-9);
    // A compute-bound one at 400 W cannot: the power model caps it below the datasheet's 1.83 GHz.
    GemmProblem big = GemmProblem.fp8(8192, 8192, 8192, 1);
    TimingResult capped = pinned(h200.with(MachineParam.POWER_LIMIT_W, 400), big, 128, 128);
    assertTrue(capped.clockGhz() < 1.83, "clock at 400 W " + capped.clockGhz());
    // The ceiling is the larger of the two figures: a what-if that raises clock_ghz alone raises it.
    assertEquals(2.1, h200.with(MachineParam.CLOCK_GHZ, 2.1).clockCeilingGhz(), 1e-12);
    assertEquals(1.83, H800.clockCeilingGhz(), 1e-12);
    // At an ample limit the clock is the ceiling, and below the ceiling's power it is not.
    TimingResult free = pinned(h200.with(MachineParam.POWER_LIMIT_W, 5000), big, 128, 128);
    assertEquals(1.98, free.clockGhz(), 1e-9);
    assertTrue(free.tflops() > capped.tflops());
  }

  @Test
  void randomOperandsRunSlowerThanZeros() {
    // Ample L2 so that the tensor cores, not L2, bound the kernel.
    MachineSpec spec = H800.with(MachineParam.L2_TBPS, 50);
    GemmProblem p = GemmProblem.fp8(4096, 4096, 8192, 1);
    TimingResult random = pinned(spec, p, 128, 128);
    TimingResult zeros = pinned(spec.with(MachineParam.DATA_ACTIVITY, 0), p, 128, 128);
    assertTrue(zeros.clockGhz() > random.clockGhz(), zeros.clockGhz() + " vs " + random.clockGhz());
    assertTrue(zeros.tflops() > random.tflops());
  }

  @Test
  void theSameSmsAtALowerPowerLimitRunSlower() {
    // H100 PCIe: 350 W for 114 SMs, against 700 W for 132 on the SXM5 part.
    GemmProblem p = GemmProblem.fp8(4096, 4096, 8192, 1);
    TimingResult pcie = pinned(HopperMachines.H100_PCIE, p, 128, 128);
    TimingResult sxm = pinned(HopperMachines.H100_SXM, p, 128, 128);
    assertTrue(pcie.clockGhz() < sxm.clockGhz(), pcie.clockGhz() + " vs " + sxm.clockGhz());
    // Luo et al. arXiv 2402.13499: an H800 PCIe at 350 W stays below 1.62 GHz on random data.
    assertTrue(pcie.clockGhz() < 1.62, "PCIe clock " + pcie.clockGhz());
  }

  @Test
  void wavesStepWhereTheTileCountCrossesTheSmCount() {
    // 128x128 tiles, K deep enough and L2 ample so that the tensor cores bound the kernel:
    // 12 x 10 = 120 and 12 x 11 = 132 tiles fill one wave of 132 SMs; 12 x 12 = 144 needs a second
    // wave for 12 more tiles.
    MachineSpec spec = H800.with(MachineParam.L2_TBPS, 50);
    long k = 16384;
    double t120 = pinned(spec, GemmProblem.fp8(1536, 1280, k, 1), 128, 128).microseconds();
    double t132 = pinned(spec, GemmProblem.fp8(1536, 1408, k, 1), 128, 128).microseconds();
    double t144 = pinned(spec, GemmProblem.fp8(1536, 1536, k, 1), 128, 128).microseconds();
    assertTrue(Math.abs(t132 / t120 - 1) < 0.1, "one wave either way: " + t120 + " vs " + t132);
    assertTrue(t144 > 1.6 * t132, "9% more work, a second wave: " + t132 + " -> " + t144);
  }

  @Test
  void aMemoryBoundShapeScalesWithHbmBandwidth() {
    // Decode: one token against a 12288 x 5376 weight (vLLM's H100 sweep shape): the weight stream.
    GemmProblem decode = new GemmProblem(1, 12288, 5376, 1, 2, ScalingRecipe.PER_TENSOR);
    MachineSpec h100 = HopperMachines.H100_SXM;
    double slow = GemmTimingModel.predict(h100, decode).microseconds();
    double fast = GemmTimingModel.predict(h100.with(MachineParam.HBM_TBPS, 2 * h100.get(MachineParam.HBM_TBPS)),
        decode).microseconds();
    assertTrue(slow / fast > 1.5, "doubling HBM: " + slow + " -> " + fast + " us");
    // ... while a compute-bound shape barely moves.
    GemmProblem big = GemmProblem.fp8(4096, 4096, 8192, 1);
    double b1 = pinned(h100, big, 128, 128).microseconds();
    double b2 = pinned(h100.with(MachineParam.HBM_TBPS, 2 * h100.get(MachineParam.HBM_TBPS)), big, 128, 128)
        .microseconds();
    assertTrue(b1 / b2 < 1.1, "compute-bound: " + b1 + " -> " + b2 + " us");
  }

  @Test
  void atAFixedClockDoublingHbmBandwidthNeverSlowsAGemm() {
    // With the power limit out of the way: under a binding limit, faster memory keeps the tensor
    // cores busier and the model's few clock iterations can land a hair slower.
    for (MachineSpec limited : new MachineSpec[] {H800, HopperMachines.H100_PCIE}) {
      MachineSpec spec = limited.with(MachineParam.POWER_LIMIT_W, 5000);
      MachineSpec fast = spec.with(MachineParam.HBM_TBPS, 2 * spec.get(MachineParam.HBM_TBPS));
      for (long[] s : SHAPES) {
        GemmProblem p = GemmProblem.fp8(s[0], s[1], s[2], 1);
        KernelConfig c = TileHeuristic.choose(spec, p);
        double slow = GemmTimingModel.predict(spec, p, c).microseconds();
        double quick = GemmTimingModel.predict(fast, p, c).microseconds();
        assertTrue(quick <= slow * (1 + 1e-9), spec.name() + " " + p + ": " + quick + " > " + slow);
      }
    }
  }

  @Test
  void hopperRunsTensorRowwiseAndBlockButRefusesBlockScaledRecipes() {
    GemmProblem base = GemmProblem.fp8(256, 1024, 1024, 1);
    for (String ok : new String[] {"tensor", "rowwise", "block", "fast-accum"}) {
      GemmProblem p = new GemmProblem(256, 1024, 1024, 1, 2, ScalingRecipe.parse(ok));
      assertTrue(GemmTimingModel.predict(H800, p).tflops() > 0, ok);
    }
    for (String refused : new String[] {"mxfp8", "nvfp4", "mxfp4"}) {
      GemmProblem p = new GemmProblem(base.m(), base.n(), base.k(), 1, 2, ScalingRecipe.parse(refused));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmTimingModel.predict(H800, p));
      assertTrue(e.getMessage().contains("refused") && e.getMessage().contains(refused), e.getMessage());
    }
  }

  @Test
  void stagesFitSharedMemory() {
    for (long[] s : SHAPES) {
      GemmProblem p = GemmProblem.fp8(s[0], s[1], s[2], 1);
      for (KernelConfig c : TileHeuristic.candidates(H800, p)) {
        // A (with one FP32 scale per row per 128 K) and B per stage, and the BF16 output tile.
        double stageBytes = (c.blockM() + c.blockN()) * 128.0 + c.blockM() * 4.0 + c.blockN() * 4.0 / 128;
        double used = c.stages() * stageBytes + c.blockM() * c.blockN() * 2.0;
        assertTrue(used <= 227 * 1024, c + " uses " + used);
        assertTrue(c.stages() <= 16);
      }
    }
  }

  @Test
  void unknownParameterNamesTheValidKeys() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> H800.with("hbm_bw", 6));
    assertTrue(e.getMessage().contains("hbm_bw") && e.getMessage().contains("hbm_tbps")
        && e.getMessage().contains("power_limit_w"), e.getMessage());
  }

  @Test
  void cudaCoreBoundShapesNameTheWorkThatTookTheCycles() {
    // A short K leaves few promotions per tile and a whole tile's epilogue: the epilogue. The
    // same shape with promotion made 40 times dearer (a what-if) is promotion-bound.
    GemmProblem p = new GemmProblem(4096, 7168, 256, 1, 2, ScalingRecipe.BLOCKWISE);
    assertEquals(Bound.EPILOGUE, GemmTimingModel.predict(H800, p).bound());
    MachineSpec dearPromotion = H800.with(MachineParam.PROMOTE_OPS, 40 * H800.get(MachineParam.PROMOTE_OPS));
    assertEquals(Bound.PROMOTION, GemmTimingModel.predict(dearPromotion, p).bound());
  }
}

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
import org.tcsim.timing.TileHeuristic;
import org.tcsim.timing.TimingResult;

/** Physical sanity of the timing model: properties any correct model has, whatever its constants. */
class TimingPhysicsTest {

  private static final long[][] SHAPES = {
    {64, 2112, 7168}, {64, 32768, 512}, {128, 7168, 2048}, {256, 7168, 4096}, {4096, 2112, 7168},
    {4096, 7168, 16384}, {4096, 32768, 512}, {8192, 8192, 8192}
  };

  @Test
  void flopCountIsTwoMnkPerGroup() {
    GemmProblem p = GemmProblem.fp8(4096, 7168, 16384, 3);
    BigInteger exact = BigInteger.valueOf(2).multiply(BigInteger.valueOf(4096)).multiply(BigInteger.valueOf(7168))
        .multiply(BigInteger.valueOf(16384)).multiply(BigInteger.valueOf(3));
    assertEquals(exact.doubleValue(), p.flops());
    TimingResult r = GemmTimingModel.predict(HopperMachines.H800, p);
    assertEquals(exact.doubleValue() / (r.microseconds() * 1e-6) / 1e12, r.tflops(), 1e-9 * r.tflops());
  }

  @Test
  void waveQuantisationExampleFromFacts() {
    // docs/hardware-facts.md, Kernel structure: M=256, N=7168 with 128x128 tiles fills 112 of 132
    // SMs.
    GemmProblem p = GemmProblem.fp8(256, 7168, 7168, 1);
    KernelConfig c = TileHeuristic.complete(HopperMachines.H800, p, 128, 128, 128, null, new int[] {1, 1});
    TimingResult r = GemmTimingModel.predict(HopperMachines.H800, p, c);
    assertEquals(112, r.tiles());
    assertEquals(112, r.ctas());
    assertEquals(1, r.waves());
  }

  @Test
  void doublingHbmBandwidthNeverSlowsAGemm() {
    for (MachineSpec spec : new MachineSpec[] {HopperMachines.H800, HopperMachines.H100_PCIE}) {
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
  void moreSmsNeverSlowAComputeBoundGemm() {
    // Memory made ample so the GEMM is compute-bound at every SM count (the stock L2 would cap it).
    MachineSpec ample = HopperMachines.H800.with(MachineParam.L2_TBPS, 100).with(MachineParam.HBM_TBPS, 100);
    GemmProblem p = GemmProblem.fp8(8192, 8192, 8192, 1);
    double previous = Double.MAX_VALUE;
    for (int sms = 66; sms <= 198; sms += 22) {
      TimingResult r = GemmTimingModel.predict(ample.with(MachineParam.SMS, sms), p);
      assertTrue(r.bound() == Bound.MMA || r.bound() == Bound.WAVE_QUANTISATION, sms + " SMs: " + r.bound());
      assertTrue(r.microseconds() <= previous, sms + " SMs: " + r.microseconds() + " us after " + previous);
      previous = r.microseconds();
    }
  }

  @Test
  void cannotBeatTheMmaPeakOrTheHbmPeak() {
    MachineSpec spec = HopperMachines.H800;
    double peak = spec.peakTflops();
    for (long[] s : SHAPES) {
      GemmProblem p = GemmProblem.fp8(s[0], s[1], s[2], 1);
      TimingResult r = GemmTimingModel.predict(spec, p);
      assertTrue(r.tflops() < peak, p + " at " + r.tflops());
      assertTrue(r.hbmGBps() < spec.get(MachineParam.HBM_TBPS) * 1000, p + " at " + r.hbmGBps() + " GB/s");
      // The compulsory traffic (A, B and D once) must reach HBM at least once.
      assertTrue(r.hbmBytes() >= p.minimumBytes() * 0.999, p + " moved only " + r.hbmBytes());
    }
  }

  @Test
  void peakOfH100SxmIsTheDatasheetFigure() {
    // H100 datasheet: 1979 TFLOPS FP8 dense = 132 SMs x 1.83 GHz x 8192.
    assertEquals(1979, HopperMachines.H100_SXM.peakTflops(), 1.0);
  }

  @Test
  void wgmmaLatencyIsAboutHalfN() {
    // Luo et al. (arXiv 2402.13499): m64n256k32 FP8 takes 128 cycles, smaller N about N/2.
    assertEquals(128, WgmmaPipeline.latencyCycles(256));
    assertEquals(64, WgmmaPipeline.latencyCycles(128));
  }

  @Test
  void stagesFitSharedMemory() {
    for (long[] s : SHAPES) {
      GemmProblem p = GemmProblem.fp8(s[0], s[1], s[2], 1);
      KernelConfig c = TileHeuristic.choose(HopperMachines.H800, p);
      double stageBytes = (c.blockM() + c.blockN()) * 128.0 + c.blockM() * 4.0;
      double used = c.stages() * stageBytes + c.blockM() * c.blockN() * 2.0;
      assertTrue(used <= 227 * 1024, c + " uses " + used);
      assertTrue(c.stages() <= 16);
    }
  }

  @Test
  void unknownParameterNamesTheValidKeys() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HopperMachines.H800.with("hbm_bw", 6));
    assertTrue(e.getMessage().contains("hbm_bw") && e.getMessage().contains("hbm_tbps")
        && e.getMessage().contains("sms"), e.getMessage());
  }

  @Test
  void everyParameterHasASource() {
    for (MachineSpec spec : new MachineSpec[] {HopperMachines.H100_SXM, HopperMachines.H100_PCIE,
        HopperMachines.H800, HopperMachines.H200}) {
      for (MachineParam p : MachineParam.values()) {
        String src = spec.sources().get(p);
        assertTrue(src != null && !src.equals("unspecified") && !src.isBlank(), spec.name() + " " + p.key());
      }
    }
  }
}

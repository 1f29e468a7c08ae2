package org.tcsim.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcsim.isa.Architecture;

/** The catalogue's mechanics, on the made-up GPUs of {@link TestGpus}. */
class GpuCatalogTest {

  @Test
  void providersOnTheClassPathAreGathered() {
    assertEquals(List.of("tx1", "tx2"), GpuCatalog.ids());
  }

  @Test
  void namesMatchWhateverTheCaseAndSeparators() {
    assertEquals("tx1", GpuCatalog.byName("TEST x1   sxm").id());
    assertEquals("tx1", GpuCatalog.byName("test_x1-sxm").id());
    assertEquals("tx1", GpuCatalog.byName(" TX-ONE ").id());
    assertEquals("test-x1-sxm", GpuCatalog.normalise("Test X1_SXM"));
  }

  @Test
  void anUnknownNameNamesTheKnownOnes() {
    UnknownGpuException e = assertThrows(UnknownGpuException.class, () -> GpuCatalog.byName("tx3"));
    assertEquals("unknown GPU 'tx3'; known: tx1, tx2", e.getMessage());
    assertEquals("tx3", e.name());
  }

  @Test
  void aGpuWithoutTimingSaysSoAndNamesThoseWithIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GpuCatalog.byName("tx2").requireTiming());
    assertTrue(e.getMessage().startsWith("no timing model for tx2 (Test X2)"), e.getMessage());
  }

  @Test
  void everyLibraryNeedsKernelDefaults() {
    KernelDefaults d = KernelDefaults.of(32, 4, KernelDefaults.FastAccum.NO_PROMOTION, "test");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Gpu("t",
        "T", List.of(), Architecture.SM_90A, List.of(), TestGpus.NO_PRESETS, null,
        Map.of(Library.CUBLASLT, d)));
    assertTrue(e.getMessage().contains("no kernel defaults"), e.getMessage());
  }

  @Test
  void fastAccumulationMeansWhatTheLibrarySays() {
    var none = KernelDefaults.of(32, 4, KernelDefaults.FastAccum.NO_PROMOTION, "s");
    var ignored = KernelDefaults.of(32, 0, KernelDefaults.FastAccum.IGNORED, "s");
    var unsupported = KernelDefaults.of(32, 4, KernelDefaults.FastAccum.UNSUPPORTED, "s");
    assertEquals(4, none.promotionInterval(false, Library.CUTLASS));
    assertEquals(0, none.promotionInterval(true, Library.CUTLASS));
    assertEquals(0, ignored.promotionInterval(true, Library.CUBLASLT));
    assertEquals(4, unsupported.promotionInterval(false, Library.DEEPGEMM));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> unsupported.promotionInterval(true, Library.DEEPGEMM));
    assertTrue(e.getMessage().startsWith("deepgemm has no fast-accumulation mode"), e.getMessage());
    var absent = KernelDefaults.unavailable("no kernels here");
    assertThrows(IllegalArgumentException.class, () -> absent.promotionInterval(false,
        Library.DEEPGEMM));
  }

  @Test
  void aWorkloadOnAGpuWithoutTheFormatsHasATimeNoteButNoBits() {
    Simulation s = Simulation.of(GpuCatalog.byName("tx1"), GemmWorkload.fp8(64, 64, 64));
    assertTrue(!s.hasPreset() && s.whyNoPreset().contains("no FP32-accumulating datapath"),
        s.whyNoPreset());
    assertThrows(IllegalArgumentException.class, s::preset);
    assertTrue(s.time().note().startsWith("no timing model for tx1"), s.time().note());
  }

  @Test
  void aLibraryTileIsBmxbnAndNamedInTheDescription() {
    KernelDefaults d = KernelDefaults.of(32, 4, KernelDefaults.FastAccum.NO_PROMOTION, "s")
        .withTiles(java.util.Map.of(org.tcsim.timing.ScalingRecipe.BLOCKWISE, "128x128"), "a log");
    assertEquals(java.util.Optional.of("128x128"),
        d.tile(org.tcsim.timing.ScalingRecipe.BLOCKWISE));
    assertEquals(java.util.Optional.empty(), d.tile(org.tcsim.timing.ScalingRecipe.PER_TENSOR));
    assertTrue(d.describe().endsWith("tiles: block 128x128"), d.describe());
    assertTrue(d.source().endsWith("tiles: a log"), d.source());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> d.withTiles(java.util.Map.of(org.tcsim.timing.ScalingRecipe.ROWWISE, "128"), "x"));
    assertTrue(e.getMessage().contains("must be BMxBN"), e.getMessage());
  }
}

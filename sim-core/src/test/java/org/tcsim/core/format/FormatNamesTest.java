package org.tcsim.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The names a format is given by NumPy/ml_dtypes, CUDA ({@code cudaDataType_t}), PyTorch and
 * CUTLASS, and the look-alike formats that must be refused rather than read as ours.
 */
class FormatNamesTest {

  /**
   * Each spelling with the layout its own vocabulary gives it, written from the name, not from
   * the code: CUDA's {@code R_<bits>F_E<e>M<m>}, ml_dtypes' {@code float<bits>_e<e>m<m>}, and the
   * IEEE widths of float16/bfloat16/float32. Columns: name, bits, exponent bits, mantissa bits.
   */
  @ParameterizedTest
  @CsvSource({
      "e4m3, 8, 4, 3", "e4m3fn, 8, 4, 3", "float8_e4m3fn, 8, 4, 3", "R_8F_E4M3, 8, 4, 3",
      "CUDA_R_8F_E4M3, 8, 4, 3", "torch.float8_e4m3fn, 8, 4, 3", "E4M3, 8, 4, 3",
      "e5m2, 8, 5, 2", "float8_e5m2, 8, 5, 2", "R_8F_E5M2, 8, 5, 2", "cuda_r_8f_e5m2, 8, 5, 2",
      "fp16, 16, 5, 10", "float16, 16, 5, 10", "half, 16, 5, 10", "R_16F, 16, 5, 10",
      "bf16, 16, 8, 7", "bfloat16, 16, 8, 7", "R_16BF, 16, 8, 7", "CUDA_R_16BF, 16, 8, 7",
      "fp32, 32, 8, 23", "float32, 32, 8, 23", "R_32F, 32, 8, 23",
      "tf32, 19, 8, 10",
      "e2m1, 4, 2, 1", "float4_e2m1fn, 4, 2, 1", "R_4F_E2M1, 4, 2, 1", "CUDA_R_4F_E2M1, 4, 2, 1",
      "e2m3, 6, 2, 3", "float6_e2m3fn, 6, 2, 3", "R_6F_E2M3, 6, 2, 3",
      "e3m2, 6, 3, 2", "float6_e3m2fn, 6, 3, 2", "R_6F_E3M2, 6, 3, 2",
      "e8m0, 8, 8, 0", "float8_e8m0fnu, 8, 8, 0", "UE8M0, 8, 8, 0", "CUDA_R_8F_UE8M0, 8, 8, 0",
      // Unsigned E4M3: 4 + 3 bits of value; CUDA keeps it in a byte whose sign bit is ignored.
      "ue4m3, 7, 4, 3", "CUDA_R_8F_UE4M3, 7, 4, 3"})
  void everySpellingNamesTheLayoutItSays(String name, int bits, int exponent, int mantissa) {
    FpFormat f = FpFormat.parse(name);
    assertEquals(bits, f.width(), name);
    assertEquals(exponent, f.exponentBits(), name);
    assertEquals(mantissa, f.mantissaBits(), name);
  }

  @Test
  void signAndSpecialsFollowTheSuffixes() {
    // fn: finite, NaN only; fnu: also unsigned (ml_dtypes README); the UE types are unsigned.
    assertEquals(Specials.FN, FpFormat.parse("float8_e4m3fn").specials());
    assertEquals(Specials.IEEE, FpFormat.parse("float8_e5m2").specials());
    assertEquals(Specials.FNU, FpFormat.parse("float8_e8m0fnu").specials());
    assertTrue(!FpFormat.parse("UE8M0").signed() && !FpFormat.parse("ue4m3").signed());
  }

  /** ml_dtypes' IEEE-like E4M3 is a different format: refused, and told apart, never read as ours. */
  @Test
  void float8E4m3IsRefusedWithTheDifference() {
    assertEquals(Optional.empty(), FpFormat.byName("float8_e4m3"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FpFormat.parse("float8_e4m3"));
    // Its largest finite value, IEEE-style (exponent field 15 reserved): (2 - 2^-3) * 2^(14 - 7).
    BigDecimal ieeeMax = BigDecimal.valueOf(2).subtract(BigDecimal.valueOf(0.125))
        .multiply(BigDecimal.valueOf(2).pow(7));
    assertEquals(0, ieeeMax.compareTo(BigDecimal.valueOf(240)));
    assertTrue(e.getMessage().contains("max 240") && e.getMessage().contains("has Inf")
        && e.getMessage().contains("float8_e4m3fn"), e.getMessage());
    // ...while ours reaches 448 = 1.75 * 2^8 and has no Inf.
    assertEquals(448.0, FpFormat.E4M3.maxFinite());
    assertTrue(!FpFormat.E4M3.hasInfinity());
  }

  @ParameterizedTest
  @ValueSource(strings = {"float8_e4m3fnuz", "float8_e5m2fnuz", "FLOAT8_E4M3FNUZ",
      "float8_e4m3b11fnuz", "float8_e3m4"})
  void otherVendorsFp8IsRefusedByName(String name) {
    assertEquals(Optional.empty(), FpFormat.byName(name));
    String why = assertThrows(IllegalArgumentException.class, () -> FpFormat.parse(name))
        .getMessage();
    assertTrue(why.startsWith(name.toLowerCase(java.util.Locale.ROOT) + " ")
        && why.contains("tensor cores"), why);
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    String why = assertThrows(IllegalArgumentException.class, () -> FpFormat.parse("fp64"))
        .getMessage();
    assertTrue(why.contains("unknown format 'fp64'") && why.contains("e4m3 (float8_e4m3fn)"),
        why);
  }

  /**
   * The dtype names are real ones: NumPy's float16/float32 or a type listed in the ml_dtypes
   * README (jax-ml/ml_dtypes, "ml_dtypes is a stand-alone implementation of ..."), copied here.
   */
  @Test
  void dtypeNamesAreRealNumpyOrMlDtypesNames() {
    Set<String> mlDtypes = Set.of("bfloat16", "float8_e3m4", "float8_e4m3",
        "float8_e4m3b11fnuz", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2",
        "float8_e5m2fnuz", "float8_e5m3fnu", "float8_e8m0fnu", "float4_e2m1fn", "float6_e2m3fn",
        "float6_e3m2fn");
    Set<String> numpy = Set.of("float16", "float32");
    for (FpFormat f : FpFormat.values()) {
      f.dtypeName().ifPresent(n -> assertTrue(mlDtypes.contains(n) || numpy.contains(n),
          f + ": " + n));
    }
    assertEquals(Optional.empty(), FpFormat.UE4M3.dtypeName());
    assertEquals(Optional.empty(), FpFormat.TF32.dtypeName());
  }

  @Test
  void everyFormatIsReachableByItsShortNameFirst() {
    for (FpFormat f : FpFormat.values()) {
      assertEquals(f.shortName(), FormatNames.spellings(f).get(0));
      for (String s : FormatNames.spellings(f)) {
        assertEquals(f, FpFormat.parse(s), s);
      }
    }
  }
}

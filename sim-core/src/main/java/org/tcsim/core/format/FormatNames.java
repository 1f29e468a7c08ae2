package org.tcsim.core.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The names a number format goes by in the tools that kernel authors use, and the names of
 * look-alike formats that tensor cores do not have, each refused with the difference spelled out.
 *
 * <p>Spellings are compared case-insensitively, with a {@code CUDA_} or {@code torch.} prefix
 * dropped, so {@code CUDA_R_8F_E4M3}, {@code R_8F_E4M3}, {@code float8_e4m3fn},
 * {@code torch.float8_e4m3fn}, {@code e4m3fn} and {@code e4m3} all name {@link FpFormat#E4M3}.
 * Sources of the vocabularies: ml_dtypes README (jax-ml/ml_dtypes, "Specifications of implemented
 * floating point formats"); CUDA {@code library_types.h} ({@code cudaDataType_t}:
 * {@code CUDA_R_8F_E4M3}, {@code CUDA_R_8F_UE4M3}, {@code CUDA_R_8F_UE8M0}, {@code CUDA_R_4F_E2M1},
 * ...); CUTLASS {@code tools/library} type names ({@code fe4m3}, {@code f16}, ...).
 */
public final class FormatNames {

  private FormatNames() {}

  /** Every accepted spelling (normalised) to its format, in the order names are listed. */
  private static final Map<String, FpFormat> NAMES = new LinkedHashMap<>();

  /** Spellings of formats that look like ours but are not, with why they are refused. */
  private static final Map<String, String> REFUSED = new LinkedHashMap<>();

  static {
    names(FpFormat.E4M3, "e4m3", "e4m3fn", "float8_e4m3fn", "r_8f_e4m3", "fp8_e4m3", "fe4m3",
        "f8e4m3");
    names(FpFormat.E5M2, "e5m2", "float8_e5m2", "r_8f_e5m2", "fp8_e5m2", "fe5m2", "f8e5m2");
    names(FpFormat.E8M0, "e8m0", "float8_e8m0fnu", "ue8m0", "e8m0fnu", "r_8f_ue8m0",
        "float8_e8m0");
    // cuBLASLt's NVFP4 block-scale type: "an unsigned version of CUDA_R_8F_E4M3" (cuBLAS docs,
    // "16/32-Element 1D Block Scaling for FP8 and FP4 Data Types").
    names(FpFormat.UE4M3, "ue4m3", "r_8f_ue4m3");
    names(FpFormat.E2M3, "e2m3", "float6_e2m3fn", "e2m3fn", "r_6f_e2m3");
    names(FpFormat.E3M2, "e3m2", "float6_e3m2fn", "e3m2fn", "r_6f_e3m2");
    names(FpFormat.E2M1, "e2m1", "float4_e2m1fn", "e2m1fn", "r_4f_e2m1", "fp4", "nvfp4", "mxfp4");
    names(FpFormat.FP16, "fp16", "float16", "half", "r_16f", "f16", "float16_t");
    names(FpFormat.BF16, "bf16", "bfloat16", "r_16bf");
    names(FpFormat.TF32, "tf32", "tensorfloat32");
    names(FpFormat.FP32, "fp32", "float32", "r_32f", "f32", "float", "single");

    // ml_dtypes README: float8_e4m3 is "IEEE 754, with NaN and inf", bias 7, so its largest
    // finite value is 1.875 * 2^7 = 240; the OCP E4M3 of the tensor cores spends exponent 15 on
    // finite values (max 448) and has no Inf.
    refuse("float8_e4m3", "float8_e4m3 is ml_dtypes' IEEE-like E4M3 (max 240, has Inf); tensor "
        + "cores use float8_e4m3fn (OCP E4M3: max 448, no Inf), named e4m3 here");
    // ml_dtypes README: the fnuz types have bias 8 (E4M3) / 16 (E5M2), one NaN 0x80 and no
    // negative zero, no Inf: AMD's FP8 (MI300), not NVIDIA's.
    refuse("float8_e4m3fnuz", "float8_e4m3fnuz is AMD's FP8 E4M3 (bias 8, NaN 0x80, no -0, "
        + "no Inf); NVIDIA tensor cores use float8_e4m3fn, named e4m3 here");
    refuse("float8_e5m2fnuz", "float8_e5m2fnuz is AMD's FP8 E5M2 (bias 16, NaN 0x80, no -0, "
        + "no Inf); NVIDIA tensor cores use float8_e5m2, named e5m2 here");
    refuse("float8_e4m3b11fnuz", "float8_e4m3b11fnuz (bias 11, NaN 0x80, no Inf) is not a "
        + "tensor-core format; NVIDIA tensor cores use float8_e4m3fn, named e4m3 here");
    refuse("float8_e3m4", "float8_e3m4 (3 exponent bits, 4 mantissa bits) is not an FP8 format of "
        + "NVIDIA tensor cores, which use float8_e4m3fn (e4m3) or float8_e5m2 (e5m2)");
  }

  private static void names(FpFormat f, String... spellings) {
    for (String s : spellings) {
      NAMES.put(s, f);
    }
  }

  private static void refuse(String spelling, String why) {
    REFUSED.put(spelling, why);
  }

  /** Lower case, trimmed, without a {@code cuda_} or {@code torch.} prefix. */
  static String normalise(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (String prefix : new String[] {"cuda_", "torch."}) {
      if (n.startsWith(prefix)) {
        n = n.substring(prefix.length());
      }
    }
    return n;
  }

  /** The format a name stands for, if it is one of ours. */
  public static Optional<FpFormat> lookup(String name) {
    return Optional.ofNullable(NAMES.get(normalise(name)));
  }

  /** Why a name is refused: a look-alike format, or not a format at all. */
  public static String whyNot(String name) {
    String why = REFUSED.get(normalise(name));
    if (why != null) {
      return why;
    }
    return "unknown format '" + name + "'; known: " + knownNames();
  }

  /** Every spelling of {@code f}, its short name first. */
  public static List<String> spellings(FpFormat f) {
    List<String> out = new ArrayList<>();
    NAMES.forEach((s, g) -> {
      if (g == f) {
        out.add(s);
      }
    });
    return Collections.unmodifiableList(out);
  }

  /** Each format's short name with its dtype name where it has one, for error messages. */
  public static String knownNames() {
    Map<FpFormat, String> shown = new EnumMap<>(FpFormat.class);
    for (FpFormat f : FpFormat.values()) {
      shown.put(f, f.shortName() + f.dtypeName().map(n -> " (" + n + ")").orElse(""));
    }
    return String.join(", ", shown.values());
  }
}

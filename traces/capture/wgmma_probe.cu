// wgmma_probe.cu -- probes the raw Hopper tensor core with single FP8 wgmma instructions
// (m64n8k32, E4M3/E5M2 inputs, FP32 and FP16 accumulators, zero and non-zero C) and writes every
// output element as one row of the golden MMA CSV format (docs/hardware-facts.md, Golden data
// format), so that
// `./tcsim verify FILE` replays the rows directly:
//   gpu,a_format,b_format,c_format,d_format,k,a,b,c,d,instruction
// where a = A[i][0..31], b = B[0..31][j], c = C[i][j] (the accumulator input) and d = D[i][j].
//
// It covers what the published H100 samples leave open (docs/hardware-facts.md, Open questions): a
// non-zero C input,
// FP16 output, subnormal inputs, and data built so that alignment truncation and carries show.
//
//   wgmma_probe OUT.csv        (build: nvcc -std=c++17 -O2 -arch=sm_90a wgmma_probe.cu)
//
// PTX ISA references (PTX ISA 8.x, "Asynchronous Warpgroup Level Matrix Multiply-Accumulate"):
//   * wgmma.mma_async.sync.aligned.m64nNk32.{f32,f16}.{e4m3,e5m2}.{e4m3,e5m2}
//       d, a-desc, b-desc, scale-d, imm-scale-a, imm-scale-b;
//     scale-d is a predicate: false gives D = A*B, true gives D = A*B + D (the C input lives in the
//     D registers). FP8 operands must be K-major (no transpose immediates for 8-bit types).
//   * Shared-memory matrix descriptor (64 bits): bits 0-13 start address >> 4; bits 16-29 leading
//     dimension byte offset (LBO) >> 4; bits 32-45 stride dimension byte offset (SBO) >> 4;
//     bits 49-51 base offset (0 for these layouts); bits 62-63 swizzle mode (0 = none).
//   * Canonical K-major layout without swizzle: the operand is tiled into "core matrices" of
//     8 rows x 16 bytes (16 FP8 elements along K), each stored as 128 contiguous bytes (row r at
//     byte 16*r). LBO is the distance between core matrices adjacent along K, SBO between core
//     matrices adjacent along M (or N).
//   * Accumulator fragment of m64nN (FP32): warp w of the warpgroup owns rows 16w..16w+15; lane l
//     holds, for each 8-column block, D[16w + l/4][2(l%4) + {0,1}] then D[16w + 8 + l/4][same];
//     with N = 8 that is 4 registers. FP16 accumulators pack the same pairs into .f16x2 registers
//     (2 registers for N = 8).
// A layout self-check with small integers (exact in every format) runs first; if it fails with
// (LBO, SBO) = (128, 256) the probe retries with the two swapped and says so in the CSV comment.
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#define CUDA_OK(x)                                                                     \
  do {                                                                                 \
    cudaError_t e_ = (x);                                                              \
    if (e_ != cudaSuccess) {                                                           \
      std::fprintf(stderr, "wgmma_probe: %s: %s\n", #x, cudaGetErrorString(e_));      \
      std::exit(1);                                                                    \
    }                                                                                  \
  } while (0)

constexpr int M = 64, N = 8, K = 32;

enum Fp8 { E4M3 = 0, E5M2 = 1 };

// Byte offset of element (row, k) of a K-major operand in the no-swizzle canonical layout:
// core matrix (row/8, k/16) of 128 bytes; the two K-adjacent core matrices of an 8-row group are
// next to each other (LBO = 128), 8-row groups follow one another (SBO = 256).
__host__ __device__ inline int core_offset(int row, int k) {
  return ((row / 8) * 2 + k / 16) * 128 + (row % 8) * 16 + (k % 16);
}

__device__ inline uint64_t smem_descriptor(const void* smem, uint32_t lbo, uint32_t sbo) {
  uint32_t addr = static_cast<uint32_t>(__cvta_generic_to_shared(smem));
  uint64_t desc = 0;
  desc |= static_cast<uint64_t>((addr & 0x3FFFF) >> 4);        // bits 0-13: start address
  desc |= static_cast<uint64_t>((lbo & 0x3FFFF) >> 4) << 16;   // bits 16-29: LBO
  desc |= static_cast<uint64_t>((sbo & 0x3FFFF) >> 4) << 32;   // bits 32-45: SBO
  // bits 49-51 base offset = 0, bits 62-63 swizzle = 0 (no swizzle)
  return desc;
}

// One wgmma per (accumulator, A type, B type); the PTX type names must be literal.
#define WGMMA_F32(AT, BT)                                                                     \
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %6, 0;\n"                                    \
               "wgmma.mma_async.sync.aligned.m64n8k32.f32." AT "." BT                         \
               " {%0, %1, %2, %3}, %4, %5, p, 1, 1;\n}\n"                                     \
               : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])                               \
               : "l"(da), "l"(db), "r"(scale_d))
#define WGMMA_F16(AT, BT)                                                                     \
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %4, 0;\n"                                    \
               "wgmma.mma_async.sync.aligned.m64n8k32.f16." AT "." BT                         \
               " {%0, %1}, %2, %3, p, 1, 1;\n}\n"                                             \
               : "+r"(h[0]), "+r"(h[1])                                                       \
               : "l"(da), "l"(db), "r"(scale_d))

// One warpgroup (128 threads). a: M x K codes row-major, b: N x K codes (column j of B),
// c/d: M x N as 32-bit words (FP32 bits, or FP16 bits in the low half).
__global__ void probe_kernel(const uint8_t* a, const uint8_t* b, const uint32_t* c, uint32_t* d_out,
                             int atype, int btype, int f16acc, uint32_t scale_d, uint32_t lbo,
                             uint32_t sbo) {
  __shared__ alignas(128) uint8_t sa[M * K];
  __shared__ alignas(128) uint8_t sb[N * K];
  const int t = threadIdx.x;
  for (int i = t; i < M * K; i += blockDim.x) sa[core_offset(i / K, i % K)] = a[i];
  for (int i = t; i < N * K; i += blockDim.x) sb[core_offset(i / K, i % K)] = b[i];
  // Generic-proxy writes to shared memory must be made visible to the async proxy that wgmma
  // reads through (PTX ISA, "Async proxy").
  asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
  __syncthreads();
  const uint64_t da = smem_descriptor(sa, lbo, sbo);
  const uint64_t db = smem_descriptor(sb, lbo, sbo);
  const int warp = t / 32, lane = t % 32;
  const int r0 = 16 * warp + lane / 4, c0 = 2 * (lane % 4);
  const int rows[4] = {r0, r0, r0 + 8, r0 + 8};
  const int cols[4] = {c0, c0 + 1, c0, c0 + 1};
  if (!f16acc) {
    float d[4];
    for (int i = 0; i < 4; ++i) d[i] = __uint_as_float(c[rows[i] * N + cols[i]]);
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
    if (atype == E4M3 && btype == E4M3) WGMMA_F32("e4m3", "e4m3");
    else if (atype == E4M3) WGMMA_F32("e4m3", "e5m2");
    else if (btype == E4M3) WGMMA_F32("e5m2", "e4m3");
    else WGMMA_F32("e5m2", "e5m2");
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
    asm volatile("wgmma.wait_group.sync.aligned 0;\n" ::: "memory");
    for (int i = 0; i < 4; ++i) d_out[rows[i] * N + cols[i]] = __float_as_uint(d[i]);
  } else {
    uint32_t h[2];
    for (int i = 0; i < 2; ++i)  // register i holds (row r0 + 8i, c0) low and (r0 + 8i, c0 + 1) high
      h[i] = (c[rows[2 * i] * N + cols[2 * i]] & 0xFFFF) | (c[rows[2 * i + 1] * N + cols[2 * i + 1]] << 16);
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
    if (atype == E4M3 && btype == E4M3) WGMMA_F16("e4m3", "e4m3");
    else if (atype == E4M3) WGMMA_F16("e4m3", "e5m2");
    else if (btype == E4M3) WGMMA_F16("e5m2", "e4m3");
    else WGMMA_F16("e5m2", "e5m2");
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
    asm volatile("wgmma.wait_group.sync.aligned 0;\n" ::: "memory");
    for (int i = 0; i < 2; ++i) {
      d_out[rows[2 * i] * N + cols[2 * i]] = h[i] & 0xFFFF;
      d_out[rows[2 * i + 1] * N + cols[2 * i + 1]] = h[i] >> 16;
    }
  }
}

// ------------------------------------------------------------------------- host-side data
struct SplitMix64 {  // same generator as the Java plan writer (Steele, Lea, Flood 2014)
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

struct Fmt { int ebits, mbits, bias; };
static Fmt fmt8(int t) { return t == E4M3 ? Fmt{4, 3, 7} : Fmt{5, 2, 15}; }

// Assembles an FP8 code from fields; NaN/Inf become the largest finite of that sign.
static uint8_t fp8(int t, bool neg, int field, uint32_t mant) {
  Fmt f = fmt8(t);
  int top = (1 << f.ebits) - 1;
  field = field < 0 ? 0 : field > top ? top : field;
  uint32_t code = (neg ? 0x80u : 0u) | (uint32_t(field) << f.mbits) | (mant & ((1u << f.mbits) - 1));
  uint32_t mag = code & 0x7F;
  bool special = t == E4M3 ? mag == 0x7F : (mag >> 2) == 0x1F;
  if (special) code = (neg ? 0x80u : 0u) | (t == E4M3 ? 0x7Eu : 0x7Bu);
  return static_cast<uint8_t>(code);
}

static uint8_t small_int(int t, int v) {  // -3..3, exact in both formats
  static const uint8_t e4[] = {0x00, 0x38, 0x40, 0x44}, e5[] = {0x00, 0x3C, 0x40, 0x42};
  uint8_t mag = (t == E4M3 ? e4 : e5)[v < 0 ? -v : v];
  return static_cast<uint8_t>(v < 0 ? (mag | 0x80) : mag);
}

enum Data { SANITY, RANDOM, SUBNORMAL, CARRY, ALIGN };

struct Config {
  const char* name;
  int atype, btype, f16acc;
  Data data;
  bool c_nonzero;
};

static uint8_t element(int t, Data data, int k, SplitMix64& rng) {
  uint64_t x = rng.next();
  Fmt f = fmt8(t);
  bool neg = x & 1;
  uint32_t mant = static_cast<uint32_t>(x >> 17);
  switch (data) {
    case RANDOM: return fp8(t, neg, f.bias - 4 + int((x >> 1) % 9), mant);         // 2^-4 .. 2^4
    case SUBNORMAL: return fp8(t, neg, int((x >> 1) % 3) == 2 ? 1 : 0, mant);       // mostly subnormal
    case CARRY:  // one large positive term per row, the rest small and positive, all-ones mantissas often
      if (k == 0) return fp8(t, false, f.bias + 3 + int((x >> 1) % 2), (x >> 20) & 1 ? 0xFF : mant);
      return fp8(t, false, f.bias - 6 + int((x >> 1) % 3), (x >> 21) & 1 ? 0xFF : mant);
    case ALIGN: return fp8(t, neg, 1 + int((x >> 1) % ((1 << f.ebits) - 2)), mant);  // whole range
    default: return 0;
  }
}

static uint32_t c_value(const Config& cfg, SplitMix64& rng) {
  if (!cfg.c_nonzero) return 0;
  uint64_t x = rng.next();
  bool neg = x & 1;
  if (cfg.f16acc) {  // FP16 C: exponent 2^-6 .. 2^6
    uint32_t field = 15 - 6 + uint32_t((x >> 1) % 13);
    return (neg ? 0x8000u : 0u) | (field << 10) | uint32_t((x >> 17) & 0x3FF);
  }
  int spread = cfg.data == ALIGN ? 40 : 12;  // FP32 C: around the products' magnitudes
  uint32_t field = 127 - spread / 2 + uint32_t((x >> 1) % (spread + 1));
  if (cfg.data == SUBNORMAL) field = 127 - 20 + uint32_t((x >> 1) % 8);
  return (neg ? 0x80000000u : 0u) | (field << 23) | uint32_t((x >> 17) & 0x7FFFFF);
}

static double decode8(int t, uint8_t code) {
  Fmt f = fmt8(t);
  int field = (code >> f.mbits) & ((1 << f.ebits) - 1);
  int mant = code & ((1 << f.mbits) - 1);
  double v = field == 0 ? std::ldexp(mant, 1 - f.bias - f.mbits)
                        : std::ldexp(mant | (1 << f.mbits), field - f.bias - f.mbits);
  return (code & 0x80) ? -v : v;
}

struct Run {
  std::vector<uint8_t> a, b;
  std::vector<uint32_t> c, d;
};

static Run run(const Config& cfg, uint64_t seed, uint32_t lbo, uint32_t sbo) {
  Run r;
  SplitMix64 rng{seed};
  r.a.resize(M * K);
  r.b.resize(N * K);
  r.c.resize(M * N);
  for (int i = 0; i < M; ++i)
    for (int k = 0; k < K; ++k)
      r.a[i * K + k] = cfg.data == SANITY ? small_int(cfg.atype, (i * 3 + k * 5) % 7 - 3)
                                          : element(cfg.atype, cfg.data, k, rng);
  for (int j = 0; j < N; ++j)
    for (int k = 0; k < K; ++k)
      r.b[j * K + k] = cfg.data == SANITY ? small_int(cfg.btype, (j * 2 + k) % 5 - 2)
                       : cfg.data == CARRY ? small_int(cfg.btype, 1)
                                           : element(cfg.btype, cfg.data, k, rng);
  for (auto& v : r.c) v = c_value(cfg, rng);
  uint8_t *da, *db;
  uint32_t *dc, *dd;
  CUDA_OK(cudaMalloc(&da, M * K));
  CUDA_OK(cudaMalloc(&db, N * K));
  CUDA_OK(cudaMalloc(&dc, M * N * 4));
  CUDA_OK(cudaMalloc(&dd, M * N * 4));
  CUDA_OK(cudaMemcpy(da, r.a.data(), M * K, cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(db, r.b.data(), N * K, cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(dc, r.c.data(), M * N * 4, cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemset(dd, 0xFF, M * N * 4));
  // scale-d = 1 (D = A*B + C) when C is given, 0 (D = A*B) otherwise.
  probe_kernel<<<1, 128>>>(da, db, dc, dd, cfg.atype, cfg.btype, cfg.f16acc, cfg.c_nonzero ? 1 : 0,
                           lbo, sbo);
  CUDA_OK(cudaGetLastError());
  CUDA_OK(cudaDeviceSynchronize());
  r.d.resize(M * N);
  CUDA_OK(cudaMemcpy(r.d.data(), dd, M * N * 4, cudaMemcpyDeviceToHost));
  cudaFree(da); cudaFree(db); cudaFree(dc); cudaFree(dd);
  return r;
}

// Small integers give exact products and sums in every accumulator: any difference is a layout bug.
static bool layout_ok(const Config& cfg, const Run& r) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0;
      for (int k = 0; k < K; ++k) s += decode8(cfg.atype, r.a[i * K + k]) * decode8(cfg.btype, r.b[j * K + k]);
      double got;
      if (cfg.f16acc) {
        __half_raw raw;
        raw.x = static_cast<unsigned short>(r.d[i * N + j]);
        got = __half2float(__half(raw));
      } else {
        float f;
        std::memcpy(&f, &r.d[i * N + j], 4);
        got = f;
      }
      if (got != s) {
        std::fprintf(stderr, "wgmma_probe: layout check %s: D[%d][%d] = %g, exact %g\n", cfg.name, i, j, got, s);
        return false;
      }
    }
  return true;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: wgmma_probe OUT.csv\n");
    return 2;
  }
  cudaDeviceProp props{};
  CUDA_OK(cudaGetDeviceProperties(&props, 0));
  if (props.major != 9) {
    std::fprintf(stderr, "wgmma_probe: %s is sm_%d%d; wgmma needs sm_90a (Hopper)\n", props.name, props.major, props.minor);
    return 1;
  }
  std::string gpu = std::strstr(props.name, "H200") ? "h200" : std::strstr(props.name, "H100") ? "h100" : "sm90";
  const Config configs[] = {
      {"sanity_e4m3_f32", E4M3, E4M3, 0, SANITY, false},
      {"sanity_e5m2_f16", E5M2, E5M2, 1, SANITY, false},
      {"e4m3_f32_random_c0", E4M3, E4M3, 0, RANDOM, false},
      {"e4m3_f32_random_c", E4M3, E4M3, 0, RANDOM, true},
      {"e4m3_f32_subnormal_c", E4M3, E4M3, 0, SUBNORMAL, true},
      {"e4m3_f32_carry_c", E4M3, E4M3, 0, CARRY, true},
      {"e4m3_f32_align_c", E4M3, E4M3, 0, ALIGN, true},
      {"e5m2_f32_random_c", E5M2, E5M2, 0, RANDOM, true},
      {"e5m2_f32_subnormal_c", E5M2, E5M2, 0, SUBNORMAL, true},
      {"e4m3_e5m2_f32_align_c", E4M3, E5M2, 0, ALIGN, true},
      {"e4m3_f16_random_c", E4M3, E4M3, 1, RANDOM, true},
      {"e4m3_f16_subnormal_c", E4M3, E4M3, 1, SUBNORMAL, true},
      {"e4m3_f16_carry_c", E4M3, E4M3, 1, CARRY, true},
      {"e5m2_f16_random_c", E5M2, E5M2, 1, RANDOM, true},
  };
  uint32_t lbo = 128, sbo = 256;
  if (!layout_ok(configs[0], run(configs[0], 1, lbo, sbo))) {
    std::fprintf(stderr, "wgmma_probe: retrying the layout check with LBO and SBO swapped\n");
    lbo = 256; sbo = 128;
    if (!layout_ok(configs[0], run(configs[0], 1, lbo, sbo))) {
      std::fprintf(stderr, "wgmma_probe: FAILED: the shared-memory layout is wrong both ways\n");
      return 3;
    }
  }
  FILE* out = std::fopen(argv[1], "w");
  if (!out) { std::perror(argv[1]); return 1; }
  std::fprintf(out, "# Tensor-core outputs of single wgmma.mma_async m64n8k32 FP8 instructions, measured by\n"
                    "# tcsim traces/capture/wgmma_probe.cu on %s (sm_%d%d); descriptors LBO=%u SBO=%u, no swizzle.\n"
                    "# One row = one output element D[i][j] = sum_k a[k]*b[k] + c (c = the accumulator input;\n"
                    "# 0 with scale-d false on the *_c0 configurations). Configurations in order: ",
               props.name, props.major, props.minor, lbo, sbo);
  for (const auto& cfg : configs) std::fprintf(out, "%s%s", &cfg == &configs[0] ? "" : " ", cfg.name);
  // The instruction column tells tcsim verify that these rows come from wgmma, whose FP16
  // accumulator runs another datapath than mma.sync's.
  std::fprintf(out, "\ngpu,a_format,b_format,c_format,d_format,k,a,b,c,d,instruction\n");
  uint64_t seed = 0x5EED0007;
  int rows = 0;
  for (const auto& cfg : configs) {
    Run r = run(cfg, seed++, lbo, sbo);
    if (cfg.data == SANITY && !layout_ok(cfg, r)) return 3;
    const char* an = cfg.atype == E4M3 ? "e4m3" : "e5m2";
    const char* bn = cfg.btype == E4M3 ? "e4m3" : "e5m2";
    const char* acc = cfg.f16acc ? "fp16" : "fp32";
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) {
        std::fprintf(out, "%s,%s,%s,%s,%s,%d,", gpu.c_str(), an, bn, acc, acc, K);
        for (int k = 0; k < K; ++k) std::fprintf(out, k ? " %02x" : "%02x", r.a[i * K + k]);
        std::fputc(',', out);
        for (int k = 0; k < K; ++k) std::fprintf(out, k ? " %02x" : "%02x", r.b[j * K + k]);
        if (cfg.f16acc) std::fprintf(out, ",%04x,%04x,wgmma.mma_async\n", r.c[i * N + j], r.d[i * N + j]);
        else std::fprintf(out, ",%08x,%08x,wgmma.mma_async\n", r.c[i * N + j], r.d[i * N + j]);
        ++rows;
      }
    std::printf("wgmma_probe: %s done\n", cfg.name);
  }
  std::fclose(out);
  std::printf("wgmma_probe: wrote %d rows to %s\n", rows, argv[1]);
  return 0;
}

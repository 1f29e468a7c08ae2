// memory_bandwidth.cu -- the L2 and HBM read bandwidth of the GPU it runs on, the two memory
// figures of tcsim's timing model (l2_tbps, hbm_tbps x hbm_efficiency), measured rather than fitted.
//
//   memory_bandwidth [OUT.csv [REPEAT]]
//
// Every SM streams 16-byte loads that bypass L1 (ld.global.cg, __ldcg) over a buffer: one that
// fits in L2 (8 to 32 MiB), read many times, gives the L2-to-SM bandwidth; one of 4 GiB, read once
// per pass, gives HBM's. REPEAT (default 1) multiplies the passes, so that each run lasts long
// enough for the clock to settle; a second of loads runs first for the same reason. Each figure is the best of 5 timed runs (CUDA events) after a warm-up;
// the SM clock is read with clock64() on SM 0 during the run, so the L2 figure can be scaled to
// another clock. Then the same L2 read through bulk copies (TMA), as GEMM kernels load tiles
// (what = l2_bulk; passes = copy rounds per CTA). Prints CSV rows: what,bytes,passes,seconds,tbps,sm_ghz.
//
// Build: nvcc -O3 -std=c++17 -arch=sm_90a memory_bandwidth.cu -o memory_bandwidth
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#define CHECK(x)                                                                      \
  do {                                                                                \
    cudaError_t e_ = (x);                                                             \
    if (e_ != cudaSuccess) {                                                          \
      std::fprintf(stderr, "memory_bandwidth: %s: %s\n", #x, cudaGetErrorString(e_)); \
      std::exit(1);                                                                   \
    }                                                                                 \
  } while (0)

__global__ void stream(const float4* __restrict__ buf, size_t n, int passes, float* sink,
                       long long* cycles) {
  long long t0 = clock64();
  float acc = 0.f;
  size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
  for (int p = 0; p < passes; ++p) {
    for (size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
      float4 v = __ldcg(buf + i);
      acc += v.x + v.y + v.z + v.w;
    }
  }
  if (acc == 12345.f) *sink = acc;  // never true for the data below; keeps the loads alive
  if (blockIdx.x == 0 && threadIdx.x == 0) *cycles = clock64() - t0;
}

// The same L2 read through the tensor memory accelerator, as GEMM kernels load their tiles: one
// thread per CTA issues 1D bulk copies (cp.async.bulk, PTX ISA "Data Movement and Conversion
// Instructions: cp.async.bulk") of CHUNK bytes into shared memory, CHUNKS of them in flight per
// mbarrier phase, cycling over a buffer that fits in L2.
constexpr unsigned CHUNK = 16384;
constexpr unsigned CHUNKS = 8;

__global__ void bulk_stream(const char* __restrict__ buf, size_t bytes, int iterations,
                            long long* cycles) {
  extern __shared__ __align__(128) char smem[];
  __shared__ __align__(8) unsigned long long bar;
  if (threadIdx.x != 0) return;
  unsigned bar_addr = static_cast<unsigned>(__cvta_generic_to_shared(&bar));
  unsigned dst = static_cast<unsigned>(__cvta_generic_to_shared(smem));
  asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(bar_addr));
  asm volatile("fence.proxy.async.shared::cta;");
  long long t0 = clock64();
  size_t per_iteration = size_t(CHUNK) * CHUNKS;
  size_t slots = bytes / per_iteration;
  unsigned phase = 0;
  for (int it = 0; it < iterations; ++it) {
    size_t slot = (size_t(blockIdx.x) * 7919 + it) % slots;
    const char* src = buf + slot * per_iteration;
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;"
                 ::"r"(bar_addr), "r"(unsigned(per_iteration)) : "memory");
    for (unsigned c = 0; c < CHUNKS; ++c) {
      asm volatile(
          "cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];"
          ::"r"(dst + c * CHUNK), "l"(src + size_t(c) * CHUNK), "r"(CHUNK), "r"(bar_addr)
          : "memory");
    }
    unsigned done = 0;
    while (!done) {
      asm volatile(
          "{ .reg .pred p; mbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2; selp.u32 %0, 1, 0, p; }"
          : "=r"(done) : "r"(bar_addr), "r"(phase) : "memory");
    }
    phase ^= 1;
  }
  if (blockIdx.x == 0) *cycles = clock64() - t0;
}

int main(int argc, char** argv) {
  FILE* out = argc > 1 ? std::fopen(argv[1], "w") : stdout;
  if (!out) { std::perror(argv[1]); return 1; }
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, 0));
  std::fprintf(out, "# %s, %d SMs, L2 %d MiB; memory_bandwidth.cu (ld.global.cg float4 streams, best of 5)\n",
               prop.name, prop.multiProcessorCount, prop.l2CacheSize >> 20);
  std::fprintf(out, "what,bytes,passes,seconds,tbps,sm_ghz\n");
  const size_t big = size_t(4) << 30;
  float4* buf;
  CHECK(cudaMalloc(&buf, big));
  CHECK(cudaMemset(buf, 0, big));
  float* sink;
  long long* cycles;
  CHECK(cudaMalloc(&sink, sizeof(float)));
  CHECK(cudaMalloc(&cycles, sizeof(long long)));
  cudaEvent_t a, b;
  CHECK(cudaEventCreate(&a));
  CHECK(cudaEventCreate(&b));
  int blocks = prop.multiProcessorCount * 4;
  int repeat = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  for (int w = 0; w < 20; ++w) stream<<<blocks, 512>>>(buf, big / sizeof(float4), 1, sink, cycles);
  CHECK(cudaDeviceSynchronize());
  // Warm-up (and L2 fill), then the best of 5 timed launches; prints one row.
  auto measure = [&](const char* what, size_t bytes, int passes, double moved, auto launch) {
    launch();
    CHECK(cudaDeviceSynchronize());
    float best = 1e30f;
    long long cyc = 0;
    for (int r = 0; r < 5; ++r) {
      CHECK(cudaEventRecord(a));
      launch();
      CHECK(cudaEventRecord(b));
      CHECK(cudaEventSynchronize(b));
      float ms;
      CHECK(cudaEventElapsedTime(&ms, a, b));
      if (ms < best) {
        best = ms;
        CHECK(cudaMemcpy(&cyc, cycles, sizeof cyc, cudaMemcpyDeviceToHost));
      }
    }
    double s = best * 1e-3;
    std::fprintf(out, "%s,%zu,%d,%.6e,%.3f,%.3f\n", what, bytes, passes, s, moved / s / 1e12, cyc / s / 1e9);
  };
  struct Case { const char* what; size_t bytes; int passes; };
  const Case cases[] = {{"l2", size_t(8) << 20, 400}, {"l2", size_t(16) << 20, 200},
                        {"l2", size_t(32) << 20, 100}, {"hbm", big, 2}};
  for (const Case& c : cases) {
    size_t n = c.bytes / sizeof(float4);
    int passes = c.passes * repeat;
    measure(c.what, c.bytes, passes, double(c.bytes) * passes,
            [&] { stream<<<blocks, 512>>>(buf, n, passes, sink, cycles); });
  }
  // L2 through bulk copies: one CTA per SM, 128 KiB in flight each.
  int smem = CHUNK * CHUNKS;
  CHECK(cudaFuncSetAttribute(bulk_stream, cudaFuncAttributeMaxDynamicSharedMemorySize, smem));
  const char* src = reinterpret_cast<const char*>(buf);
  for (size_t bytes : {size_t(16) << 20, size_t(32) << 20}) {
    int iterations = 2000 * repeat;
    measure("l2_bulk", bytes, iterations, double(prop.multiProcessorCount) * iterations * CHUNK * CHUNKS,
            [&] { bulk_stream<<<prop.multiProcessorCount, 32, smem>>>(src, bytes, iterations, cycles); });
  }
  if (out != stdout) std::fclose(out);
  return 0;
}

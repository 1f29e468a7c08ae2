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
// another clock. Prints CSV rows: what,bytes,passes,seconds,tbps,sm_ghz.
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
  struct Case { const char* what; size_t bytes; int passes; };
  const Case cases[] = {{"l2", size_t(8) << 20, 400}, {"l2", size_t(16) << 20, 200},
                        {"l2", size_t(32) << 20, 100}, {"hbm", big, 2}};
  for (const Case& c : cases) {
    size_t n = c.bytes / sizeof(float4);
    int passes = c.passes * repeat;
    stream<<<blocks, 512>>>(buf, n, passes, sink, cycles);  // warm-up (and L2 fill)
    CHECK(cudaDeviceSynchronize());
    float best = 1e30f;
    long long cyc = 0;
    for (int r = 0; r < 5; ++r) {
      CHECK(cudaEventRecord(a));
      stream<<<blocks, 512>>>(buf, n, passes, sink, cycles);
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
    double bytes = double(c.bytes) * passes;
    std::fprintf(out, "%s,%zu,%d,%.6e,%.3f,%.3f\n", c.what, c.bytes, passes, s, bytes / s / 1e12,
                 cyc / s / 1e9);
  }
  if (out != stdout) std::fclose(out);
  return 0;
}

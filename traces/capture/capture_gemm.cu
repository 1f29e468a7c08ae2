// capture_gemm.cu -- runs the golden GEMM plan (written by `tcsim capture plan`) through cuBLASLt
// on the GPU and writes the measured outputs in the golden GEMM format (traces/capture/README.md).
//
//   capture_gemm PLAN_DIR OUT_DIR
//
// For each row of PLAN_DIR/capture.csv: load A, B (and C, scale vectors) checking their SHA-256,
// call cublasLtMatmul with the heuristic's first algorithm, run it twice to see whether the result
// is deterministic, and write OUT_DIR/results/<id>.d.hex. OUT_DIR/capture.csv is the plan's table
// with d_sha256, status and the provenance columns filled in. A case cuBLASLt refuses is recorded
// with status "unsupported ..." and the run goes on.
//
// cuBLASLt semantics (cuBLAS docs, cublasLtMatmul; docs/hardware-facts.md, Library GEMM semantics):
//   D = alpha * scaleA * scaleB * (op(A) op(B)) + beta * C;  FP8 output: saturate(D * scaleD).
// FP8 on Hopper needs the "TN" layout: A stored K x M column-major with transa = T, B stored
// K x N column-major with transb = N; C and D are M x N column-major.
//
// Build: nvcc -std=c++17 -O2 -arch=sm_90a capture_gemm.cu -lcublasLt -o capture_gemm
#include <cublasLt.h>
#include <cuda_runtime.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>

#include "capture_io.h"

using capture::Table;

#define CUDA_OK(x)                                                                        \
  do {                                                                                    \
    cudaError_t e_ = (x);                                                                 \
    if (e_ != cudaSuccess)                                                                \
      throw std::runtime_error(std::string(#x) + ": " + cudaGetErrorString(e_));          \
  } while (0)

// A cuBLASLt call that may legitimately refuse a configuration: the case is recorded, not fatal.
struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};
#define LT_OK(x)                                                                          \
  do {                                                                                    \
    cublasStatus_t s_ = (x);                                                              \
    if (s_ != CUBLAS_STATUS_SUCCESS)                                                      \
      throw Unsupported(std::string(#x).substr(0, std::string(#x).find('(')) +            \
                        " status " + std::to_string(static_cast<int>(s_)));               \
  } while (0)

static cudaDataType_t data_type(const std::string& f) {
  if (f == "e4m3") return CUDA_R_8F_E4M3;
  if (f == "e5m2") return CUDA_R_8F_E5M2;
  if (f == "bf16") return CUDA_R_16BF;
  if (f == "fp16") return CUDA_R_16F;
  if (f == "fp32") return CUDA_R_32F;
  throw std::runtime_error("no CUDA type for format '" + f + "'");
}

static size_t bytes_of(const std::string& f) { return static_cast<size_t>(capture::digits_of(f) / 2); }

static float float_of_hex(const std::string& hex) {
  uint32_t bits = static_cast<uint32_t>(std::stoul(hex, nullptr, 16));
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// Packs codes (one per element) into the little-endian byte image of the CUDA type.
static std::vector<unsigned char> pack(const std::vector<uint32_t>& codes, size_t width) {
  std::vector<unsigned char> out(codes.size() * width);
  for (size_t i = 0; i < codes.size(); ++i)
    for (size_t b = 0; b < width; ++b) out[i * width + b] = (codes[i] >> (8 * b)) & 0xff;
  return out;
}

// Row-major M x N (file order) <-> column-major M x N (cuBLASLt order).
static std::vector<uint32_t> transpose(const std::vector<uint32_t>& v, int rows, int cols) {
  std::vector<uint32_t> out(v.size());
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) out[static_cast<size_t>(c) * rows + r] = v[static_cast<size_t>(r) * cols + c];
  return out;
}

struct DeviceBuffer {
  void* p = nullptr;
  explicit DeviceBuffer(size_t n) { CUDA_OK(cudaMalloc(&p, n < 16 ? 16 : n)); }
  DeviceBuffer(const void* host, size_t n) : DeviceBuffer(n) {
    CUDA_OK(cudaMemcpy(p, host, n, cudaMemcpyHostToDevice));
  }
  ~DeviceBuffer() { cudaFree(p); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
};

// Reads one algorithm-configuration attribute whatever its width (they are 16- or 32-bit):
// ask for the size first, then read exactly that many bytes.
static std::string algo_attr(const cublasLtMatmulAlgo_t& algo, cublasLtMatmulAlgoConfigAttributes_t a) {
  size_t size = 0;
  if (cublasLtMatmulAlgoConfigGetAttribute(&algo, a, nullptr, 0, &size) != CUBLAS_STATUS_SUCCESS ||
      size == 0 || size > 8)
    return "-";
  uint64_t value = 0;
  if (cublasLtMatmulAlgoConfigGetAttribute(&algo, a, &value, size, &size) != CUBLAS_STATUS_SUCCESS)
    return "-";
  return std::to_string(value);
}

struct Provenance {
  std::string gpu, driver, cuda, cublas;
};

struct Result {
  std::string status = "ok";
  std::vector<uint32_t> d;  // row-major M x N codes
  std::string algo_id = "-", tile = "-", stages = "-", splitk = "-", reduction = "-",
              swizzle = "-", custom = "-", cluster = "-", call = "-";
};

static Result run_case(cublasLtHandle_t lt, const Table& t, const std::vector<std::string>& row,
                       const std::string& plan, void* workspace, size_t workspace_size) {
  auto get = [&](const char* c) { return row[t.column(c)]; };
  const int m = std::stoi(get("m")), n = std::stoi(get("n")), k = std::stoi(get("k"));
  const std::string af = get("a_format"), bf = get("b_format"), cf = get("c_format"),
                    df = get("d_format");
  if (get("transa") != "T" || get("transb") != "N")
    throw std::runtime_error("only the TN layout is captured");
  auto a = capture::load_checked(plan, get("a_file"), get("a_sha256"), m, k, 2);
  auto b = capture::load_checked(plan, get("b_file"), get("b_sha256"), n, k, 2);
  // A file = M lines of K codes = the K x M column-major image; B file = N lines of K = K x N.
  auto a_bytes = pack(a, 1), b_bytes = pack(b, 1);
  std::vector<uint32_t> c_codes(static_cast<size_t>(m) * n, 0);
  if (get("c_file") != "-")
    c_codes = transpose(capture::load_checked(plan, get("c_file"), get("c_sha256"), m, n,
                                              capture::digits_of(cf)), m, n);
  auto c_bytes = pack(c_codes, bytes_of(cf));
  const bool vector_scales = get("scale_mode") == "OUTER_VEC_32F";
  std::vector<float> sa, sb;
  if (vector_scales) {
    for (uint32_t bits : capture::load_checked(plan, get("scale_a_file"), get("scale_a_sha256"), m, 1, 8)) {
      float f; std::memcpy(&f, &bits, 4); sa.push_back(f);
    }
    for (uint32_t bits : capture::load_checked(plan, get("scale_b_file"), get("scale_b_sha256"), n, 1, 8)) {
      float f; std::memcpy(&f, &bits, 4); sb.push_back(f);
    }
  } else if (get("scale_mode") == "SCALAR_32F") {
    sa.push_back(float_of_hex(get("scale_a")));
    sb.push_back(float_of_hex(get("scale_b")));
  } else {
    throw Unsupported("scale mode " + get("scale_mode") + " is not in this kit");
  }
  const float scale_d = float_of_hex(get("scale_d"));
  const float alpha = float_of_hex(get("alpha")), beta = float_of_hex(get("beta"));
  const int8_t fast = get("fast_accum") == "1" ? 1 : 0;
  const bool fp8_out = df == "e4m3" || df == "e5m2";

  DeviceBuffer dA(a_bytes.data(), a_bytes.size()), dB(b_bytes.data(), b_bytes.size());
  DeviceBuffer dC(c_bytes.data(), c_bytes.size());
  const size_t d_size = static_cast<size_t>(m) * n * bytes_of(df);
  DeviceBuffer dD(d_size);
  DeviceBuffer dSa(sa.data(), sa.size() * 4), dSb(sb.data(), sb.size() * 4);
  DeviceBuffer dSd(&scale_d, 4);

  Result res;
  cublasLtMatmulDesc_t op = nullptr;
  cublasLtMatrixLayout_t la = nullptr, lb = nullptr, lc = nullptr, ld = nullptr;
  cublasLtMatmulPreference_t pref = nullptr;
  struct Cleanup {
    cublasLtMatmulDesc_t& op; cublasLtMatrixLayout_t &la, &lb, &lc, &ld; cublasLtMatmulPreference_t& pref;
    ~Cleanup() {
      if (pref) cublasLtMatmulPreferenceDestroy(pref);
      if (ld) cublasLtMatrixLayoutDestroy(ld);
      if (lc) cublasLtMatrixLayoutDestroy(lc);
      if (lb) cublasLtMatrixLayoutDestroy(lb);
      if (la) cublasLtMatrixLayoutDestroy(la);
      if (op) cublasLtMatmulDescDestroy(op);
    }
  } cleanup{op, la, lb, lc, ld, pref};

  LT_OK(cublasLtMatmulDescCreate(&op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
  cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
  LT_OK(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof ta));
  LT_OK(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof tb));
  LT_OK(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_FAST_ACCUM, &fast, sizeof fast));
  void* pa = dSa.p; void* pb = dSb.p; void* pd = dSd.p;
  LT_OK(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &pa, sizeof pa));
  LT_OK(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &pb, sizeof pb));
  if (fp8_out)
    LT_OK(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_D_SCALE_POINTER, &pd, sizeof pd));
  if (vector_scales) {
#if defined(CUBLAS_VERSION) && CUBLAS_VERSION >= 120900
    // cuBLAS 12.9 added per-row/per-column FP32 scales (cublasLtMatmulMatrixScale_t).
    int32_t mode = CUBLASLT_MATMUL_MATRIX_SCALE_OUTER_VEC_32F;
    LT_OK(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_A_SCALE_MODE, &mode, sizeof mode));
    LT_OK(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_B_SCALE_MODE, &mode, sizeof mode));
#else
    throw Unsupported("OUTER_VEC_32F needs cuBLAS 12.9 or later");
#endif
  }
  LT_OK(cublasLtMatrixLayoutCreate(&la, data_type(af), k, m, k));
  LT_OK(cublasLtMatrixLayoutCreate(&lb, data_type(bf), k, n, k));
  LT_OK(cublasLtMatrixLayoutCreate(&lc, data_type(cf), m, n, m));
  LT_OK(cublasLtMatrixLayoutCreate(&ld, data_type(df), m, n, m));
  LT_OK(cublasLtMatmulPreferenceCreate(&pref));
  LT_OK(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                             &workspace_size, sizeof workspace_size));
  cublasLtMatmulHeuristicResult_t heur{};
  int found = 0;
  LT_OK(cublasLtMatmulAlgoGetHeuristic(lt, op, la, lb, lc, ld, pref, 1, &heur, &found));
  if (found == 0) throw Unsupported("no cuBLASLt algorithm for this configuration");
  res.algo_id = algo_attr(heur.algo, CUBLASLT_ALGO_CONFIG_ID);
  res.tile = algo_attr(heur.algo, CUBLASLT_ALGO_CONFIG_TILE_ID);
  res.stages = algo_attr(heur.algo, CUBLASLT_ALGO_CONFIG_STAGES_ID);
  res.splitk = algo_attr(heur.algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM);
  res.reduction = algo_attr(heur.algo, CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME);
  res.swizzle = algo_attr(heur.algo, CUBLASLT_ALGO_CONFIG_CTA_SWIZZLING);
  res.custom = algo_attr(heur.algo, CUBLASLT_ALGO_CONFIG_CUSTOM_OPTION);
  res.cluster = algo_attr(heur.algo, CUBLASLT_ALGO_CONFIG_CLUSTER_SHAPE_ID);
  res.call = "cublasLtMatmul TN COMPUTE_32F scaleType=R_32F heuristic[0] workspace=" +
             std::to_string(heur.workspaceSize);

  std::vector<unsigned char> first(d_size), second(d_size);
  for (int run = 0; run < 2; ++run) {
    CUDA_OK(cudaMemset(dD.p, 0xff, d_size));  // NaN pattern: an unwritten element shows
    LT_OK(cublasLtMatmul(lt, op, &alpha, dA.p, la, dB.p, lb, &beta, dC.p, lc, dD.p, ld,
                         &heur.algo, workspace, workspace_size, nullptr));
    CUDA_OK(cudaDeviceSynchronize());
    CUDA_OK(cudaMemcpy(run == 0 ? first.data() : second.data(), dD.p, d_size, cudaMemcpyDeviceToHost));
  }
  if (first != second) res.status = "nondeterministic (two runs differ; first kept)";
  const size_t w = bytes_of(df);
  std::vector<uint32_t> colmajor(static_cast<size_t>(m) * n);
  for (size_t i = 0; i < colmajor.size(); ++i) {
    uint32_t v = 0;
    for (size_t b2 = 0; b2 < w; ++b2) v |= uint32_t(first[i * w + b2]) << (8 * b2);
    colmajor[i] = v;
  }
  // Column-major M x N back to M lines of N codes: element (r, c) sits at c * M + r.
  res.d.resize(colmajor.size());
  for (int r = 0; r < m; ++r)
    for (int c = 0; c < n; ++c) res.d[static_cast<size_t>(r) * n + c] = colmajor[static_cast<size_t>(c) * m + r];
  return res;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: capture_gemm PLAN_DIR OUT_DIR\n";
    return 2;
  }
  const std::string plan = argv[1], out = argv[2];
  try {
    Table t = capture::read_table(plan + "/capture.csv");
    Provenance prov;
    cudaDeviceProp props{};
    CUDA_OK(cudaGetDeviceProperties(&props, 0));
    int drv = 0, rt = 0;
    CUDA_OK(cudaDriverGetVersion(&drv));
    CUDA_OK(cudaRuntimeGetVersion(&rt));
    const char* driver_release = std::getenv("CAPTURE_DRIVER");  // nvidia-smi's driver_version
    prov.gpu = capture::clean(std::string(props.name) + " sm_" + std::to_string(props.major) +
                              std::to_string(props.minor));
    prov.driver = capture::clean(std::string(driver_release ? driver_release : "?") +
                                 " (CUDA driver API " + std::to_string(drv) + ")");
    prov.cuda = "runtime " + std::to_string(rt);
    prov.cublas = "cublasLt " + std::to_string(cublasLtGetVersion());
    std::cout << "capture_gemm: " << prov.gpu << " | driver " << prov.driver << " | " << prov.cuda
              << " | " << prov.cublas << "\n";
    cublasLtHandle_t lt;
    LT_OK(cublasLtCreate(&lt));
    const size_t workspace_size = 32u << 20;
    DeviceBuffer workspace(workspace_size);
    std::string mk = "mkdir -p '" + out + "/results'";
    if (std::system(mk.c_str()) != 0) throw std::runtime_error("cannot create " + out + "/results");
    int ok = 0, other = 0;
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < t.rows.size(); ++i) {
      std::vector<std::string> row = t.rows[i];
      const std::string id = row[t.column("id")];
      auto set = [&](const char* c, const std::string& v) { row[t.column(c)] = capture::clean(v); };
      set("gpu", prov.gpu); set("driver", prov.driver); set("cuda", prov.cuda); set("cublas", prov.cublas);
      try {
        Result r = run_case(lt, t, t.rows[i], plan, workspace.p, workspace_size);
        const int m = std::stoi(row[t.column("m")]), n = std::stoi(row[t.column("n")]);
        std::string text = capture::render_hex(r.d, m, n, capture::digits_of(row[t.column("d_format")]));
        capture::write_file(out + "/" + row[t.column("d_file")], text);
        set("d_sha256", capture::Sha256::hex(text));
        set("status", r.status);
        set("algo_id", r.algo_id); set("tile", r.tile); set("stages", r.stages); set("splitk", r.splitk);
        set("reduction_scheme", r.reduction); set("swizzle", r.swizzle); set("custom_option", r.custom);
        set("cluster_shape", r.cluster); set("library_call", r.call);
        (r.status == "ok" ? ok : other)++;
        std::cout << "[" << (i + 1) << "/" << t.rows.size() << "] " << id << ": " << r.status
                  << " algo " << r.algo_id << " tile " << r.tile << " splitK " << r.splitk << "\n";
      } catch (const Unsupported& e) {
        set("d_sha256", "-");
        set("status", std::string("unsupported: ") + e.what());
        ++other;
        std::cout << "[" << (i + 1) << "/" << t.rows.size() << "] " << id << ": unsupported: " << e.what() << "\n";
      }
      std::cout.flush();
      rows.push_back(row);
    }
    std::string table;
    for (const auto& c : t.comments) table += c + "\n";
    table += "# captured on " + prov.gpu + "; driver " + prov.driver + "; " + prov.cuda + "; " + prov.cublas + "\n";
    table += capture::join_commas(t.header) + "\n";
    for (const auto& r : rows) table += capture::join_commas(r) + "\n";
    capture::write_file(out + "/capture.csv", table);
    cublasLtDestroy(lt);
    std::cout << "capture_gemm: " << ok << " ok, " << other << " not ok, of " << t.rows.size() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "capture_gemm: FAILED: " << e.what() << "\n";
    return 1;
  }
}

#!/usr/bin/env bash
# run_capture.sh -- ONE command on a Hopper GPU machine (H100/H200, CUDA + nvcc; PyTorch optional;
# no network): builds the kit, runs the golden GEMM plan through cuBLASLt, probes the raw tensor
# core with wgmma, and writes everything into OUT. Every step has a `timeout` guard; the whole run
# takes about 2 minutes (builds ~60 s, capture ~20 s, probe ~5 s).
#
#   bash traces/capture/run_capture.sh [PLAN_DIR] [OUT_DIR]
#   defaults: PLAN_DIR = traces/capture/plan, OUT_DIR = $OUT if set (see traces/capture/README.md)
#
# OUT/gemm/          golden GEMM folder: capture.csv (results + provenance), results/, operands/
# OUT/wgmma_probe.csv   golden MMA CSV rows (docs/hardware-facts.md, Golden data format),
#                       for `tcsim verify`
# OUT/torch/         the same plan through torch._scaled_mm, when PyTorch is installed
# OUT/capture.log, OUT/cublaslt.log (cuBLASLt API log with the chosen algorithm), OUT/nvidia-smi.txt
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
plan="${1:-$here/plan}"
out="${2:-${OUT:?give OUT_DIR or set OUT}}"
arch="${CAPTURE_ARCH:-90a}"   # 100a for Blackwell (the wgmma probe is Hopper-only)
mkdir -p "$out/gemm" "$out/build"
exec > >(tee -a "$out/capture.log") 2>&1
step() { echo "== $(date +%T) $*"; }
status=0

step "GPU"
timeout 30 nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || echo "nvidia-smi failed"
export CAPTURE_DRIVER="$(timeout 30 nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -1)"
head -15 "$out/nvidia-smi.txt"; nvcc --version | tail -2

# cuBLASLt from the CUDA toolkit, or else from PyTorch's nvidia-cublas wheel.
extra=()
if ! echo '#include <cublasLt.h>' | nvcc -x cu -E - >/dev/null 2>&1; then
  cub="$(python3 -c 'import nvidia.cublas, os; print(os.path.dirname(nvidia.cublas.__file__))' 2>/dev/null)"
  [ -n "$cub" ] && extra=(-I"$cub/include" -L"$cub/lib" -Xlinker -rpath -Xlinker "$cub/lib")
  [ -n "$cub" ] && [ ! -e "$cub/lib/libcublasLt.so" ] && ln -sf "$(ls "$cub"/lib/libcublasLt.so.* | head -1)" "$out/build/libcublasLt.so" && extra+=(-L"$out/build")
  echo "cuBLASLt from $cub"
fi

step "build (nvcc, sm_$arch)"
gen=(-gencode "arch=compute_$arch,code=sm_$arch")
timeout 300 nvcc -std=c++17 -O2 "${gen[@]}" "${extra[@]}" "$here/capture_gemm.cu" -lcublasLt \
  -o "$out/build/capture_gemm" & pg=$!
pw=""
if [ "$arch" = 90a ]; then
  timeout 300 nvcc -std=c++17 -O2 "${gen[@]}" "$here/wgmma_probe.cu" -o "$out/build/wgmma_probe" & pw=$!
fi
wait $pg || { echo "BUILD FAILED: capture_gemm"; status=1; }
[ -n "$pw" ] && { wait $pw || { echo "BUILD FAILED: wgmma_probe"; status=1; }; }

if [ -x "$out/build/capture_gemm" ]; then
  step "cuBLASLt capture of $plan"
  CUBLASLT_LOG_LEVEL=2 CUBLASLT_LOG_FILE="$out/cublaslt.log" \
    timeout 240 "$out/build/capture_gemm" "$plan" "$out/gemm" || { echo "CAPTURE FAILED"; status=1; }
  cp -r "$plan/operands" "$out/gemm/" 2>/dev/null
fi
if [ -x "$out/build/wgmma_probe" ]; then
  step "wgmma probe"
  timeout 120 "$out/build/wgmma_probe" "$out/wgmma_probe.csv" || { echo "PROBE FAILED"; status=1; }
fi
if timeout 60 python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  step "torch._scaled_mm alternative"
  timeout 240 python3 "$here/torch_scaled_mm.py" "$plan" "$out/torch" || echo "torch run failed (optional)"
fi
rm -rf "$out/build"
step "done (status $status)"; du -sh "$out"/* 2>/dev/null
exit $status

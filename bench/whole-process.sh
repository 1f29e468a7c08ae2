#!/usr/bin/env bash
# Whole-process speed of `tcsim gemm` (JVM start, data generation, the GEMM, the accuracy sample),
# as a user sees it: one run per GPU x recipe at each size, 2 threads, wall-clock seconds, and the
# GEMM's own G multiply-adds/s as the command prints it. The H100 per-tensor run at each size is the
# reference the last column's ratio is taken against, measured in the same run.
# Usage: bench/whole-process.sh [SIZE...]   (default: 256 1024 2048 4096)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tcsim="$here/tcsim"
"$tcsim" --version >/dev/null   # build the jar and the class-data-sharing archive first

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(256 1024 2048 4096)
paths=("h100 tensor" "h100 rowwise" "h100 block" "b200 tensor" "b200 mxfp8" "b200 nvfp4"
    "b200 mxfp4 --library cutlass" "l40s tensor" "h100 tensor --out-dtype bf16"
    "b200 mxfp8 --out-dtype e4m3")

printf '| size | GPU | recipe | options | whole process, s | GEMM, G MAC/s | GEMM speed / h100 tensor |\n'
printf '|---|---|---|---|---|---|---|\n'
for s in "${sizes[@]}"; do
  ref=""
  for p in "${paths[@]}"; do
    read -r gpu recipe opts <<<"$p"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086  # opts is a list of words
    line=$("$tcsim" gemm --gpu "$gpu" --scaling "$recipe" --m "$s" --n "$s" --k "$s" --threads 2 \
        --quiet ${opts:-} | grep '^kernel ')
    end=$(date +%s.%N)
    wall=$(echo "$end - $start" | bc -l)
    gmac=$(awk '{for (i = 2; i <= NF; i++) if ($i ~ /^GMAC/) print $(i - 1)}' <<<"$line")
    [ -n "$ref" ] || ref=$gmac
    printf '| %s | %s | %s | %s | %.2f | %s | %.2f |\n' "$s" "$gpu" "$recipe" "${opts:-}" "$wall" \
        "$gmac" "$(echo "$gmac / $ref" | bc -l)"
  done
done

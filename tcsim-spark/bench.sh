#!/usr/bin/env bash
# Scaling benchmark of the Spark replay (README, "Scale-out on Apache Spark"): one trace of
# Llama-3-70B-like GEMMs (K = 8192 and 28672 as in the model, M and N cut down so that a run
# takes seconds) replayed locally on 1 and 2 threads and on Spark local[1] and local[2], then a
# projection of the full 70B forward pass from the measured per-unit costs.
# Usage: tcsim-spark/bench.sh [CORES_PER_EXECUTOR]   (results in tcsim-spark/target/bench/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cores="${1:-16}"
(cd "$here" && mvn -q -B -DskipTests package -pl tcsim-spark -am)
out="$here/tcsim-spark/target/bench"
mkdir -p "$out"
cat > "$out/llama3_70b_cut.csv" <<'CSV'
# Llama-3-70B projections (config.json: hidden 8192, intermediate 28672) with K as in the model
# and M = 512 tokens, N = 128 outputs: the cost per multiply-add depends on K, not on M or N.
name,gpu,m,n,k,groups,a_format,b_format,a_layout,b_layout,scaling,out_format,fast_accum,seed,source
q_proj_cut,h100,512,128,8192,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,1,bench
gate_proj_cut,h100,512,128,8192,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,2,bench
down_proj_cut,h100,512,128,28672,1,e4m3,e4m3,row,col,SCALAR_32F,bf16,false,3,bench
CSV
opens="-XX:+IgnoreUnrecognizedVMOptions -Dio.netty.tryReflectionSetAccessible=true"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
    java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
    sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
quiet="$here/tcsim-spark/src/main/resources/org/tcsim/spark/log4j2-quiet.properties"
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx4g $opens -Dlog4j2.configurationFile="$quiet" \
      -cp "$here/tcsim-spark/target/tcsim-spark.jar:$(cat "$here/tcsim-spark/target/spark-classpath.txt")" \
      org.tcsim.spark.SparkBench "$out/llama3_70b_cut.csv" 128 "$cores"
} 2>&1 | tee "$out/results.txt"

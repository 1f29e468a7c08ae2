#!/usr/bin/env python3
"""Larger FP8 GEMMs through torch._scaled_mm, written as a golden GEMM folder with the algorithm
cuBLASLt chose for each (its API log: tile, split-K, cluster).

    python3 torch_gemms.py OUT_DIR

The capture plan's GEMMs are small (16x16 to 64x64) so that every hypothesis shows in a few
elements; these are the sizes kernels run, where cuBLASLt picks other tiles and split-K. Operands
are torch.randn * 4 in E4M3 from a seeded generator (three operand sets, each shared by several
cases); row-wise scales are 2^u * (1 + v), u uniform in -3..3, v in [0, 1). Writes
OUT_DIR/capture.csv, OUT_DIR/operands/*.hex and OUT_DIR/results/*.hex in the golden GEMM format
(traces/capture/README.md).
"""
import hashlib, os, struct, sys

LOG = os.environ.setdefault("CUBLASLT_LOG_FILE", "/tmp/torch_gemms.cublaslt.log")
os.environ.setdefault("CUBLASLT_LOG_LEVEL", "2")

import torch

from capture_common import VIEW, hex_text, last_algorithm, log_size

COLUMNS = ("id,purpose,m,n,k,a_format,b_format,c_format,d_format,transa,transb,lda,ldb,ldc,ldd,"
           "scale_mode,scale_a,scale_b,scale_d,alpha,beta,bias,fast_accum,a_gen,b_gen,c_gen,"
           "scale_a_gen,scale_b_gen,a_file,a_sha256,b_file,b_sha256,c_file,c_sha256,scale_a_file,"
           "scale_a_sha256,scale_b_file,scale_b_sha256,d_file,d_sha256,status,gpu,driver,cuda,"
           "cublas,algo_id,tile,stages,splitk,reduction_scheme,swizzle,custom_option,"
           "cluster_shape,library_call").split(",")
DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "e4m3": torch.float8_e4m3fn}
DIGITS = {"fp32": 8, "bf16": 4, "e4m3": 2}

# (name, m, n, k, seed)
SETS = (("s64x128x4096", 64, 128, 4096, 11), ("s512x256x1024", 512, 256, 1024, 12),
        ("s32x64x8192", 32, 64, 8192, 13))
# (suffix, scale mode, fast accumulation, D format, per-tensor scales)
CASES = (("tensor_fa0_fp32", "SCALAR_32F", 0, "fp32", (0.75, 1.5)),
         ("tensor_fa1_fp32", "SCALAR_32F", 1, "fp32", (0.75, 1.5)),
         ("tensor_fa0_bf16", "SCALAR_32F", 0, "bf16", (1.0, 1.0)),
         ("tensor_fa1_e4m3", "SCALAR_32F", 1, "e4m3", (0.0625, 0.5)),
         ("row_fp32", "OUTER_VEC_32F", 0, "fp32", None),
         ("row_fa1_bf16", "OUTER_VEC_32F", 1, "bf16", None))


def f32hex(x):
    return "%08x" % struct.unpack("<I", struct.pack("<f", float(x)))[0]


def write(out, rel, text):
    with open(os.path.join(out, rel), "w") as f:
        f.write(text)
    return hashlib.sha256(text.encode()).hexdigest()


def main(out):
    os.makedirs(os.path.join(out, "operands"), exist_ok=True)
    os.makedirs(os.path.join(out, "results"), exist_ok=True)
    gpu = torch.cuda.get_device_name(0).replace(",", " ")
    rows = []
    for name, m, n, k, seed in SETS:
        g = torch.Generator(device="cuda").manual_seed(seed)
        a = (torch.randn(m, k, device="cuda", generator=g) * 4).to(torch.float8_e4m3fn)
        b = (torch.randn(n, k, device="cuda", generator=g) * 4).to(torch.float8_e4m3fn)
        ra = torch.exp2(torch.randint(-3, 4, (m, 1), device="cuda", generator=g).float()) \
            * (1 + torch.rand(m, 1, device="cuda", generator=g))
        rb = torch.exp2(torch.randint(-3, 4, (1, n), device="cuda", generator=g).float()) \
            * (1 + torch.rand(1, n, device="cuda", generator=g))
        files = {"a": (f"operands/{name}.a.hex", write(out, f"operands/{name}.a.hex", hex_text(a.view(torch.uint8), 2))),
                 "b": (f"operands/{name}.b.hex", write(out, f"operands/{name}.b.hex", hex_text(b.view(torch.uint8), 2))),
                 "scale_a": (f"operands/{name}.scale_a.hex", write(out, f"operands/{name}.scale_a.hex", hex_text(ra.view(torch.int32), 8))),
                 "scale_b": (f"operands/{name}.scale_b.hex", write(out, f"operands/{name}.scale_b.hex", hex_text(rb.t().contiguous().view(torch.int32), 8)))}
        for suffix, mode, fast, dfmt, scales in CASES:
            cid = f"{name}_{suffix}"
            row = dict.fromkeys(COLUMNS, "-")
            row.update(id=cid, purpose=f"{m}x{n}x{k} {mode} fast_accum={fast} -> {dfmt} at a kernel's size",
                       m=str(m), n=str(n), k=str(k), a_format="e4m3", b_format="e4m3",
                       c_format="bf16" if dfmt == "e4m3" else dfmt, d_format=dfmt, transa="T",
                       transb="N", lda=str(k), ldb=str(k), ldc=str(m), ldd=str(m), scale_mode=mode,
                       scale_d=f32hex(1.0), alpha=f32hex(1.0), beta=f32hex(0.0), bias="none",
                       fast_accum=str(fast), gpu=gpu,
                       driver=os.environ.get("CAPTURE_DRIVER", "-") or "-",
                       cuda="torch cuda " + str(torch.version.cuda), cublas="torch " + torch.__version__,
                       library_call="torch._scaled_mm")
            row["a_file"], row["a_sha256"] = files["a"]
            row["b_file"], row["b_sha256"] = files["b"]
            if mode == "SCALAR_32F":
                sa = torch.tensor(scales[0], device="cuda")
                sb = torch.tensor(scales[1], device="cuda")
                row["scale_a"], row["scale_b"] = f32hex(scales[0]), f32hex(scales[1])
            else:
                sa, sb = ra, rb
                row["scale_a_file"], row["scale_a_sha256"] = files["scale_a"]
                row["scale_b_file"], row["scale_b_sha256"] = files["scale_b"]
            before = log_size(LOG)
            try:
                d = torch._scaled_mm(a, b.t(), sa, sb, out_dtype=DTYPES[dfmt], use_fast_accum=bool(fast))
                torch.cuda.synchronize()
                d2 = torch._scaled_mm(a, b.t(), sa, sb, out_dtype=DTYPES[dfmt], use_fast_accum=bool(fast))
                same = torch.equal(d.view(VIEW[DIGITS[dfmt]]), d2.view(VIEW[DIGITS[dfmt]]))
                row["d_file"] = f"results/{cid}.d.hex"
                row["d_sha256"] = write(out, row["d_file"], hex_text(d.view(VIEW[DIGITS[dfmt]]), DIGITS[dfmt]))
                row["status"] = "ok" if same else "nondeterministic (two runs differ)"
                algo = last_algorithm(LOG, before)
                algo.pop("d", None)
                row.update(algo)
            except Exception as e:  # recorded; the run goes on
                row["status"] = ("unsupported: " + str(e).splitlines()[0]).replace(",", ";")[:200]
            rows.append(",".join(row[c] for c in COLUMNS))
            print(cid, row["status"], row["tile"], "splitK", row["splitk"], row["cluster_shape"], flush=True)
    with open(os.path.join(out, "capture.csv"), "w") as f:
        f.write(f"# FP8 GEMMs of kernel sizes through torch._scaled_mm on {gpu} (torch {torch.__version__}),\n")
        f.write("# written by traces/capture/torch_gemms.py; the algorithm columns come from cuBLASLt's API log.\n")
        f.write("# operands: torch.randn * 4 in E4M3 from torch.Generator seeds " + ", ".join(
            f"{s[4]} ({s[0]})" for s in SETS) + "; row-wise scales 2^u * (1 + v) from the same generator\n")
        f.write("# layout: A is M lines of K codes; B is N lines of K codes (column j of B); D is M lines of N codes;"
                " scale vectors one FP32 code per line\n")
        f.write(",".join(COLUMNS) + "\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])

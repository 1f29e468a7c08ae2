#!/usr/bin/env python3
"""Measure FP8 GEMM throughputs through torch._scaled_mm, as rows `tcsim time --validate` reads.

    python3 time_scaled_mm.py OUT_DIR [SECONDS]

Writes OUT_DIR/measured.csv (columns gpu,recipe,kernel,groups,m,n,k,tflops,source,tile, the machine
parameter power_limit_w as the driver enforces it, then descriptive columns: the median time, the SM
clock and board power read just after the shape ran, the data) and OUT_DIR/block_numerics/, a few
1x128 x 128x128 block-scaled GEMMs with their operands, scales and D as hex files (one matrix row per
line), to check tcsim's block recipe bit for bit. SECONDS (default 150) bounds the timing sweep:
shapes left when it runs out are skipped, and the file says so.

Timing: each shape is warmed up, then run 20 times under PyTorch's profiler; before each run a
256 MiB buffer is read (TIME_FLUSH=write: zeroed, as triton's do_bench does) so that L2 holds none
of the operands. The time is the GPU kernel time per call (every kernel of the call, the flush's
left out), as torchao's benchmarks/float8 harness reports it; event_us is the median of CUDA events
around the call, launch gaps included. TFLOPS = 2*M*N*K / kernel time. The cuBLASLt API log
(CUBLASLT_LOG_LEVEL=2) gives the algorithm cuBLASLt chose: its tile and cluster in cuBLASLt's
column-major view, where PyTorch's D = A B is computed as D^T = B^T A^T (cublaslt_d is N x M).
Recipes: tensor = per-tensor FP32 scales (cuBLASLt), rowwise = (M,1) x (1,N) FP32 scales, block =
1x128 activations x 128x128 weights FP32 scales; E4M3 operands, BF16 output. Which kernel PyTorch
calls for each is PyTorch's choice, named in the kernel column only by the recipe.
"""
import os, statistics, sys, time

# cuBLASLt's API log names the algorithm (tile, cluster, split-K) of every call; it must be set
# before PyTorch loads cuBLASLt.
LOG = os.environ.setdefault("CUBLASLT_LOG_FILE", "/tmp/time_scaled_mm.cublaslt.log")
os.environ.setdefault("CUBLASLT_LOG_LEVEL", "2")

import torch

from capture_common import hex_text, last_algorithm, log_size

GPU_LABELS = (("H200", "h200"), ("H800", "h800"), ("H100", "h100"), ("B200", "b200"),
              ("L40S", "l40s"), ("A100", "a100"))


def gpu_label(name):
    for key, label in GPU_LABELS:
        if key in name:
            return label + ("-pcie" if label == "h100" and "PCIe" in name else "")
    return name.lower().replace(" ", "-")


class Nvml:
    """SM clock and board power, read through NVML when it is there."""

    def __init__(self):
        try:
            import pynvml
            pynvml.nvmlInit()
            self.nv = pynvml
            self.h = pynvml.nvmlDeviceGetHandleByIndex(torch.cuda.current_device())
        except Exception as e:  # the sweep still runs without the readings
            print("NVML unavailable:", e, flush=True)
            self.nv = None

    def clock_mhz(self):
        return self.nv.nvmlDeviceGetClockInfo(self.h, self.nv.NVML_CLOCK_SM) if self.nv else -1

    def power_w(self):
        return self.nv.nvmlDeviceGetPowerUsage(self.h) / 1000.0 if self.nv else -1

    def limit_w(self):
        return self.nv.nvmlDeviceGetEnforcedPowerLimit(self.h) / 1000.0 if self.nv else -1


FLUSH = None
FLUSH_MODE = os.environ.get("TIME_FLUSH", "read")


def flush():
    """Evict the operands from L2: 'read' reads a 256 MiB buffer (L2 is left holding clean lines,
    nothing to write back while the GEMM runs); 'write' zeroes it, as triton's do_bench does (L2
    is left full of dirty lines, written back to HBM while the GEMM reads)."""
    if FLUSH_MODE == "write":
        FLUSH.zero_()
    else:
        FLUSH.sum(dtype=torch.int32)


def bench_ms(fn, budget_ms=100.0):
    global FLUSH
    if FLUSH is None:
        FLUSH = torch.ones(256 << 20, dtype=torch.int8, device="cuda")
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    fn()
    torch.cuda.synchronize()
    one = max((time.perf_counter() - t0) * 1e3, 1e-3)
    reps = int(min(max(budget_ms / one, 5), 200))
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    ends = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    for s, e in zip(starts, ends):
        flush()
        s.record()
        fn()
        e.record()
    torch.cuda.synchronize()
    return statistics.median(s.elapsed_time(e) for s, e in zip(starts, ends))


FLUSH_KERNELS = None  # names of the kernels flush() launches, learnt once


def kernel_us(fn, reps=20):
    """The GEMM's GPU kernel time per call from PyTorch's profiler (CUPTI): every kernel the call
    launches (a split-K reduction included), without launch gaps or event overheads; the flush
    kernels between calls are left out by name."""
    global FLUSH_KERNELS
    from torch.profiler import profile, ProfilerActivity
    if FLUSH_KERNELS is None:
        with profile(activities=[ProfilerActivity.CUDA]) as p:
            flush()
            torch.cuda.synchronize()
        FLUSH_KERNELS = {e.key for e in p.key_averages() if e.device_type.name == "CUDA"}
    with profile(activities=[ProfilerActivity.CUDA]) as p:
        for _ in range(reps):
            flush()
            fn()
        torch.cuda.synchronize()
    total = 0.0
    for e in p.key_averages():
        if e.device_type.name == "CUDA" and e.key not in FLUSH_KERNELS:
            total += getattr(e, "device_time_total", None) or e.cuda_time_total
    return total / reps


def operands(m, n, k, data):
    if data == "zeros":
        a = torch.zeros(m, k, device="cuda")
        b = torch.zeros(n, k, device="cuda")
    else:
        a = torch.randn(m, k, device="cuda")
        b = torch.randn(n, k, device="cuda")
    return a.to(torch.float8_e4m3fn), b.to(torch.float8_e4m3fn).t()  # B: K x N, column-major


BLOCK_LAYOUT = None  # the first scale layout _scaled_mm accepts for 1x128 x 128x128


def block_scales(m, n, k, sa_vals=None, sb_vals=None):
    """Candidate (scale_a, scale_b) tensors for 1x128 activations x 128x128 weights, in the layouts
    different PyTorch versions ask for: A's (M, K/128) outer-dim-major, B's (K/128, N/128) either way."""
    kb, nb = (k + 127) // 128, (n + 127) // 128
    sa = sa_vals if sa_vals is not None else torch.ones(m, kb, device="cuda")
    sb = sb_vals if sb_vals is not None else torch.ones(kb, nb, device="cuda")
    sa_col = sa.t().contiguous().t()
    return {"sa_colmajor+sb_rowmajor": (sa_col, sb.contiguous()),
            "sa_colmajor+sb_colmajor": (sa_col, sb.t().contiguous().t()),
            "sa_rowmajor+sb_rowmajor": (sa.contiguous(), sb.contiguous())}


def gemm_fn(recipe, a, b, fast, data_scales=None):
    m, k = a.shape
    n = b.shape[1]
    if recipe == "tensor":
        one = torch.tensor(1.0, device="cuda")
        return lambda: torch._scaled_mm(a, b, one, one, out_dtype=torch.bfloat16, use_fast_accum=fast)
    if recipe == "rowwise":
        sa = torch.ones(m, 1, device="cuda")
        sb = torch.ones(1, n, device="cuda")
        return lambda: torch._scaled_mm(a, b, sa, sb, out_dtype=torch.bfloat16, use_fast_accum=fast)
    global BLOCK_LAYOUT
    cands = block_scales(m, n, k)
    order = [BLOCK_LAYOUT] if BLOCK_LAYOUT else list(cands)
    errors = []
    for name in order:
        sa, sb = cands[name]
        try:
            torch._scaled_mm(a, b, sa, sb, out_dtype=torch.bfloat16)
            BLOCK_LAYOUT = name
            return lambda: torch._scaled_mm(a, b, sa, sb, out_dtype=torch.bfloat16)
        except Exception as e:
            errors.append(name + ": " + str(e).splitlines()[0][:160])
    raise RuntimeError("; ".join(errors))


def shapes():
    """(recipe, m, n, k, fast_accum, data) in the order they are worth measuring."""
    out = []
    for s in (1024, 2048, 4096, 8192):
        for r in ("tensor", "rowwise", "block"):
            out.append((r, s, s, s, True, "randn"))
        out.append(("tensor", s, s, s, False, "randn"))
    # vLLM's small-M sweeps (H100: N=12288 K=5376; B200: N=8192 K=2048), for the same shapes here
    for n, k in ((12288, 5376), (8192, 2048)):
        for m in (1, 16, 64, 128, 256, 512, 1024, 4096):
            for r in ("tensor", "rowwise", "block"):
                out.append((r, m, n, k, True, "randn"))
    # DeepGEMM's dense shapes (its README), M = 64, 128 and 4096
    for n, k in ((2112, 7168), (24576, 1536), (32768, 512), (7168, 16384), (4096, 7168), (7168, 2048)):
        for m in (64, 128, 4096):
            for r in ("block", "tensor"):
                out.append((r, m, n, k, True, "randn"))
    out.append(("tensor", 16384, 16384, 16384, True, "randn"))
    out.append(("tensor", 8192, 8192, 8192, True, "zeros"))
    out.append(("tensor", 8192, 8192, 8192, True, "randn"))
    return out


def write_hex(path, t, digits):
    with open(path, "w") as f:
        f.write(hex_text(t, digits))


def block_numerics(out):
    """Block-scaled GEMMs with non-trivial scales, D in BF16 (and FP32 where accepted), for replay."""
    folder = os.path.join(out, "block_numerics")
    os.makedirs(folder, exist_ok=True)
    g = torch.Generator(device="cuda").manual_seed(20261130)
    lines = ["id,m,n,k,out,layout,status,max_rel_err_vs_fp64"]
    for cid, (m, n, k) in enumerate(((128, 256, 1024), (128, 256, 4096), (64, 128, 640))):
        a = (torch.randn(m, k, device="cuda", generator=g) * 8).to(torch.float8_e4m3fn)
        b = (torch.randn(n, k, device="cuda", generator=g) * 8).to(torch.float8_e4m3fn)
        kb, nb = (k + 127) // 128, (n + 127) // 128
        # scales: powers of two times a non-trivial mantissa, so the epilogue's rounding shows
        sa = torch.exp2(torch.randint(-6, 3, (m, kb), device="cuda", generator=g).float()) \
            * (1 + torch.rand(m, kb, device="cuda", generator=g))
        sb = torch.exp2(torch.randint(-6, 3, (kb, nb), device="cuda", generator=g).float()) \
            * (1 + torch.rand(kb, nb, device="cuda", generator=g))
        write_hex(os.path.join(folder, f"c{cid}.a.hex"), a.view(torch.uint8), 2)
        write_hex(os.path.join(folder, f"c{cid}.b.hex"), b.view(torch.uint8), 2)
        write_hex(os.path.join(folder, f"c{cid}.scale_a.hex"), sa.view(torch.int32), 8)
        write_hex(os.path.join(folder, f"c{cid}.scale_b.hex"), sb.view(torch.int32), 8)
        # exact-ish reference in float64: sum over K blocks of sa[i,kb] * sb[kb,j/128] * (A_kb B_kb)
        a64, b64 = a.double(), b.double()
        ref = torch.zeros(m, n, dtype=torch.float64, device="cuda")
        for q in range(kb):
            part = a64[:, q * 128:(q + 1) * 128] @ b64[:, q * 128:(q + 1) * 128].t()
            ref += part * sa[:, q:q + 1].double() * sb[q].double().repeat_interleave(128)[:n].view(1, n)
        for od, name, digits in ((torch.bfloat16, "bf16", 4), (torch.float32, "fp32", 8)):
            for layout, (sa_t, sb_t) in block_scales(m, n, k, sa, sb).items():
                try:
                    d = torch._scaled_mm(a, b.t(), sa_t, sb_t, out_dtype=od)
                except Exception as e:
                    lines.append(f"c{cid},{m},{n},{k},{name},{layout},refused: "
                                 + str(e).splitlines()[0][:120].replace(",", ";") + ",-")
                    continue
                err = ((d.double() - ref).abs() / ref.abs().clamp_min(1e-30)).max().item()
                write_hex(os.path.join(folder, f"c{cid}.{name}.{layout}.d.hex"),
                          d.view(torch.int16 if digits == 4 else torch.int32), digits)
                lines.append(f"c{cid},{m},{n},{k},{name},{layout},ok,{err:.3e}")
    with open(os.path.join(folder, "cases.csv"), "w") as f:
        f.write("# E4M3 A (M x K) and B (N x K: line j is column j of B); scale_a M x K/128 (row i, K block q);\n")
        f.write("# scale_b K/128 x N/128 (K block q, N block); D = sum_q scale_a[i][q] * scale_b[q][j/128] * A_q B_q\n")
        f.write(f"# torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}\n")
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines), flush=True)


def main(out, seconds):
    os.makedirs(out, exist_ok=True)
    name = torch.cuda.get_device_name(0)
    label = gpu_label(name)
    nv = Nvml()
    limit = nv.limit_w()
    source = (f"traces/capture/time_scaled_mm.py on one {name} (torch {torch.__version__} CUDA "
              f"{torch.version.cuda}; {time.strftime('%Y-%m-%d')})").replace(",", ";")
    try:
        block_numerics(out)
    except Exception as e:
        print("block numerics failed:", e, flush=True)
    header = ("gpu,recipe,kernel,groups,m,n,k,tflops,source,tile,power_limit_w,kernel_us,sm_clock_mhz,"
              "power_w,data,flush,event_us,cublaslt_tile,cublaslt_cluster,cublaslt_splitk,cublaslt_d")
    path = os.path.join(out, "measured.csv")
    deadline = time.time() + seconds
    # about a second of large BF16 products first, so that the sweep starts at the loaded clock
    x = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    t0 = time.time()
    while time.time() - t0 < 1.0:
        x @ x
        torch.cuda.synchronize()
    del x
    with open(path, "w") as f:
        f.write(f"# FP8 GEMM throughputs measured through torch._scaled_mm on one {name}, "
                f"driver-enforced power limit {limit:.0f} W.\n")
        f.write(header + "\n")
        todo = shapes()
        for i, (recipe, m, n, k, fast, data) in enumerate(todo):
            if time.time() > deadline:
                f.write(f"# time ran out: {len(todo) - i} shapes not measured\n")
                break
            try:
                a, b = operands(m, n, k, data)
                fn = gemm_fn(recipe, a, b, fast)
                before = log_size(LOG)
                event_ms = bench_ms(fn)
                algo = last_algorithm(LOG, before)
                try:
                    ms = kernel_us(fn) / 1e3
                except Exception as e:  # no profiler: the CUDA-event time stands
                    print("profiler:", str(e).splitlines()[0][:160], flush=True)
                    ms = event_ms
                clock, power = nv.clock_mhz(), nv.power_w()
            except Exception as e:
                print(f"{recipe} {m}x{n}x{k}: {str(e).splitlines()[0][:200]}", flush=True)
                f.write(f"# {recipe} {m}x{n}x{k} fast_accum={int(fast)}: not measured ("
                        + str(e).splitlines()[0][:160].replace(",", ";") + ")\n")
                continue
            finally:
                torch.cuda.empty_cache()
            tflops = 2.0 * m * n * k / (ms * 1e-3) / 1e12
            kernel = f"torch._scaled_mm {recipe} E4M3 BF16-out fast_accum={int(fast)}"
            if recipe == "block":
                kernel = f"torch._scaled_mm block 1x128+128x128 E4M3 BF16-out ({BLOCK_LAYOUT})"
            f.write(f"{label},{recipe},{kernel},1,{m},{n},{k},{tflops:.2f},{source},,{limit:.0f},"
                    f"{ms * 1e3:.2f},{clock},{power:.0f},{data},{FLUSH_MODE},{event_ms * 1e3:.2f},{algo.get('tile', '-')},"
                    f"{algo.get('cluster_shape', '-')},{algo.get('splitk', '-')},{algo.get('d', '-')}\n")
            f.flush()
            print(f"{recipe:8s} {m:6d} {n:6d} {k:6d} fast={int(fast)} {data:5s} {ms * 1e3:10.2f} us "
                  f"{tflops:8.1f} TFLOPS  {clock} MHz {power:.0f} W  {algo.get('tile')} {algo.get('cluster_shape')} {algo.get('splitk')}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 150.0)

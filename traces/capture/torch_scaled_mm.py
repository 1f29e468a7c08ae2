#!/usr/bin/env python3
"""The golden GEMM plan through torch._scaled_mm (the alternative to capture_gemm.cu).

    python3 torch_scaled_mm.py PLAN_DIR OUT_DIR

Writes OUT_DIR/capture.csv and OUT_DIR/results/*.d.hex in the golden GEMM format. _scaled_mm has
no alpha, beta or C, so those cases are recorded as 'unsupported'. Row-wise scales use the (M,1)
and (1,N) FP32 scale tensors; which backend PyTorch picks (cuBLASLt or CUTLASS) is its own choice,
so library_call says _scaled_mm and the algorithm columns stay '-'.
"""
import hashlib, os, struct, sys

import torch

DTYPES = {"e4m3": torch.float8_e4m3fn, "e5m2": torch.float8_e5m2, "bf16": torch.bfloat16,
          "fp16": torch.float16, "fp32": torch.float32}
DIGITS = {"e4m3": 2, "e5m2": 2, "bf16": 4, "fp16": 4, "fp32": 8}
INT_VIEW = {1: torch.uint8, 2: torch.int16, 4: torch.int32}


def load(plan, row, what, rows, cols):
    data = open(os.path.join(plan, row[what + "_file"]), "rb").read()
    if hashlib.sha256(data).hexdigest() != row[what + "_sha256"]:
        raise ValueError(f"{row[what + '_file']}: corrupted (SHA-256 differs)")
    codes = [int(x, 16) for x in data.decode().split()]
    assert len(codes) == rows * cols
    return codes


def f32(hexbits):
    return struct.unpack("<f", bytes.fromhex(hexbits)[::-1])[0]


def main(plan, out):
    lines = open(os.path.join(plan, "capture.csv")).read().splitlines()
    comments = [l for l in lines if l.startswith("#")]
    body = [l for l in lines if l and not l.startswith("#")]
    header = body[0].split(",")
    os.makedirs(os.path.join(out, "results"), exist_ok=True)
    gpu = torch.cuda.get_device_name(0).replace(",", " ")
    prov = {"gpu": gpu, "driver": os.environ.get("CAPTURE_DRIVER", "?") or "?",
            "cuda": "torch cuda " + str(torch.version.cuda), "cublas": "torch " + torch.__version__}
    rows_out = []
    for line in body[1:]:
        row = dict(zip(header, line.split(",")))
        row.update(prov)
        m, n, k = int(row["m"]), int(row["n"]), int(row["k"])
        try:
            if f32(row["alpha"]) != 1.0 or f32(row["beta"]) != 0.0:
                raise NotImplementedError("_scaled_mm has no alpha/beta/C")
            a = torch.tensor(load(plan, row, "a", m, k), dtype=torch.uint8).view(m, k)
            b = torch.tensor(load(plan, row, "b", n, k), dtype=torch.uint8).view(n, k)
            a = a.view(DTYPES[row["a_format"]]).cuda()
            b = b.view(DTYPES[row["b_format"]]).cuda().t()  # K x N, column-major
            if row["scale_mode"] == "SCALAR_32F":
                sa = torch.tensor(f32(row["scale_a"]), device="cuda")
                sb = torch.tensor(f32(row["scale_b"]), device="cuda")
            else:
                sa = torch.tensor([f32("%08x" % c) for c in load(plan, row, "scale_a", m, 1)],
                                  device="cuda").view(m, 1)
                sb = torch.tensor([f32("%08x" % c) for c in load(plan, row, "scale_b", n, 1)],
                                  device="cuda").view(1, n)
            df = row["d_format"]
            kw = {}
            if df in ("e4m3", "e5m2"):
                kw["scale_result"] = torch.tensor(f32(row["scale_d"]), device="cuda")
            d = torch._scaled_mm(a, b, sa, sb, out_dtype=DTYPES[df],
                                 use_fast_accum=row["fast_accum"] == "1", **kw)
            width = DIGITS[df] // 2
            codes = d.contiguous().view(INT_VIEW[width]).cpu().flatten().tolist()
            mask = (1 << (8 * width)) - 1
            text = "".join(" ".join("%0*x" % (DIGITS[df], codes[r * n + c] & mask) for c in range(n))
                           + "\n" for r in range(m))
            with open(os.path.join(out, row["d_file"]), "w") as f:
                f.write(text)
            row["d_sha256"] = hashlib.sha256(text.encode()).hexdigest()
            row["status"] = "ok"
            row["library_call"] = "torch._scaled_mm"
        except Exception as e:  # recorded per case; the run goes on
            row["d_sha256"] = "-"
            row["status"] = ("unsupported: " + str(e)).replace(",", " ").replace("\n", " ")[:200]
        rows_out.append(",".join(row[h] for h in header))
        print(row["id"], row["status"], flush=True)
    with open(os.path.join(out, "capture.csv"), "w") as f:
        f.write("\n".join(comments + ["# captured through torch._scaled_mm on " + gpu, ",".join(header)]
                          + rows_out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

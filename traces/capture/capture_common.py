"""Helpers shared by the kit's PyTorch scripts (time_scaled_mm.py, torch_gemms.py): reading the
algorithm cuBLASLt chose from its API log (CUBLASLT_LOG_LEVEL=2), and writing tensors as the kit's
hex files (one matrix row per line, fixed-width lower-case codes)."""
import os, re

import torch

VIEW = {2: torch.uint8, 4: torch.int16, 8: torch.int32}


def log_size(path):
    """The log's size in bytes now (0 before cuBLASLt has written it): the offset to read from."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def last_algorithm(path, offset):
    """The algorithm of the last cublasLtMatmul call logged after byte offset, as the golden GEMM
    format's provenance columns (algo_id, tile, stages, splitk, reduction_scheme, custom_option,
    cluster_shape; '-' where the log says nothing, splitk '1') plus d, cuBLASLt's D shape ROWSxCOLS;
    empty when no call was logged (not a cuBLASLt call)."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            text = f.read().decode(errors="replace")
    except OSError:
        return {}
    calls = [l for l in text.splitlines() if "[cublasLtMatmul]" in l and "algo=[" in l]
    if not calls:
        return {}
    line = calls[-1]

    def field(pattern, default="-"):
        m = re.search(pattern, line)
        return m.group(1) if m else default
    d = re.search(r"Ddesc=\[type=\w+ rows=(\d+) cols=(\d+)", line)
    return {"algo_id": field(r"algoId=(\d+)"), "tile": field(r"tile=MATMUL_TILE_(\w+)"),
            "stages": field(r"stages=MATMUL_STAGES_(\w+)"), "splitk": field(r"numSplitsK=(\d+)", "1"),
            "reduction_scheme": field(r"reductionScheme=REDUCTION_SCHEME_(\w+)"),
            "custom_option": field(r"customOption=(\d+)"),
            "cluster_shape": field(r"clusterShape=CLUSTER_SHAPE_(\w+)"),
            "d": f"{d.group(1)}x{d.group(2)}" if d else "-"}


def hex_text(t, digits):
    """A 2-D tensor's codes as hex text, digits per code (2: one byte, 4: 16 bits, 8: 32 bits)."""
    mask = (1 << (4 * digits)) - 1
    rows = t.contiguous().view(VIEW[digits]).cpu().tolist()
    return "".join(" ".join("%0*x" % (digits, c & mask) for c in r) + "\n" for r in rows)

"""The error surface in PyTorch on the CPU: float32, chunked broadcasting, torch's own threads.

usage: torch_surface.py DATA.bin mae|mse WMIN WMAX NW BMIN BMAX NB REPEATS OUT.npy  (as numpy_surface.py)
Exits 3 with a message when torch is not installed (Debian: apt-get install python3-torch).
"""
import json
import os
import sys
import time

import numpy as np

try:
    import torch
except ImportError:
    print("torch is not installed (on Debian: apt-get install python3-torch)", file=sys.stderr)
    sys.exit(3)

BUDGET = 32 << 20


def main():
    data, loss, wmin, wmax, nw, bmin, bmax, nb, repeats, target = sys.argv[1:11]
    raw = open(data, "rb").read()
    n = int(np.frombuffer(raw[:4], dtype="<i4")[0])
    y = torch.from_numpy(np.frombuffer(raw, dtype="<f4", count=n, offset=4).copy())
    x = torch.from_numpy(np.frombuffer(raw, dtype="<f4", count=n, offset=4 + 4 * n).copy())
    w = torch.linspace(float(wmin), float(wmax), int(nw), dtype=torch.float64).float()
    b = torch.linspace(float(bmin), float(bmax), int(nb), dtype=torch.float64).float()
    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    out = torch.empty((len(b), len(w)), dtype=torch.float32)
    step = max(1, BUDGET // (len(w) * n * 4))
    best = float("inf")
    with torch.no_grad():
        for _ in range(int(repeats)):
            t0 = time.perf_counter()
            for start in range(0, len(b), step):
                e = y[None, None, :] - b[start:start + step, None, None] - w[None, :, None] * x[None, None, :]
                out[start:start + step] = (e.abs() if loss == "mae" else e * e).mean(dim=2)
            best = min(best, time.perf_counter() - t0)
    np.save(target, out.numpy())
    print(json.dumps({"seconds": best, "evals_per_second": len(w) * len(b) * n / best, "threads": threads}))


if __name__ == "__main__":
    main()

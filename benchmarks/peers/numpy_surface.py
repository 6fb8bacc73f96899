"""The error surface as a numpy user would write it: float32, chunked broadcasting, one thread per core.

usage: numpy_surface.py DATA.bin mae|mse WMIN WMAX NW BMIN BMAX NB REPEATS OUT.npy
DATA.bin: int32 n, float32 y[n], float32 x[n] (written by `lossgrid bench`). Saves the surface
(float32, shape (nb, nw)) and prints {"seconds", "evals_per_second", "threads"}: fastest of REPEATS.
"""
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

BUDGET = 32 << 20  # bytes of float32 temporaries per chunk


def load(path):
    raw = open(path, "rb").read()
    n = int(np.frombuffer(raw[:4], dtype="<i4")[0])
    y = np.frombuffer(raw, dtype="<f4", count=n, offset=4)
    x = np.frombuffer(raw, dtype="<f4", count=n, offset=4 + 4 * n)
    return y, x


def rows(y, x, w, b, loss, out):
    """out[i, j] = mean_k loss(y_k - b_i - w_j x_k), a few b rows per broadcast."""
    per_row = len(w) * len(y) * 4
    step = max(1, BUDGET // per_row)
    for start in range(0, len(b), step):
        bb = b[start:start + step, None, None]
        e = y[None, None, :] - bb - w[None, :, None] * x[None, None, :]
        out[start:start + step] = (np.abs(e) if loss == "mae" else e * e).mean(axis=2, dtype=np.float32)


def main():
    data, loss, wmin, wmax, nw, bmin, bmax, nb, repeats, target = sys.argv[1:11]
    y, x = load(data)
    w = np.linspace(float(wmin), float(wmax), int(nw)).astype(np.float32)
    b = np.linspace(float(bmin), float(bmax), int(nb)).astype(np.float32)
    out = np.empty((len(b), len(w)), dtype=np.float32)
    threads = os.cpu_count() or 1
    bands = np.array_split(np.arange(len(b)), threads)
    best = float("inf")
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(int(repeats)):
            t0 = time.perf_counter()
            list(pool.map(lambda rows_: rows(y, x, w, b[rows_], loss, out[rows_[0]:rows_[-1] + 1]) if len(rows_) else None,
                          bands))
            best = min(best, time.perf_counter() - t0)
    np.save(target, out)
    print(json.dumps({"seconds": best, "evals_per_second": len(w) * len(b) * len(y) / best, "threads": threads}))


if __name__ == "__main__":
    main()

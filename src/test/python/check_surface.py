"""Checks a lossgrid surface NPY against a float64 numpy computation.

usage: check_surface.py DATA.csv SURFACE.npy LOSS WMIN:WMAX:NW BMIN:BMAX:NB

DATA.csv has columns y,x. Every point must agree within the precision contract:
1e-5 relative plus the float32 forward-error allowance of the terms (README, "Precision").
Prints the worst error and exits 1 when a point is outside it.
"""
import sys

import numpy as np


def axis(text):
    lo, hi, n = text.split(":")
    return np.linspace(float(lo), float(hi), int(n))


def main():
    data, npy, loss, w_axis, b_axis = sys.argv[1:6]
    table = np.genfromtxt(data, delimiter=",", names=True, dtype=np.float64)
    y = np.atleast_1d(table["y"]).astype(np.float32).astype(np.float64)
    x = np.atleast_1d(table["x"]).astype(np.float32).astype(np.float64)
    w = axis(w_axis)
    b = axis(b_axis)
    got = np.load(npy)
    assert got.dtype == np.float32 and got.shape == (len(b), len(w)), (got.dtype, got.shape)
    eps = float(np.finfo(np.float32).eps)
    worst = 0.0
    for i, bi in enumerate(b):
        e = y[None, :] - bi - w[:, None] * x[None, :]
        magnitude = np.abs(y)[None, :] + abs(bi) + np.abs(w[:, None] * x[None, :])
        if loss == "mae":
            expected = np.abs(e).mean(axis=1)
            allowance = (4 * eps * magnitude).mean(axis=1)
        else:
            expected = (e * e).mean(axis=1)
            allowance = ((2 * np.abs(e) + 4 * eps * magnitude) * 4 * eps * magnitude).mean(axis=1)
        error = np.abs(got[i].astype(np.float64) - expected)
        ratio = error / (1e-5 * expected + allowance)
        worst = max(worst, float(ratio.max()))
    print(f"worst error / tolerance = {worst:.3g}")
    sys.exit(0 if worst <= 1 else 1)


if __name__ == "__main__":
    main()

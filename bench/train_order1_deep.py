#!/usr/bin/env python3
"""Depth 3: the O(1/n) trained mean of the GD map in the output layer's tensors
(src/train/order1_deep*.c, by build/bench/bench-order1-deep: `neft train --order 1`
refuses depth >= 3) against trained finite-width ensembles (`neft train --ensemble`).  For each width n the measured deviation from the frozen NTK,
n (mean - frozen), is fitted by c_fit + d/n + e/n^2 (weighted least squares
over the widths) and c_fit is compared with the computed c (pull).

Usage: python3 bench/train_order1_deep.py NEFT [ACT] [MODELS] [WIDTHS] [STEPS] [DEPTH]
(defaults: linear, 131072, 16,24,32,48,64,96, 1,2,10; docs/data/learn.csv,
C_W = 1, C_b = 1/10, eta = 1/10 (ETA=1/20 in the environment: another step), test inputs (1, 1), (0.5, -0.5); depth 3; depth 2
checks the method against the single-neuron code's c).
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# YSCALE=3 in the environment: the targets times 3 (the part of c cubic in y is
# the ddNTK mean's alone); then DATA names a copy of learn.csv with y times 3
DATA = os.environ.get("DATA", os.path.join(HERE, "..", "docs", "data", "learn.csv"))
YSCALE = os.environ.get("YSCALE", "1")
# ETA=1/20 in the environment: the step (default 1/10)
ETA = os.environ.get("ETA", "1/10")


def run(neft, act, width, models, steps, depth):
    args = [neft, "train", "--ensemble", "--data", DATA, "--at", "1,1;0.5,-0.5",
            "--activation", act, "--cw", "1", "--cb", "1/10", "--depth", str(depth), "--width",
            str(width), "--models", str(models), "--eta", ETA, "--steps", steps,
            "--format", "json"]
    p = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def solve(M, v):
    """M^-1 v and M^-1 by Gauss-Jordan (small, symmetric positive definite)"""
    k = len(M)
    A = [list(M[i]) + [v[i]] + [1.0 if j == i else 0.0 for j in range(k)] for i in range(k)]
    for i in range(k):
        p = A[i][i]
        A[i] = [x / p for x in A[i]]
        for r in range(k):
            if r != i:
                f = A[r][i]
                A[r] = [x - f * y for x, y in zip(A[r], A[i])]
    return [A[i][k] for i in range(k)], [A[i][k + 1:] for i in range(k)]


def fit(ns, ys, es, k):
    """weighted least squares y = sum_j a_j n^-j, j < k: (a, cov)"""
    X = [[n ** -j / e for j in range(k)] for n, e in zip(ns, es)]
    b = [y / e for y, e in zip(ys, es)]
    M = [[sum(r[i] * r[j] for r in X) for j in range(k)] for i in range(k)]
    v = [sum(r[i] * bb for r, bb in zip(X, b)) for i in range(k)]
    return solve(M, v)


def main():
    neft = sys.argv[1]
    act = sys.argv[2] if len(sys.argv) > 2 else "linear"
    models = int(sys.argv[3]) if len(sys.argv) > 3 else 131072
    widths = [int(w) for w in (sys.argv[4] if len(sys.argv) > 4 else
                                "16,24,32,48,64,96").split(",")]
    steps = sys.argv[5] if len(sys.argv) > 5 else "1,2,10"
    depth = int(sys.argv[6]) if len(sys.argv) > 6 else 3
    rows = {}
    coef = {}
    # c from the map (build/bench/bench-order1-deep beside the neft binary's build dir)
    exe = os.path.join(os.path.dirname(os.path.abspath(neft)), "bench", "bench-order1-deep")
    eta = float(ETA.split("/")[0]) / (float(ETA.split("/")[1]) if "/" in ETA else 1.0)
    out = subprocess.run([exe, act, str(depth), "1", repr(eta), steps, YSCALE],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        coef[(int(f[0]), int(f[1]))] = float(f[2])
    for n in widths:
        d = run(neft, act, n, models, steps, depth)
        for s in d["trained"]:
            for b, m in enumerate(s["mean"]):
                fr = float(m["frozen"]["mid"])
                key = (s["step"], b)
                rows.setdefault(key, []).append((n, n * (m["value"] - fr), n * m["stderr"]))
        print("width %d done" % n, flush=True)
    for key in sorted(rows):
        T, b = key
        print("T = %d, x%d: c computed %+.5f" % (T, b, coef[key]))
        for n, y, e in rows[key]:
            print("   n = %3d: n (mean - frozen) = %+.4f +- %.4f  (pull against c: %+.2f)"
                  % (n, y, e, (y - coef[key]) / e))
        for k in (2, 3):
            if len(rows[key]) <= k:
                continue
            a, cov = fit(*zip(*rows[key]), k)
            print("   fit c + d/n%s: c_fit = %+.4f +- %.4f, pull %+.2f" % (
                " + e/n^2" if k == 3 else "", a[0], cov[0][0] ** 0.5,
                (a[0] - coef[key]) / cov[0][0] ** 0.5))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Trained finite-width ensembles against the frozen NTK, width by width.

`neft train --ensemble` (relu, d_in 2, depth 2, C_W = 2, C_b = 1/10, the four
examples of docs/data/learn.csv, eta = 1/10, lambda = 1) at widths 20..100
and at 500, 1000: the deviation D(n) = measured - frozen of the trained mean
and variance at the test inputs after T steps, with its jackknife error.
Fitted: log|D| = a + p log n by weighted least squares over widths 20..100
(p = -1 for a 1/n deviation), and D = c/n (one parameter) with its chi^2;
at widths >= 500 the pulls D/error.

Usage: python3 bench/train_widths.py [NEFT] [--models M] [--steps T]
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "docs", "data", "learn.csv")


def run(neft, n, M, T, act="relu", cw="2", cb="1/10"):
    args = [neft, "train", "--ensemble", "--data", DATA, "--at", "1,1;0.5,-0.5",
            "--activation", act, "--cw", cw, "--cb", cb, "--depth", "2", "--width", str(n),
            "--models", str(M), "--eta", "1/10", "--steps", "0,%d" % T, "--format", "json",
            "--max-work", "1e16", "--seed", str(1000 + n)]
    t0 = time.time()
    res = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    return res, time.time() - t0


def quantities(res):
    """(name, measured, stderr, frozen) at the last recorded step"""
    st = res["trained"][-1]
    out = []
    for b, m in enumerate(st["mean"]):
        out.append(("mean[%d]" % b, m["value"], m["stderr"], float(m["frozen"]["mid"])))
    for b in range(len(st["cov"])):
        c = st["cov"][b][b]
        out.append(("var[%d]" % b, c["value"], c["stderr"], float(c["frozen"]["mid"])))
    return out


def wls(xs, ys, ws):
    """y = a + p x, weights w: (a, p, se_p)"""
    S = sum(ws)
    Sx = sum(w * x for w, x in zip(ws, xs))
    Sy = sum(w * y for w, y in zip(ws, ys))
    Sxx = sum(w * x * x for w, x in zip(ws, xs))
    Sxy = sum(w * x * y for w, x, y in zip(ws, xs, ys))
    det = S * Sxx - Sx * Sx
    p = (S * Sxy - Sx * Sy) / det
    a = (Sy - p * Sx) / S
    return a, p, math.sqrt(S / det)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("neft", nargs="?", default=os.path.join(HERE, "..", "build", "neft"))
    ap.add_argument("--models", type=int, default=40000)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--widths", default="20,30,50,70,100")
    ap.add_argument("--wide", default="500,1000")
    ap.add_argument("--activation", default="relu")
    ap.add_argument("--cw", default="2")
    a = ap.parse_args()
    small = list(map(int, a.widths.split(",")))
    wide = list(map(int, a.wide.split(","))) if a.wide else []
    table = {}
    print("# %s depth 2, C_W = %s, C_b = 1/10, %d models per width, %d steps; D = measured - "
          "frozen" % (a.activation, a.cw, a.models, a.steps))
    for n in small + wide:
        M = a.models if n <= 100 else max(a.models // 4, 2048)
        res, el = run(a.neft, n, M, a.steps, a.activation, a.cw)
        table[n] = quantities(res)
        print("width %5d (%d models, %.0f s): " % (n, M, el)
              + "  ".join("%s D = %+.5f +- %.5f" % (q, v - f, e) for q, v, e, f in table[n]),
              flush=True)
    names = [q[0] for q in table[small[0]]]
    print("# fits over widths %s" % a.widths)
    for k, name in enumerate(names):
        xs, ys, ws, Ds, es = [], [], [], [], []
        for n in small:
            _, v, e, f = table[n][k]
            D = v - f
            Ds.append(D)
            es.append(e)
            if D != 0 and abs(D) > 2 * e:
                xs.append(math.log(n))
                ys.append(math.log(abs(D)))
                ws.append((D / e) ** 2)
        # D = c / n
        num = sum(D / n / e ** 2 for D, n, e in zip(Ds, small, es))
        den = sum(1 / n ** 2 / e ** 2 for n, e in zip(small, es))
        c = num / den
        chi2 = sum(((D - c / n) / e) ** 2 for D, n, e in zip(Ds, small, es))
        line = "%-8s c = %+.4f +- %.4f (D = c/n), chi2 = %.1f for %d dof" % (
            name, c, 1 / math.sqrt(den), chi2, len(small) - 1)
        # D = c1/n + c2/n^2 (weighted least squares, 2x2 normal equations)
        A11 = sum(1 / n ** 2 / e ** 2 for n, e in zip(small, es))
        A12 = sum(1 / n ** 3 / e ** 2 for n, e in zip(small, es))
        A22 = sum(1 / n ** 4 / e ** 2 for n, e in zip(small, es))
        b1 = sum(D / n / e ** 2 for D, n, e in zip(Ds, small, es))
        b2 = sum(D / n ** 2 / e ** 2 for D, n, e in zip(Ds, small, es))
        det = A11 * A22 - A12 * A12
        c1, c2 = (A22 * b1 - A12 * b2) / det, (A11 * b2 - A12 * b1) / det
        chi2b = sum(((D - c1 / n - c2 / n ** 2) / e) ** 2 for D, n, e in zip(Ds, small, es))
        line += "; D = c1/n + c2/n^2: c1 = %+.3f +- %.3f, c2 = %+.2f +- %.2f, chi2 = %.1f " \
                "for %d dof" % (c1, math.sqrt(A22 / det), c2, math.sqrt(A11 / det), chi2b,
                                len(small) - 2)
        if len(xs) >= 3:
            _, p, se = wls(xs, ys, ws)
            line += "; slope of log|D| vs log n: %.3f +- %.3f (%d widths)" % (p, se, len(xs))
        else:
            line += "; |D| resolved at fewer than 3 widths: no slope"
        print(line)
    for n in wide:
        print("width %d pulls: " % n + ", ".join("%s %+.2f" % (q, (v - f) / e)
                                                 for q, v, e, f in table[n]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The O(1/n) trained mean against trained finite-width ensembles.

`neft train --ensemble --order 1` (depth 2, d_in 2, C_b = 1/10, the four
examples of docs/data/learn.csv, eta = 1/10, lambda = 1) at widths 20, 50,
100: per test input and recorded step, n D = n (measured - frozen) with its
error against the computed coefficient c (docs/train-theory.md), the pull of
the measured mean against frozen and against frozen + c/n, and a fit
n D = c + c2/n over the widths (c2 the next order), whose c is compared with
the computed one.

Usage: python3 bench/train_order1.py [NEFT] [--activation erf] [--cw 1]
       [--models M] [--steps 10,100] [--widths 20,50,100] [--nodes 12]
       [--c-rule estimate|ball]
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


def run(neft, act, cw, n, M, steps, nodes, seed, c_rule):
    args = [neft, "train", "--ensemble", "--order", "1", "--data", DATA, "--at",
            "1,1;0.5,-0.5", "--activation", act, "--cw", cw, "--cb", "1/10", "--depth", "2",
            "--width", str(n), "--models", str(M), "--eta", "1/10", "--steps", steps,
            "--nodes", str(nodes), "--c-rule", c_rule, "--format", "json", "--max-work", "1e17",
            "--seed", str(seed)]
    t0 = time.time()
    p = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(p.stdout), time.time() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("neft", nargs="?", default=os.path.join(HERE, "..", "build", "neft"))
    ap.add_argument("--activation", default="erf")
    ap.add_argument("--cw", default="1")
    ap.add_argument("--models", type=int, default=200000)
    ap.add_argument("--steps", default="10,100")
    ap.add_argument("--widths", default="20,50,100")
    ap.add_argument("--nodes", type=int, default=12)
    # tanh's default is the ball (wide after 100 steps); the table used the estimate
    ap.add_argument("--c-rule", default="estimate", choices=("ball", "estimate"))
    a = ap.parse_args()
    widths = list(map(int, a.widths.split(",")))
    print("# %s depth 2, C_W = %s, C_b = 1/10, %d nets per width, steps %s; D = measured - "
          "frozen; c: the computed O(1/n) coefficient (+- the rule's error estimate)"
          % (a.activation, a.cw, a.models, a.steps))
    rows = {}
    for n in widths:
        d, el = run(a.neft, a.activation, a.cw, n, a.models, a.steps, a.nodes, 100 + n, a.c_rule)
        print("# width %d: %.0f s wall" % (n, el), flush=True)
        for st in d["trained"]:
            for b, (m, o) in enumerate(zip(st["mean"], st["order1"])):
                f = float(m["frozen"]["mid"])
                rows.setdefault((st["step"], b), []).append(
                    (n, m["value"] - f, m["stderr"], o["coef"], o["coef_err"]))
    print("| step | x | width | n D measured | c computed | pull vs frozen | pull vs frozen + c/n |")
    print("|---|---|---|---|---|---|---|")
    for (step, b), rs in sorted(rows.items()):
        for n, D, e, c, ce in rs:
            print("| %d | %d | %d | %+.4f +- %.4f | %+.4f +- %.4f | %+.2f | %+.2f |"
                  % (step, b, n, n * D, n * e, c, ce, D / e, (D - c / n) / e))
    print("# fit n D = c + c2/n over the widths (weighted):")
    for (step, b), rs in sorted(rows.items()):
        if len(rs) < 3:
            continue
        ys = [n * D for n, D, e, c, ce in rs]
        ws = [1 / (n * e) ** 2 for n, D, e, c, ce in rs]
        xs = [1 / n for n, D, e, c, ce in rs]
        S, Sx, Sy = sum(ws), sum(w * x for w, x in zip(ws, xs)), sum(w * y for w, y in zip(ws, ys))
        Sxx = sum(w * x * x for w, x in zip(ws, xs))
        Sxy = sum(w * x * y for w, x, y in zip(ws, xs, ys))
        det = S * Sxx - Sx * Sx
        c0 = (Sxx * Sy - Sx * Sxy) / det
        c2 = (S * Sxy - Sx * Sy) / det
        se0 = math.sqrt(Sxx / det)
        chi2 = sum(w * (y - c0 - c2 * x) ** 2 for w, x, y in zip(ws, xs, ys))
        c = rs[0][3]
        print("step %d x%d: fitted c = %+.4f +- %.4f (c2 = %+.2f, chi2 %.1f for %d dof); "
              "computed c = %+.4f: pull %+.2f" % (step, b, c0, se0, c2, chi2, len(rs) - 2, c,
                                                 (c0 - c) / se0))
    return 0


if __name__ == "__main__":
    sys.exit(main())

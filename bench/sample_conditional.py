#!/usr/bin/env python3
"""Variance reduction of `neft sample --estimator conditional` (the last layer
integrated, docs/cmd-sample.md) against the plain estimator, per family.

Usage: python3 bench/sample_conditional.py BUILD/neft [MODELS]

For relu, erf and gauss (d_in = 1, sw = sb = 1, inputs 0.2, 0.6, 1.0; widths 5
and 20) both estimators run on the same nets (same seed: the conditional one
integrates out the last layer of each); printed per n = 2, 4, 6 and full /
connected: the median and the largest over the tuples of var(conditional) /
var(plain) = (stderr_c / stderr_p)^2, counting only tuples unflagged in both
runs (flagged errors are not measurements of the variance), and the wall times.
The machine is shared: times are noisy.
"""
import json
import subprocess
import sys
import time

NEFT = sys.argv[1]
MODELS = sys.argv[2] if len(sys.argv) > 2 else "200000"


def run(act, width, est):
    t = time.time()
    p = subprocess.run([NEFT, "sample", "--activation", act, "--d-in", "1", "--width",
                        str(width), "--sw", "1", "--sb", "1", "--at", "0.2;0.6;1.0", "--npt",
                        "2,4,6", "--models", MODELS, "--seed", "11", "--format", "json",
                        "--estimator", est], capture_output=True, text=True, check=True)
    return json.loads(p.stdout), time.time() - t


print("family width  n  part        median var ratio   max     tuples   flagged(plain, cond)")
for act in ("relu", "erf", "gauss"):
    for width in (5, 20):
        (pl, tp), (co, tc) = run(act, width, "plain"), run(act, width, "conditional")
        for n in (2, 4, 6):
            for part in ("full", "connected"):
                if n == 2 and part == "connected":
                    continue
                r, fp, fc = [], 0, 0
                for a, b in zip(pl["correlators"], co["correlators"]):
                    if a["npt"] != n:
                        continue
                    fp += bool(a[part]["flags"])
                    fc += bool(b[part]["flags"])
                    if not a[part]["flags"] and not b[part]["flags"] and a[part]["stderr"] > 0:
                        r.append((b[part]["stderr"] / a[part]["stderr"]) ** 2)
                r.sort()
                print("%-6s %5d  %d  %-10s  %12s  %10s  %6d   %d, %d" % (
                    act, width, n, part, "%.3g" % r[len(r) // 2] if r else "-",
                    "%.3g" % r[-1] if r else "-", len(r), fp, fc))
        print("%-6s %5d  time plain %.2fs, conditional %.2fs" % (act, width, tp, tc))

#!/usr/bin/env python3
"""The multi-input four-point vertex (src/onen/vertex4.c) against sampled deep
ensembles: the connected E[z_a z_b z_c z_d]_c of `neft sample` for index sets
with three and four distinct inputs against (V_(ab)(cd) + V_(ac)(bd) +
V_(ad)(bc))/n from `neft onen --at` with four inputs.

Usage: python3 tests/onen_samples4.py NEFT_BINARY RULES_DIR [--quick]   (cwd tests/)

The prediction is a truncated series, E[zzzz]_c = kappa/n + O(1/n^2), so each
check allows 4 stderr + |next order|, the next order estimated from a run at a
small width n_s assuming the remainder scales as 1/n^2 (as tests/onen_samples.py):
    |next(n)| <= (n_s^2 |m(n_s) - kappa/n_s| + 3 n_s^2 se(n_s)) / n^2.
The check of the four-input entry (0,1,2,3) and at least one three-input entry
fail as too weak unless kappa/n exceeds 3 stderr + |next order|.  The pulls
(m - kappa/n) / se are printed.  --quick (sanitizer build): 4x fewer nets and three inputs."""

import json
import os
import subprocess
import sys
import tempfile

QUICK = "--quick" in sys.argv[3:]
failures = []
# --quick: three inputs only (the 4-D rule costs about 20 s of CPU, several times that under ASan)
X = "0.6;1;-0.4" if QUICK else "0.6;1;-0.4;-1.1"
NET = ["--activation", "tanh", "--cw", "1.5", "--cb", "0.1", "--depth", "3"]


def fail(what):
    print("FAIL:", what, flush=True)
    failures.append(what)


def run(args):
    p = subprocess.run([NEFT] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=1800)
    if p.returncode != 0:
        raise SystemExit("neft %s failed (%d): %s" % (" ".join(args), p.returncode,
                                                       p.stderr.decode()))
    return json.loads(p.stdout)


def sample(width, models, seed):
    d = run(["sample", "--d-in", "1", "--width", str(width), "--at", X, "--npt", "2,4",
             "--models", str(models), "--seed", str(seed), "--format", "json"] + NET)
    return {tuple(c["indices"]): (c["connected"]["mean"], c["connected"]["stderr"])
            for c in d["correlators"] if c["npt"] == 4}


def main():
    global NEFT
    NEFT = sys.argv[1]
    onen = run(["onen", "--at", X, "--d-in", "1", "--prec", "64", "--format", "json"] + NET)
    last = onen["vertex"][-1]
    pairs = [tuple(p) for p in last["pairs"]]

    def V(a, b, c, d):
        return float(last["V"][pairs.index(tuple(sorted((a, b))))]
                     [pairs.index(tuple(sorted((c, d))))]["mid"])

    def kappa(i):
        a, b, c, d = i
        return V(a, b, c, d) + V(a, c, b, d) + V(a, d, b, c)

    n, ns = 40, 10
    big = sample(n, 50000 if QUICK else 200000, 7)
    small = sample(ns, 25000 if QUICK else 100000, 8)
    resolved3 = False
    for idx in sorted(big):
        if len(set(idx)) < 3:
            continue
        k = kappa(idx)
        m, se = big[idx]
        ms, ses = small[idx]
        nxt = (ns * ns * abs(ms - k / ns) + 3 * ns * ns * ses) / (n * n)
        pull = (m - k / n) / se
        ok = abs(m - k / n) <= 4 * se + nxt
        strong = abs(k / n) > 3 * se + nxt
        print("E[z%s]_c width %d: measured %.5f +/- %.5f, kappa/n %.5f (pull %+.2f, next "
              "order <= %.5f)%s: %s" % (idx, n, m, se, k / n, pull, nxt,
                                        "" if strong else " [not resolved]",
                                        "ok" if ok else "FAILED"), flush=True)
        if not ok:
            fail("%s: %.6f +/- %.6f vs %.6f" % (idx, m, se, k / n))
        if len(set(idx)) == 4 and not strong:
            fail("%s: test too weak (kappa/n %.4f, se %.4f, next %.4f)" % (idx, k / n, se, nxt))
        if len(set(idx)) == 3 and strong:
            resolved3 = True
    if not resolved3:
        fail("no three-input entry resolved: test too weak")
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("onen_samples4: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

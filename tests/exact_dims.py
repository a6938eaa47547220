#!/usr/bin/env python3
"""`neft exact` with three or more distinct points in d_in = 2, 3 (issue 17,
item 3) against `neft sample` at small width: every sampled correlator within
4.5 of its standard errors of the exact ball, the exact balls narrow, and at
least one connected correlator resolved (else the test is empty).  Cases: ReLU
sigma_b = 0 in d_in = 2 (pre-activations on a plane: closed form) and d_in = 3
(the cone method), ReLU sigma_b > 0 in d_in = 2 (cone), erf sigma_b = 1 in
d_in = 2 (the shared 3-D rule).  Before this item all of them exited 3
(unsupported).  Usage: exact_dims.py NEFT RULES_DIR [--quick]"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import neftio  # noqa: E402

NEFT = sys.argv[1]
QUICK = "--quick" in sys.argv[3:]
check = neftio.Checks()


def fail(what):
    check(False, what)


def run_json(args):
    return neftio.run_json(check, NEFT, *args)


def by_key(doc):
    return {(c["npt"], tuple(c["indices"])): c for c in doc["correlators"]}


def compare(label, common, models, seed):
    ex = run_json(["exact"] + common)
    sa = run_json(["sample"] + common + ["--models", str(models), "--seed", str(seed)])
    if ex is None or sa is None:
        return
    ex, sa = by_key(ex), by_key(sa)
    if set(ex) != set(sa):
        fail("%s: exact and sample list different tuples" % label)
        return
    worst, resolved = 0.0, 0
    for key, s in sa.items():
        for kind in ("full", "connected"):
            mid, rad = float(ex[key][kind]["mid"]), float(ex[key][kind]["rad"])
            if rad > 1e-9 * max(1.0, abs(mid)):
                fail("%s %s %s: exact ball too wide (%g +/- %g)" % (label, key, kind, mid, rad))
            m, se = s[kind]["mean"], s[kind]["stderr"]
            if se == 0:
                continue
            z = abs(m - mid) / se
            worst = max(worst, z)
            if z > 4.5:
                fail("%s %s %s: sampled %.6g +/- %.2g, exact %.10g (%.1f sigma)"
                     % (label, key, kind, m, se, mid, z))
            if key[0] >= 4 and kind == "connected" and abs(mid) > 3 * se:
                resolved += 1
    if resolved == 0:
        fail("%s: no connected correlator resolved above 3 stderr; test too weak" % label)
    print("%-30s %3d tuples, worst %.2f sigma, %d connected resolved"
          % (label, len(sa), worst, resolved), flush=True)


M = 40000 if QUICK else 100000
compare("relu d_in 2 sb 0", ["--activation", "relu", "--d-in", "2", "--width", "2",
                             "--at", "0.5,0.5;0.5,1;1,0.5;1,1", "--npt", "2,4"], M, 11)
compare("relu d_in 3 sb 0", ["--activation", "relu", "--d-in", "3", "--width", "2",
                             "--at", "1,0,0;0,1,0;0.5,0.5,1", "--npt", "2,4"], M, 12)
compare("relu d_in 2 sb 0.5", ["--activation", "relu", "--d-in", "2", "--width", "2",
                               "--sb", "0.5", "--at", "1,0;0,1;1,1", "--npt", "2,4"], M, 13)
compare("erf d_in 2 sb 1", ["--activation", "erf", "--d-in", "2", "--width", "2", "--sb", "1",
                            "--at", "1,1;1,-1;-1,1", "--npt", "2,4"], M, 14)
# a span of rank 4 (d_in = 3, sigma_b > 0, four points not on a plane: src/exact/cone4.c;
# before: exit 3, unsupported)
compare("relu d_in 3 sb 1 (rank 4)", ["--activation", "relu", "--d-in", "3", "--width", "2",
                                      "--sb", "1", "--at", "1,0,0;0,1,0;0,0,1;0.5,0.5,0.5",
                                      "--npt", "2,4"], M, 15)

check.finish("exact_dims: {failed} failure(s)")

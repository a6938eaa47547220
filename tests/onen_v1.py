#!/usr/bin/env python3
"""V1, the O(1/n^2) term of the single-input variance of G (src/onen/single.c),
for tanh -- where the terms with c_1'' and c_1''' are not zero (they are for
relu and linear, the cases tests/onen.py checks exactly) -- against an
independent computation here.

Usage: python3 tests/onen_v1.py NEFT_BINARY RULES_DIR   (cwd tests/)

At depth 3 with equal widths, layer 2's G is C_b + C_W mean_j sigma(sqrt(K1) xi_j)^2
exactly, so h = G - K^(2) has E h = 0, Var h = V/n and third cumulant v6/n^2 with
V = C_W^2 Var(sigma^2), v6 = C_W^3 kappa_3(sigma^2) at K1 (V1^(2) = G1^(2) = 0), and
the law of total variance gives
    V1^(3) = C_W^2 [c_1' c_1'' v6 + (c_1''^2/2 + c_1' c_1''') V^2 + c_2'' V/2],
c_1(g) = <sigma^2>_g, c_2(g) = Var_g(sigma^2) at g = K^(2).  Here every moment is
a 1-D trapezoid sum (exponentially accurate) and the g-derivatives are central
finite differences with Richardson extrapolation -- where neft integrates
Hermite weights.  The leading order V^(3) = C_W^2 [c_2 + c_1'^2 V] is checked
too; every neft ball must contain the reference within 1e-7 relative."""

import json
import math
import subprocess
import sys

STEP, HALF = 0.05, 12.0
GRID = [i * STEP - HALF for i in range(int(round(2 * HALF / STEP)) + 1)]
WGT = [math.exp(-x * x / 2) * STEP / math.sqrt(2 * math.pi) for x in GRID]
failures = []


def mom(g, f):
    s = math.sqrt(g)
    return sum(w * f(math.tanh(s * x)) for x, w in zip(GRID, WGT))


def c1(g):
    return mom(g, lambda t: t * t)


def c2(g):
    return mom(g, lambda t: t ** 4) - c1(g) ** 2


def kappa3(g):
    m1, m2, m3 = (mom(g, lambda t, k=k: t ** (2 * k)) for k in (1, 2, 3))
    return m3 - 3 * m2 * m1 + 2 * m1 ** 3


def d(f, g, order, h):
    def fd(h):
        if order == 1:
            return (f(g + h) - f(g - h)) / (2 * h)
        if order == 2:
            return (f(g + h) - 2 * f(g) + f(g - h)) / (h * h)
        return (f(g + 2 * h) - 2 * f(g + h) + 2 * f(g - h) - f(g - 2 * h)) / (2 * h ** 3)
    return (4 * fd(h / 2) - fd(h)) / 3


def contains(b, ref, label, rel=1e-7):
    mid, rad = float(b["mid"]), float(b["rad"])
    ok = abs(mid - ref) <= rad + rel * max(abs(ref), 1e-3)
    print("%-22s neft %.12g +/- %.2g, reference %.12g: %s"
          % (label, mid, rad, ref, "ok" if ok else "FAILED"), flush=True)
    if not ok:
        failures.append(label)


def main():
    neft = sys.argv[1]
    cw, cb, k1 = 1.5, 0.1, 0.9
    p = subprocess.run([neft, "onen", "--activation", "tanh", "--cw", "3/2", "--cb", "1/10",
                        "--depth", "3", "--k1", "9/10", "--prec", "64", "--format", "json"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    if p.returncode != 0:
        print("FAIL: neft onen exit %d: %s" % (p.returncode, p.stderr.decode()))
        return 1
    lay = json.loads(p.stdout)["layers"]
    V2 = cw * cw * c2(k1)
    v6 = cw ** 3 * kappa3(k1)
    K2 = cb + cw * c1(k1)
    a1 = d(c1, K2, 1, 0.02)
    a2 = d(c1, K2, 2, 0.02)
    a3 = d(c1, K2, 3, 0.02)
    b2 = d(c2, K2, 2, 0.02)
    V3 = cw * cw * (c2(K2) + a1 * a1 * V2)
    terms = (a1 * a2 * v6, (a2 * a2 / 2 + a1 * a3) * V2 * V2, b2 * V2 / 2)
    V1 = cw * cw * sum(terms)
    contains(lay[1]["V"], V2, "V^(2)")
    contains(lay[1]["v6"], v6, "v6^(2)")
    contains(lay[2]["V"], V3, "V^(3)")
    contains(lay[2]["V1"], V1, "V1^(3)", rel=1e-6)
    print("V1^(3) terms: c1'c1'' v6 %.6g, (c1''^2/2 + c1'c1''') V^2 %.6g, c2'' V/2 %.6g"
          % tuple(cw * cw * t for t in terms))
    # the c_1'' and c_1''' terms matter: leaving them out misses by far more than the tolerance
    if abs(cw * cw * (terms[0] + terms[1])) < 1e-4 * abs(V1) + 1e-6:
        failures.append("the c1'' and c1''' terms are too small to test")
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("onen_v1: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The two-input four-point vertex V_(ab)(cd) and the O(1/n) kernel shift G1_ab
of `neft onen --at "x0;x1"` for the activations without a closed-form vertex
(integrated: src/onen/vertex2_gen.c), against an independent computation here.

Usage: python3 tests/onen_vertex.py NEFT_BINARY RULES_DIR   (cwd tests/)

Independent route (stdlib only): every Gaussian expectation by the trapezoid rule
on a 2-D grid (exponentially accurate for these smooth integrands), and the
K-derivatives D_PR = d f2_P/dK_R, H_P,RS = d^2 f2_P/dK_R dK_S by central finite
differences with Richardson extrapolation -- where neft integrates Hermite
weights (Price's theorem by parts).  Then the same recursion
    V'_PQ = C_W^2 [f4_PQ - f2_P f2_Q + sum_RS D_PR D_QS V_RS]
    G1'_P = C_W [sum_R D_PR G1_R + 1/2 sum_RS H_P,RS V_RS].
Every neft ball must contain the reference within 1e-7 relative (the
reference's own error is about 1e-9)."""

import json
import math
import subprocess
import sys

PAIRS = [(0, 0), (0, 1), (1, 1)]
failures = []
STEP, HALF = 0.25, 8.5
GRID = [i * STEP - HALF for i in range(int(2 * HALF / STEP) + 1)]
WGT = [math.exp(-x * x / 2) * STEP / math.sqrt(2 * math.pi) for x in GRID]


def fail(what):
    print("FAIL:", what, flush=True)
    failures.append(what)


def act_fn(name):
    if name == "tanh":
        return math.tanh
    if name == "gelu":
        return lambda z: 0.5 * z * (1 + math.erf(z / math.sqrt(2)))
    if name == "sin":
        return math.sin
    raise SystemExit("no activation " + name)


def expect(sig, K, powers):
    """E[sig(z0)^p sig(z1)^q], z ~ N(0, K) (K = (k00, k01, k11))."""
    k00, k01, k11 = K
    a = math.sqrt(k00)
    b = k01 / a
    c = math.sqrt(k11 - b * b)
    p, q = powers
    tot = 0.0
    for x1, w1 in zip(GRID, WGT):
        s0 = sig(a * x1) ** p
        bx = b * x1
        acc = 0.0
        for x2, w2 in zip(GRID, WGT):
            acc += w2 * sig(bx + c * x2) ** q
        tot += w1 * s0 * acc
    return tot


def f2(sig, K, P):
    i, j = PAIRS[P]
    return expect(sig, K, (2, 0) if (i, j) == (0, 0) else (0, 2) if (i, j) == (1, 1)
                  else (1, 1))


def shifted(K, steps):
    k = list(K)
    for R, h in steps:
        k[R] += h
    return tuple(k)


def deriv1(sig, K, P, R, h=2e-3):
    def d(h):
        return (f2(sig, shifted(K, [(R, h)]), P) - f2(sig, shifted(K, [(R, -h)]), P)) / (2 * h)
    return (4 * d(h / 2) - d(h)) / 3


def deriv2(sig, K, P, R, S, h=4e-3):
    def d(h):
        if R == S:
            return (f2(sig, shifted(K, [(R, h)]), P) - 2 * f2(sig, K, P)
                    + f2(sig, shifted(K, [(R, -h)]), P)) / (h * h)
        return (f2(sig, shifted(K, [(R, h), (S, h)]), P) - f2(sig, shifted(K, [(R, h), (S, -h)]), P)
                - f2(sig, shifted(K, [(R, -h), (S, h)]), P)
                + f2(sig, shifted(K, [(R, -h), (S, -h)]), P)) / (4 * h * h)
    return (4 * d(h / 2) - d(h)) / 3


def reference(act, cw, cb, depth, x):
    """[(K, V, G1)] per layer: K as (k00, k01, k11), V 3x3, G1 (g00, g01, g11)."""
    sig = act_fn(act)
    K = (cb + cw * x[0] * x[0], cb + cw * x[0] * x[1], cb + cw * x[1] * x[1])
    V = [[0.0] * 3 for _ in range(3)]
    G = [0.0] * 3
    out = [(K, V, G)]
    for _ in range(1, depth):
        F2 = [f2(sig, K, P) for P in range(3)]
        F4 = [[0.0] * 3 for _ in range(3)]
        for P in range(3):
            for Q in range(3):
                ones = sum(PAIRS[P]) + sum(PAIRS[Q])
                F4[P][Q] = expect(sig, K, (4 - ones, ones))
        D = [[deriv1(sig, K, P, R) for R in range(3)] for P in range(3)]
        H = [[[deriv2(sig, K, P, R, S) for S in range(3)] for R in range(3)] for P in range(3)]
        Vn = [[cw * cw * (F4[P][Q] - F2[P] * F2[Q]
                          + sum(D[P][R] * D[Q][S] * V[R][S] for R in range(3) for S in range(3)))
               for Q in range(3)] for P in range(3)]
        Gn = [cw * (sum(D[P][R] * G[R] for R in range(3))
                    + 0.5 * sum(H[P][R][S] * V[R][S] for R in range(3) for S in range(3)))
              for P in range(3)]
        K = tuple(cb + cw * F2[P] for P in range(3))
        V, G = Vn, Gn
        out.append((K, V, G))
    return out


def ball(b):
    return float(b["mid"]), float(b["rad"])


def contains(b, ref, label, rel=1e-7):
    mid, rad = ball(b)
    ok = abs(mid - ref) <= rad + rel * max(abs(ref), 1e-3)
    print("%-40s neft %.12g +/- %.2g, reference %.12g: %s"
          % (label, mid, rad, ref, "ok" if ok else "FAILED"), flush=True)
    if not ok:
        fail("%s: %r vs %.15g" % (label, b, ref))


def case(act, cw, cb, depth, x):
    p = subprocess.run([NEFT, "onen", "--activation", act, "--cw", str(cw), "--cb", str(cb),
                        "--depth", str(depth), "--at", "%s;%s" % (x[0], x[1]), "--d-in", "1",
                        "--prec", "64", "--format", "json"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    if p.returncode != 0:
        fail("%s: neft onen failed (%d): %s" % (act, p.returncode, p.stderr.decode()))
        return
    doc = json.loads(p.stdout)
    if "vertex" not in doc or "g1" not in doc:
        fail("%s: no vertex or g1 in the output" % act)
        return
    ref = reference(act, cw, cb, depth, x)
    for l in range(1, depth):
        K, V, G = ref[l]
        for P in range(3):
            i, j = PAIRS[P]
            contains(doc["kernel"][l]["K"][i][j], K[P], "%s L=%d K_%d%d" % (act, l + 1, i, j))
            contains(doc["g1"][l]["G1"][i][j], G[P], "%s L=%d G1_%d%d" % (act, l + 1, i, j))
            for Q in range(3):
                contains(doc["vertex"][l]["V"][P][Q], V[P][Q],
                         "%s L=%d V_%s%s" % (act, l + 1, PAIRS[P], PAIRS[Q]))
    # the G1 of the last layer is not zero: the test has teeth
    if abs(ref[-1][2][1]) < 1e-3:
        fail("%s: G1_01 %.3g too small to test" % (act, ref[-1][2][1]))


def main():
    global NEFT
    NEFT = sys.argv[1]
    case("tanh", 1.5, 0.1, 3, (0.6, 1.0))
    case("gelu", 1.2, 0.2, 3, (-0.7, 1.1))   # no parity: the whole plane
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("onen_vertex: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

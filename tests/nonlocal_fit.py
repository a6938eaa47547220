#!/usr/bin/env python3
"""The three-operator quartic fit (issue 18 item 2): `neft fit DATA
rules/nnqft-three-operator.rules --fit lambda,lambda2,lambdaNL`.

    python3 nonlocal_fit.py NEFT_BINARY RULES_DIR

1. Brute-force least squares: for exact Erf correlators (width 20, six inputs
   in [-1, 1], sigma_w = sigma_b = 1, cutoff 5) the three columns
       -24 \\int K^4,  -24 \\int y^2 K^4,  -8 sum_pairings I(a,b) I(c,d),
   I(a,b) = \\int K(a,y) K(b,y) dy, are computed here with the Erf kernel in
   closed form and composite Simpson on [-L, L] (floats), the 3 x 3 normal
   equations solved by Gaussian elimination; the couplings and chi^2 must
   agree with neft's balls to relative 1e-6.  chi^2 of the three-operator fit
   is no worse than the one-operator fit's, for Erf and GaussNet.
2. Bias-free ReLU: on inputs of one sign the three columns are all
   proportional to x1 x2 x3 x4 (homogeneity), so the three-operator fit is
   singular and must be refused (exit 1, "singular"); on inputs of both
   signs lambda alone is not exact (the (+,+,-,-) tuples have a connected
   part -K12 K34 / N that no local vertex gives), while lambda and lambdaNL
   together fit exactly: chi^2 = 0 and the couplings equal the rational
   solution of the normal equations computed here in Fractions from
   K(x, y) = x y / 2 (same signs), 0 (opposite).
3. Sampled data: every fitted coupling has a statistical error.

Exit status 0 when everything agrees, 1 otherwise.
"""
import json
import math
import os
import subprocess
import sys
import tempfile
from fractions import Fraction
from itertools import combinations_with_replacement

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


def run(neft, args, want=0):
    p = subprocess.run([neft] + args, capture_output=True, text=True)
    if p.returncode != want:
        fail(f"`neft {' '.join(args)}` exited {p.returncode} (expected {want}): {p.stderr[:300]}")
    return p


def solve(A, b):
    """Gaussian elimination with partial pivoting (any field: floats or Fractions)."""
    n = len(b)
    M = [list(A[i]) + [b[i]] for i in range(n)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        for r in range(n):
            if r != c and M[r][c] != 0:
                f = M[r][c] / M[c][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [M[i][n] / M[i][i] for i in range(n)]


def lsq(cols, g):
    k = len(cols)
    A = [[sum(ci * cj for ci, cj in zip(cols[i], cols[j])) for j in range(k)] for i in range(k)]
    b = [sum(ci * gi for ci, gi in zip(cols[i], g)) for i in range(k)]
    x = solve(A, b)
    chi2 = sum((gi - sum(x[j] * cols[j][t] for j in range(k))) ** 2 for t, gi in enumerate(g))
    return x, chi2


def connected4(data):
    return {tuple(c["indices"]): c["connected"] for c in data["correlators"] if c["npt"] == 4}


def mid(b):
    return float(b["mid"]) if isinstance(b, dict) else float(b)


def columns(xs, K, L, nodes=6000):
    """The three columns over the sorted 4-tuples, Simpson on [-L, L]."""
    h = 2 * L / nodes
    ys = [-L + i * h for i in range(nodes + 1)]
    w = [h / 3 * (1 if i in (0, nodes) else 4 if i % 2 else 2) for i in range(nodes + 1)]
    Kv = [[K(x, y) for y in ys] for x in xs]
    n = len(xs)
    I = {}
    for a in range(n):
        for b in range(a, n):
            I[a, b] = I[b, a] = sum(wi * ka * kb for wi, ka, kb in zip(w, Kv[a], Kv[b]))
    tuples = list(combinations_with_replacement(range(n), 4))
    c1, c2, c3 = [], [], []
    for (a, b, c, d) in tuples:
        prod = [ka * kb * kc * kd for ka, kb, kc, kd in zip(Kv[a], Kv[b], Kv[c], Kv[d])]
        c1.append(-24 * sum(wi * p for wi, p in zip(w, prod)))
        c2.append(-24 * sum(wi * y * y * p for wi, y, p in zip(w, ys, prod)))
        c3.append(-8 * (I[a, b] * I[c, d] + I[a, c] * I[b, d] + I[a, d] * I[b, c]))
    return tuples, [c1, c2, c3]


def fit_json(neft, data, rules, cutoff, fitted):
    args = ["fit", data] + ([rules] if rules else []) + ["--cutoff", str(cutoff),
                                                           "--format", "json"]
    if fitted:
        args += ["--fit", fitted]
    p = run(neft, args)
    return json.loads(p.stdout)["fits"][0] if p.returncode == 0 else None


def main():
    neft, rules_dir = sys.argv[1], sys.argv[2]
    rules = os.path.join(rules_dir, "nnqft-three-operator.rules")
    three = "lambda,lambda2,lambdaNL"
    with tempfile.TemporaryDirectory() as tmp:
        # 1. Erf against brute-force least squares
        xs = [-1, -0.6, -0.2, 0.2, 0.6, 1]
        at = ";".join(map(str, xs))
        erf = os.path.join(tmp, "erf.json")
        with open(erf, "w") as f:
            f.write(run(neft, ["exact", "--activation", "erf", "--d-in", "1", "--width", "20",
                               "--at", at, "--npt", "2,4", "--sw", "1", "--sb", "1",
                               "--format", "json"]).stdout)
        data = json.load(open(erf))

        def Kerf(x, y):
            return 1 + 2 / math.pi * math.asin(2 * (1 + x * y) / math.sqrt(
                (1 + 2 * (1 + x * x)) * (1 + 2 * (1 + y * y))))
        L = 5
        tuples, cols = columns(xs, Kerf, L)
        G = connected4(data)
        g = [mid(G[t]) for t in tuples]
        x, chi2 = lsq(cols, g)
        got = fit_json(neft, erf, rules, L, three)
        if got is not None:
            for name, want in zip(["lambda", "lambda2", "lambdaNL"], x):
                v = mid(got["values"][name]["value"])
                if abs(v - want) > 1e-6 * abs(want):
                    fail(f"erf {name}: neft {v}, brute-force least squares {want}")
            if abs(mid(got["chi2"]) - chi2) > 1e-6 * chi2:
                fail(f"erf chi2: neft {mid(got['chi2'])}, brute force {chi2}")
            one = fit_json(neft, erf, None, L, None)
            if one is not None and not mid(got["chi2"]) <= mid(one["chi2"]):
                fail(f"erf: three-operator chi2 {mid(got['chi2'])} above one-operator "
                     f"{mid(one['chi2'])}")
            # the built-in three-operator theory (no RULES) is the same
            builtin = fit_json(neft, erf, None, L, three)
            if builtin != got:
                fail(f"erf: the built-in three-operator fit {builtin} differs from the "
                     f"file's {got}")
            print(f"erf L={L}: lambda, lambda2, lambdaNL = {x}, chi2 = {chi2:.6g} "
                  f"(one operator: {mid(one['chi2']):.6g})")

        # the expected running: -(d_in per point + P): -1, -3, -2 in d_in = 1
        p = run(neft, ["fit", erf, rules, "--cutoff", "5,10", "--fit", three, "--format", "json"])
        if p.returncode == 0:
            run_ = json.loads(p.stdout)["running"]
            for name, want in (("lambda", -1), ("lambda2", -3), ("lambdaNL", -2)):
                got_e = run_[name]["last_decade"]["expected"]
                if got_e != want:
                    fail(f"erf running of {name}: expected slope {got_e}, want {want}")

        # GaussNet: chi2 no worse than the one-operator fit
        gn = os.path.join(tmp, "gauss.json")
        with open(gn, "w") as f:
            f.write(run(neft, ["exact", "--activation", "gauss", "--d-in", "1", "--width", "100",
                               "--at", "-0.01;-0.006;-0.002;0.002;0.006;0.01", "--npt", "2,4",
                               "--format", "json"]).stdout)
        a, b = fit_json(neft, gn, rules, 100, three), fit_json(neft, gn, None, 100, None)
        if a is not None and b is not None:
            if not mid(a["chi2"]) <= mid(b["chi2"]):
                fail(f"gauss: three-operator chi2 {a['chi2']} above one-operator {b['chi2']}")
            print(f"gauss L=100: chi2 {mid(a['chi2']):.3g} (one operator {mid(b['chi2']):.3g})")

        # 2. bias-free ReLU
        pos = os.path.join(tmp, "relu_pos.json")
        with open(pos, "w") as f:
            f.write(run(neft, ["exact", "--activation", "relu", "--d-in", "1", "--width", "20",
                               "--at", "0.2;0.45;0.7;0.95;1.2", "--npt", "2,4",
                               "--format", "json"]).stdout)
        p = run(neft, ["fit", pos, rules, "--cutoff", "2", "--fit", three], want=1)
        if "singular" not in p.stderr:
            fail(f"relu one sign: expected a singular system, got {p.stderr!r}")
        xm = [Fraction(-1), Fraction(-1, 2), Fraction(3, 10), Fraction(7, 10), Fraction(6, 5)]
        mixed = os.path.join(tmp, "relu_mixed.json")
        with open(mixed, "w") as f:
            f.write(run(neft, ["exact", "--activation", "relu", "--d-in", "1", "--width", "20",
                               "--at", "-1;-0.5;0.3;0.7;1.2", "--npt", "2,4",
                               "--format", "json"]).stdout)
        Lr = Fraction(2)

        def I(xa, xb):           # \int K(a,y) K(b,y) dy, K = x y / 2 on same signs
            if xa * xb <= 0:
                return Fraction(0)
            return xa * xb / 4 * Lr ** 3 / 3

        def J(t, p):             # \int |y|^p prod K(x_i, y) dy
            if not (all(v > 0 for v in t) or all(v < 0 for v in t)):
                return Fraction(0)
            q = p + len(t)
            r = Fraction(1)
            for v in t:
                r *= abs(v) / 2
            return r * Lr ** (q + 1) / (q + 1)
        tup = list(combinations_with_replacement(range(len(xm)), 4))
        G = connected4(json.load(open(mixed)))
        g = [Fraction(G[t]["mid"]) for t in tup]
        c1 = [-24 * J([xm[i] for i in t], 0) for t in tup]
        c3 = [-8 * (I(xm[a], xm[b]) * I(xm[c], xm[d]) + I(xm[a], xm[c]) * I(xm[b], xm[d])
                    + I(xm[a], xm[d]) * I(xm[b], xm[c])) for (a, b, c, d) in tup]
        (l1, l3), chi2 = lsq([c1, c3], g)
        got = fit_json(neft, mixed, rules, 2, "lambda,lambdaNL")
        if got is not None:
            for name, want in (("lambda", l1), ("lambdaNL", l3)):
                v = got["values"][name]["value"]
                if abs(Fraction(v["mid"]) - want) > Fraction(v["rad"]) + abs(want) / 10 ** 12:
                    fail(f"relu mixed signs {name}: neft {v}, exact {want}")
            if chi2 > Fraction(1, 10 ** 20) or mid(got["chi2"]) > 1e-20:
                fail(f"relu mixed signs: chi2 {chi2} (here), {got['chi2']} (neft): expected 0")
            one = fit_json(neft, mixed, None, 2, None)
            if one is not None and not mid(one["chi2"]) > 1e-6:
                fail(f"relu mixed signs: lambda alone should not be exact ({one['chi2']})")
            print(f"relu mixed signs L=2: lambda = {l1}, lambdaNL = {l3}, chi2 = {chi2}")

        # 3. sampled data: statistical errors for every fitted coupling
        s = os.path.join(tmp, "s.json")
        with open(s, "w") as f:
            f.write(run(neft, ["sample", "--activation", "erf", "--d-in", "1", "--width", "20",
                               "--models", "4000", "--at", at, "--npt", "2,4", "--seed", "3",
                               "--format", "json"]).stdout)
        got = fit_json(neft, s, rules, 5, three)
        if got is not None:
            for name in ("lambda", "lambda2", "lambdaNL"):
                e = got["values"][name]["stderr"]
                if e is None or not mid(e) > 0:
                    fail(f"sampled erf {name}: no statistical error ({e})")
    print("nonlocal_fit: %s" % ("FAILED" if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

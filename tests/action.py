#!/usr/bin/env python3
"""`neft action` (docs/cmd-action.md): the couplings of S[f] on a set of inputs
from connected correlators, checked by the round trip the issue asks for.

The correlators of the reconstructed action are computed back here by an
independent route -- perturbation theory around its own Gaussian part, with
exact rationals: <F>_S = <F e^-V>_0 / <e^-V>_0 expanded to the stated order,
Gaussian moments by Isserlis' recursion, cumulants from the moments -- and
compared with the exact single-layer correlators that went in (neft exact),
whose 1/N expansion stops at that order: they must come back to the rounding
of the balls.  ReLU (sigma_b = 0 and 1/2), Erf, GaussNet (3 inputs), widths
5 and 40, orders 1 and 2.  Plus: the closed form of one input, the
degree-8 cancellation, a degenerate 2-point matrix refused (status 3), bad
input refused with the file named (status 2).
"""

import itertools
import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction as F

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def run(neft, *args):
    return subprocess.run([neft, *args], capture_output=True, text=True)


def exact_file(neft, tmp, act, sb, at, width):
    path = os.path.join(tmp, f"{act}-{sb}-{at}-{width}.json")
    if os.path.exists(path):
        return path
    p = run(neft, "exact", "--activation", act, "--sb", sb, "--width", str(width), "--at", at,
            "--npt", "2,4,6", "--prec", "256", "--format", "json", "--output", path)
    check(p.returncode == 0, f"neft exact {act}: {p.stderr}")
    return path


def action(neft, path, order):
    p = run(neft, "action", path, "--order", str(order), "--format", "json", "--digits", "70",
            "--prec", "256")
    check(p.returncode == 0, f"neft action {path}: {p.stderr}")
    return json.loads(p.stdout) if p.returncode == 0 else None


def mid(b):
    return F(b["mid"])


# ---- polynomials in P fields: {exponent tuple: Fraction} ----

def mono(P, idx):
    e = [0] * P
    for i in idx:
        e[i] += 1
    return tuple(e)


def pmul(a, b):
    out = {}
    for ea, ca in a.items():
        for eb, cb in b.items():
            e = tuple(x + y for x, y in zip(ea, eb))
            out[e] = out.get(e, 0) + ca * cb
    return out


def gauss(e, D, memo):
    """E[f^e] under N(0, D), by Isserlis' recursion on the first variable."""
    if e in memo:
        return memo[e]
    if sum(e) % 2:
        return F(0)
    if sum(e) == 0:
        return F(1)
    i = next(k for k, x in enumerate(e) if x)
    b = list(e)
    b[i] -= 1
    r = F(0)
    for j, bj in enumerate(b):
        if bj:
            c = list(b)
            c[j] -= 1
            r += D[i][j] * bj * gauss(tuple(c), D, memo)
    memo[e] = r
    return r


def expect(poly, D, memo):
    return sum((c * gauss(e, D, memo) for e, c in poly.items()), F(0))


def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def correlators_of_action(S, P, order):
    """Full 2-, 4-, 6-point moments of exp(-S), each as a list of its
    O(1), O(1/N), .. parts, by perturbation theory around 1/2 f.A0.f."""
    A0 = [[F(0)] * P for _ in range(P)]
    V = [dict() for _ in range(order + 1)]
    for c in S["couplings"]:
        t, n = c["indices"], c["n"]
        mult = 1
        for v in set(t):
            mult *= fact(t.count(v))
        for k, part in enumerate(c["parts"]):
            if part is None:
                continue
            lam = mid(part)
            if n == 2 and k == 0:
                A0[t[0]][t[1]] = A0[t[1]][t[0]] = lam
            elif k >= 1:
                e = mono(P, t)
                V[k][e] = V[k].get(e, 0) + lam / mult
    # the propagator: A0^-1 (Gauss-Jordan on fractions)
    M = [row[:] + [F(int(i == j)) for j in range(P)] for i, row in enumerate(A0)]
    for i in range(P):
        piv = M[i][i]
        M[i] = [x / piv for x in M[i]]
        for r in range(P):
            if r != i:
                f = M[r][i]
                M[r] = [x - f * y for x, y in zip(M[r], M[i])]
    D = [row[P:] for row in M]
    memo = {}
    one = {tuple([0] * P): F(1)}
    # e^-V to the order: 1 - V1 + (-V2 + V1^2/2)
    W = [one, {e: -c for e, c in V[1].items()}]
    if order >= 2:
        w2 = {e: -c for e, c in V[2].items()}
        for e, c in pmul(V[1], V[1]).items():
            w2[e] = w2.get(e, 0) + c / 2
        W.append(w2)
    d = [expect(w, D, memo) for w in W]        # d[0] = 1

    def moment(idx):
        Fm = {mono(P, idx): F(1)}
        n = [expect(pmul(Fm, w), D, memo) for w in W]
        # n / d to the order
        out = [n[0], n[1] - n[0] * d[1]]
        if order >= 2:
            out.append(n[2] - n[1] * d[1] - n[0] * d[2] + n[0] * d[1] ** 2)
        return out
    return moment


def tmul(a, b, order):
    out = [F(0)] * (order + 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if i + j <= order:
                out[i + j] += x * y
    return out


def tadd(a, b, s=1):
    return [x + s * y for x, y in zip(a, b)]


def pairings(items):
    if not items:
        yield []
        return
    a = items[0]
    for k in range(1, len(items)):
        rest = items[1:k] + items[k + 1:]
        for p in pairings(rest):
            yield [(a, items[k])] + p


def cumulants(moment, idx, order):
    """Connected 4- and 6-point functions from the full moments (odd ones 0)."""
    m2 = lambda a, b: moment([a, b])
    if len(idx) == 4:
        c = moment(idx)
        for (a, b), (e, f) in pairings(list(idx)):
            c = tadd(c, tmul(m2(a, b), m2(e, f), order), -1)
        return c
    c = moment(idx)
    for four in itertools.combinations(range(6), 4):
        two = [i for i in range(6) if i not in four]
        c = tadd(c, tmul(moment([idx[i] for i in four]), m2(idx[two[0]], idx[two[1]]), order),
                 -1)
    for p in pairings(list(idx)):
        (a, b), (e, f), (g, h) = p
        c = tadd(c, [2 * x for x in tmul(tmul(m2(a, b), m2(e, f), order), m2(g, h), order)])
    return c


def miss(neft, path, order):
    """The largest relative miss of G2, G4c, G6c of the action's round trip."""
    with open(path) as f:
        data = json.load(f)
    P = len(data["inputs"])
    S = action(neft, path, order)
    if S is None:
        return None
    moment = correlators_of_action(S, P, order)
    worst = F(0)
    for c in data["correlators"]:
        n, idx = c["npt"], c["indices"]
        if n > 2 * order + 2:
            continue
        want = F(c["connected"]["mid"])
        got = sum(moment(idx)) if n == 2 else sum(cumulants(moment, idx, order))
        worst = max(worst, abs(got - want) / abs(want) if want else abs(got - want))
    return float(worst)


def round_trip(neft, tmp):
    """Single-layer nets have k4 exactly c4/N and k6 exactly c6/N^2 (and G2 =
    K at every width), so the action to O(1/N^order), expanded back to the
    same order, must give the inputs again exactly: what is left is the
    rounding of the balls (70 digits printed, 256-bit arithmetic; at 128 bits
    the near-degenerate Erf pair already loses 17 digits to K^-1's powers)."""
    cases = [("relu", "0", "-1;1"), ("relu", "0.5", "0.3;1"), ("erf", "0", "-0.2;0.6"),
             ("gauss", "1", "-0.3;0.1;0.5")]
    for act, sb, at in cases:
        for order in (1, 2):
            for w in ((5, 40) if act in ("relu", "erf") else (5,)):
                m = miss(neft, exact_file(neft, tmp, act, sb, at, w), order)
                if m is None:
                    continue
                print(f"  {act} sb={sb} N={w} order {order}: largest relative miss {m:.2e}")
                check(m < 1e-40, f"{act} sb={sb} N={w} order {order}: the action's correlators "
                      f"miss the inputs by {m:.3e} (relative) at the stated order")


def one_input(neft, tmp):
    """One input: lambda_4 = -k4/K^4 at O(1/N), lambda_2 = 1/K + k4/(2 K^3) (the
    Hermite polynomial He4 of the Edgeworth series, worked by hand)."""
    path = exact_file(neft, tmp, "erf", "1", "0.7", 10)
    S = action(neft, path, 1)
    with open(path) as f:
        d = {c["npt"]: F(c["connected"]["mid"]) for c in json.load(f)["correlators"]}
    K, k4 = d[2], d[4]
    lam = {c["n"]: c for c in S["couplings"]}
    got4 = mid(lam[4]["parts"][1])
    got2 = mid(lam[2]["parts"][0]) + mid(lam[2]["parts"][1])
    check(abs(got4 + k4 / K ** 4) < 1e-15 * abs(k4 / K ** 4),
          f"one input: lambda_4 {float(got4)} vs -k4/K^4 {float(-k4 / K ** 4)}")
    check(abs(got2 - (1 / K + k4 / (2 * K ** 3))) < 1e-15 / K,
          f"one input: lambda_2 {float(got2)} vs 1/K + k4/(2K^3)")
    S2 = action(neft, path, 2)
    r = float(F(S2["degree8"]["rad"])) if S2 else 1
    check(S2 is not None and F(S2["degree8"]["mid"]) == 0 or abs(float(F(S2["degree8"]["mid"]))) <= r,
          f"degree-8 coefficients must cancel: {S2 and S2['degree8']}")


def locality(neft, tmp):
    """GaussNet's quartic over five equally spaced inputs: the 70 sorted 4-tuples
    fall into 5 spreads (0, 0.4, .., 1.6) with 5, 12, 18, 20, 15 tuples (counted
    here), relative 1 at spread 0."""
    path = os.path.join(tmp, "gauss5.json")
    p = run(neft, "exact", "--activation", "gauss", "--d-in", "1", "--width", "100", "--at",
            "-0.6;-0.2;0.2;0.6;1", "--npt", "2,4", "--format", "json", "--output", path)
    check(p.returncode == 0, f"exact gauss: {p.stderr}")
    S = action(neft, path, 1)
    loc = S.get("locality", []) if S else []
    xs = [-0.6, -0.2, 0.2, 0.6, 1]
    want = {}
    for t in itertools.combinations_with_replacement(range(5), 4):
        sp = round(max(xs[i] for i in t) - min(xs[i] for i in t), 9)
        want[sp] = want.get(sp, 0) + 1
    got = {round(g["spread"], 9): g["tuples"] for g in loc}
    check(got == want and loc and loc[0]["relative"] == 1,
          f"locality groups {got} (expected {want}), first {loc[:1]}")


def refusals(neft, tmp):
    # bias-free ReLU on inputs of one sign: f(x) = x f(1), a degenerate density
    path = exact_file(neft, tmp, "relu", "0", "0.5;1", 10)
    p = run(neft, "action", path)
    check(p.returncode == 3 and "degenerate" in p.stderr and p.stdout == "",
          f"degenerate 2-point matrix: status {p.returncode}, {p.stderr!r}")
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        f.write('{"inputs": [[1]], "correlators": [\n  {"npt": 2, "indices": [0, 0]}\n]}\n')
    p = run(neft, "action", bad)
    check(p.returncode == 2 and bad in p.stderr and p.stderr.count("\n") == 1,
          f"bad file: status {p.returncode}, {p.stderr!r}")
    p = run(neft, "action", bad, "--order", "3")
    check(p.returncode == 2 and "--order" in p.stderr, f"--order 3: {p.stderr!r}")
    p = run(neft, "action")
    check(p.returncode == 2 and "DATA.json" in p.stderr, f"no file: {p.stderr!r}")


def main():
    neft = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        round_trip(neft, tmp)
        one_input(neft, tmp)
        locality(neft, tmp)
        refusals(neft, tmp)
    print(f"action: {'FAIL' if failures else 'PASS'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

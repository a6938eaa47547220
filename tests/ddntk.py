#!/usr/bin/env python3
"""The ddNTK of one input: `neft onen --ntk --order 1 --ddntk --format json`
(src/onen/ddntk.c, docs/onen.md "The ddNTK") against

1. the piecewise-linear recursion written out here in Python fractions, with its
   own K, Theta, B, F, P (docs/onen.md, the NTK sections), relu, leaky-relu and
   linear at depth 6 with bias and unequal widths: the exact strings, and the
   balls' midpoints;
2. one hidden layer of tanh, erf, sin and sigmoid with the five Gaussian
   expectations by a trapezoid rule here (the derivatives written out), 1e-8;
3. tanh, erf, sin, sigmoid at depth 4 with unequal widths: the step of the
   deeper layers written out here from the CLI's NTK table and expectations
   by the trapezoid rule, 1e-8;
4. the refusals: gelu with one and with two inputs, tanh with five distinct
   inputs exit 3 with nothing on stdout;
5. relu with two inputs (the member "ddntkm"): its (aaaa) entries are the
   one-input exact R, S, T, U at x_a; collinear inputs exit 3;
6. tanh and erf with two inputs: the (aaaa) entries of "ddntkm" are the
   one-input R, S, T, U at x_a (`--k1` = C_b + C_W x_a^2), within the balls,
   and S, T, U_abcd = S, T, U_badc, R_abcd = R_abdc in the JSON.

Usage: python3 tests/ddntk.py NEFT_BINARY [RULES_DIR]"""

import json
import math
import subprocess
import sys
from fractions import Fraction as Fr

NEFT = sys.argv[1]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def onen(*args):
    p = subprocess.run([NEFT, "onen", "--ntk", "--order", "1", "--ddntk", "--format", "json",
                        *args], capture_output=True, text=True)
    check(p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr))
    return json.loads(p.stdout) if p.returncode == 0 else None


# ---- 1. the piecewise-linear recursion in fractions -------------------------

SLOPES = {"relu": (Fr(1), Fr(0)), "leaky-relu": (Fr(1), Fr(1, 5)), "linear": (Fr(1), Fr(1))}


def pl_reference(act, cw, cb, lb, lw, k1, depth, widths):
    """[(S, T)] per layer: layer 2 from the one-hidden-layer formulas, then
    S' = (lw/cw) B' + cw^2 r p^2 S, T' = (lw/cw)^2 F' + lw cw r c1' p P + cw^2 r p^2 T
    with B' = cw^2 (s4 th^2 + r p^2 B), F' = cw^2 (s4 K th + r c1'^2 F),
    P' = 2 (lw/cw) F' + cw^2 r c1' p P (sigma'' = 0)."""
    ap, am = SLOPES[act]
    p, s4 = (ap ** 2 + am ** 2) / 2, (ap ** 4 + am ** 4) / 2     # c1' = p
    K, th, B, F, P = k1, lb + lw * (k1 - cb) / cw, Fr(0), Fr(0), Fr(0)
    S, T = Fr(0), Fr(0)
    out = [(S, T)]
    for l in range(1, depth):
        r = Fr(widths[l - 1], widths[l - 2]) if l >= 2 else Fr(1)
        nB = cw ** 2 * (s4 * th ** 2 + r * p ** 2 * B)
        nF = cw ** 2 * (s4 * K * th + r * p ** 2 * F)
        nP = 2 * lw / cw * nF + cw ** 2 * r * p * p * P
        nS = lw / cw * nB + cw ** 2 * r * p ** 2 * S
        nT = (lw / cw) ** 2 * nF + lw * cw * r * p * p * P + cw ** 2 * r * p ** 2 * T
        th = lb + lw * p * K + cw * p * th
        K = cb + cw * p * K
        B, F, P, S, T = nB, nF, nP, nS, nT
        out.append((S, T))
    return out


widths = [7, 12, 5, 9, 20]
for act in ("relu", "leaky-relu", "linear"):
    for cw, cb, k1, lb, lw in ((Fr(3, 2), Fr(1, 10), Fr(4, 5), Fr(1, 2), Fr(2)),
                               (Fr(2), Fr(0), Fr(1), Fr(0), Fr(1))):
        extra = ["--slope", "1/5"] if act == "leaky-relu" else []
        o = onen("--activation", act, *extra, "--cw", str(cw), "--cb", str(cb), "--depth", "6",
                 "--k1", str(k1), "--lambda-b", str(lb), "--lambda-w", str(lw),
                 "--widths", ",".join(map(str, widths)))
        if o is None:
            continue
        ref = pl_reference(act, cw, cb, lb, lw, k1, 6, widths)
        for l, (row, (S, T)) in enumerate(zip(o["ddntk"], ref), 1):
            ex = row["exact"]
            check(Fr(ex["S"]) == S and Fr(ex["T"]) == T and Fr(ex["R"]) == 0
                  and Fr(ex["U"]) == 0,
                  "%s cw=%s layer %d: S, T = %s, %s; fractions %s, %s" % (act, cw, l, ex["S"],
                                                                          ex["T"], S, T))
            check(abs(float(row["S"]["mid"]) - float(S)) <= 1e-15 * abs(float(S)),
                  "%s layer %d: the ball S is not the rational" % (act, l))

# ---- 2. one hidden layer, smooth rows, by quadrature ------------------------


def sig(z):
    return 1 / (1 + math.exp(-z))


ACTS = {
    "tanh": (math.tanh, lambda z: 1 - math.tanh(z) ** 2,
             lambda z: -2 * math.tanh(z) * (1 - math.tanh(z) ** 2),
             lambda z: -2 * (1 - math.tanh(z) ** 2) * (1 - 3 * math.tanh(z) ** 2)),
    "erf": (math.erf, lambda z: 2 / math.sqrt(math.pi) * math.exp(-z * z),
            lambda z: -4 * z / math.sqrt(math.pi) * math.exp(-z * z),
            lambda z: (4 * z * z - 2) * 2 / math.sqrt(math.pi) * math.exp(-z * z)),
    "sin": (math.sin, math.cos, lambda z: -math.sin(z), lambda z: -math.cos(z)),
    "sigmoid": (sig, lambda z: sig(z) * (1 - sig(z)),
                lambda z: sig(z) * (1 - sig(z)) * (1 - 2 * sig(z)),
                lambda z: sig(z) * (1 - sig(z)) * (1 - 2 * sig(z)) ** 2
                - 2 * (sig(z) * (1 - sig(z))) ** 2),
}

for act, (f, f1, f2, f3) in ACTS.items():
    cw, cb, k1, lb, lw = 1.5, 0.1, 1.3, 0.5, 2.0
    o = onen("--activation", act, "--cw", "3/2", "--cb", "1/10", "--depth", "2", "--k1", "13/10",
             "--lambda-b", "1/2", "--lambda-w", "2")
    if o is None:
        continue
    h, m = 1 / 128, [0.0] * 5
    for i in range(-12 * 128, 12 * 128 + 1):
        t = i * h
        z, w = math.sqrt(k1) * t, h * math.exp(-t * t / 2) / math.sqrt(2 * math.pi)
        s, d1, d2, d3 = f(z), f1(z), f2(z), f3(z)
        for k, v in enumerate((d1 ** 4, s * s * d1 * d1, s * d1 * d1 * d2, d1 * d1 * d2 * d2,
                               d1 ** 3 * d3)):
            m[k] += w * v
    s4, x, y, v, ww = m
    th = lb + lw * (k1 - cb) / cw
    want = {"R": cw * th ** 2 * (lw * y + cw * th * ww), "S": cw * th ** 2 * (lw * s4 + cw * th * v),
            "T": lw ** 2 * th * x + 2 * lw * cw * th ** 2 * y + cw ** 2 * th ** 3 * v,
            "U": cw ** 2 * th ** 3 * v}
    row = o["ddntk"][1]
    for key, val in want.items():
        got = float(row[key]["mid"])
        check(abs(got - val) <= 1e-8 * (1 + abs(val)),
              "%s depth 2: %s = %.12g, quadrature %.12g" % (act, key, got, val))
    check(all(float(o["ddntk"][0][k]["mid"]) == 0 for k in "RSTU"), "%s: layer 1 not 0" % act)

# ---- 3. deeper layers of the smooth rows: the step in Python -----------------
# R, S, T, U of layers 3.. from the CLI's own NTK table (Theta, K, B, F, P, Q:
# checked by tests/ntk_var.py) and the expectations by the trapezoid rule here
# (sigma'' and sigma''' written out): this checks the implementation of the
# step (docs/onen.md, "The ddNTK"), not its derivation (tests/t-ddntk.c does).


def expectations(f, K):
    f0, f1, f2, f3 = f
    h, e = 1 / 128, dict.fromkeys(("p", "s4", "x", "y", "v", "w", "c1p", "pp", "s2"), 0.0)
    for i in range(-12 * 128, 12 * 128 + 1):
        t = i * h
        z, wt = math.sqrt(K) * t, h * math.exp(-t * t / 2) / math.sqrt(2 * math.pi)
        s, d1, d2, d3 = f0(z), f1(z), f2(z), f3(z)
        for k, val in (("p", d1 * d1), ("s4", d1 ** 4), ("x", s * s * d1 * d1),
                       ("y", s * d1 * d1 * d2), ("v", d1 * d1 * d2 * d2), ("w", d1 ** 3 * d3),
                       ("c1p", d1 * d1 + s * d2), ("pp", d2 * d2 + d1 * d3), ("s2", d2 * d2)):
            e[k] += wt * val
    return e


def deep_reference(f, cw, lb, lw, ntk, widths):
    """[(R, S, T, U)] per layer from the NTK table (list of dicts of floats)"""
    th = ntk[0]["theta"]
    e = expectations(f, ntk[0]["K"])
    R = cw * th ** 2 * (lw * e["y"] + cw * th * e["w"])
    S = cw * th ** 2 * (lw * e["s4"] + cw * th * e["v"])
    U = cw ** 2 * th ** 3 * e["v"]
    T = lw ** 2 * th * e["x"] + 2 * lw * cw * th ** 2 * e["y"] + U
    out = [(0.0, 0.0, 0.0, 0.0), (R, S, T, U)]
    for l in range(2, len(ntk)):
        o, nt, r = ntk[l - 1], ntk[l], widths[l - 1] / widths[l - 2]
        e = expectations(f, o["K"])
        th, B, F, P, Q = o["theta"], o["B"], o["F"], o["P"], o["Q"]
        al, p, c1p, pp, s2 = Q - P / 2, e["p"], e["c1p"], e["pp"], e["s2"]
        g = cw ** 2 * r * p * p
        R = (lw * cw * (e["y"] * th ** 2 + r * p * (B * (c1p - p) + al * c1p))
             + cw ** 2 * th * (e["w"] * th ** 2 + r * p * (B * (pp - s2) + al * pp)) + g * R)
        S = lw / cw * nt["B"] + cw ** 2 * th * (e["v"] * th ** 2 + r * B * s2 * p) + g * S
        T = ((lw / cw) ** 2 * nt["F"] + lw * cw * (2 * e["y"] * th ** 2
                                                   + r * c1p * (2 * th * F * pp + P * p))
             + cw ** 2 * th * (e["v"] * th ** 2 + r * pp * (th * F * pp + P * p)) + g * T)
        U = cw ** 2 * e["v"] * th ** 3 + g * U
        out.append((R, S, T, U))
    return out


widths = [7, 12, 5]
for act, f in ACTS.items():
    cw = 4.0 if act == "sigmoid" else 1.5
    o = onen("--activation", act, "--cw", "4" if act == "sigmoid" else "3/2", "--cb", "1/10",
             "--depth", "4", "--k1", "13/10", "--lambda-b", "1/2", "--lambda-w", "2",
             "--widths", ",".join(map(str, widths)))
    if o is None:
        continue
    ntk = [{k: float(row[k]["mid"]) for k in ("K", "theta", "B", "F", "P", "Q")}
           for row in o["ntk"]]
    ref = deep_reference(f, cw, 0.5, 2.0, ntk, widths)
    for l, (row, want) in enumerate(zip(o["ddntk"], ref), 1):
        for key, val in zip("RSTU", want):
            got = float(row[key]["mid"])
            check(abs(got - val) <= 1e-8 * (1 + abs(val)),
                  "%s layer %d: %s = %.12g, reference %.12g" % (act, l, key, got, val))

# ---- 4. refusals --------------------------------------------------------------

for args in (["--activation", "gelu", "--cw", "1", "--cb", "0", "--depth", "2", "--d-in", "1",
              "--at", "1;2"],
             ["--activation", "gelu", "--cw", "2", "--cb", "0", "--depth", "2", "--k1", "1"],
             ["--activation", "tanh", "--cw", "1", "--cb", "1/10", "--depth", "2", "--d-in", "1",
              "--at", "1;-1;1/2;2;3"]):
    p = subprocess.run([NEFT, "onen", "--ntk", "--order", "1", "--ddntk", *args],
                       capture_output=True, text=True)
    check(p.returncode == 3 and p.stdout == "" and p.stderr.startswith("neft: unsupported"),
          "%s: exit %d, stdout %r" % (" ".join(args), p.returncode, p.stdout[:80]))

# ---- 5. several inputs (relu): the JSON member "ddntkm"; its (aaaa) entries are the
# one-input exact values at x_a; collinear (C_b = 0) inputs exit 3 ---------------------

def one_input(k1):
    p = subprocess.run([NEFT, "onen", "--ntk", "--order", "1", "--ddntk", "--format", "json",
                        "--activation", "relu", "--cw", "2", "--cb", "1/5", "--depth", "3",
                        "--k1", k1], capture_output=True, text=True)
    check(p.returncode == 0, "one input k1 = %s: exit %d" % (k1, p.returncode))
    return json.loads(p.stdout)["ddntk"]

p = subprocess.run([NEFT, "onen", "--ntk", "--order", "1", "--ddntk", "--format", "json",
                    "--activation", "relu", "--cw", "2", "--cb", "1/5", "--depth", "3",
                    "--d-in", "1", "--at", "1;2"], capture_output=True, text=True)
check(p.returncode == 0, "relu, two inputs: exit %d (%s)" % (p.returncode, p.stderr.strip()))
if p.returncode == 0:
    dm = json.loads(p.stdout)["ddntkm"]
    check(dm["inputs"] == 2 and len(dm["layers"]) == 3, "ddntkm: inputs, layers")
    for a, k1 in ((0, "11/5"), (1, "41/5")):      # K^(1) = C_b + C_W x^2
        one = one_input(k1)
        for l in range(3):
            for key in "RSTU":
                got = float(dm["layers"][l][key][3 * a][3 * a]["mid"])
                want = float(Fr(one[l]["exact"][key]))
                check(abs(got - want) <= 1e-12 * (1 + abs(want)),
                      "ddntkm layer %d %s_%d%d%d%d = %.15g, one input %.15g"
                      % (l + 1, key, a, a, a, a, got, want))
p = subprocess.run([NEFT, "onen", "--ntk", "--order", "1", "--ddntk", "--activation", "relu",
                    "--cw", "2", "--cb", "0", "--depth", "2", "--d-in", "1", "--at", "1;2"],
                   capture_output=True, text=True)
check(p.returncode == 3 and p.stdout == "" and "linearly dependent" in p.stderr,
      "relu, collinear inputs: exit %d, stdout %r" % (p.returncode, p.stdout[:80]))

# ---- 6. several inputs, smooth rows: (aaaa) against one input, symmetries -------------------

def ball(b):
    return float(b["mid"]), float(b["rad"])


for act in ("tanh", "erf"):
    common = ["--activation", act, "--cw", "3/2", "--cb", "1/10", "--lambda-b", "1/2",
              "--lambda-w", "2", "--depth", "3"]
    p = subprocess.run([NEFT, "onen", "--ntk", "--order", "1", "--ddntk", "--format", "json",
                        *common, "--d-in", "1", "--at", "1;-1/2"], capture_output=True,
                       text=True)
    check(p.returncode == 0, "%s, two inputs: exit %d (%s)" % (act, p.returncode,
                                                               p.stderr.strip()))
    if p.returncode != 0:
        continue
    dm = json.loads(p.stdout)["ddntkm"]
    for a, k1 in ((0, "8/5"), (1, "19/40")):       # K^(1) = C_b + C_W x^2
        q = subprocess.run([NEFT, "onen", "--ntk", "--order", "1", "--ddntk", "--format",
                            "json", *common, "--k1", k1], capture_output=True, text=True)
        check(q.returncode == 0, "%s one input k1 = %s: exit %d" % (act, k1, q.returncode))
        if q.returncode != 0:
            continue
        one = json.loads(q.stdout)["ddntk"]
        for l in range(1, 3):
            for key in "RSTU":
                m, r = ball(dm["layers"][l][key][3 * a][3 * a])
                m1, r1 = ball(one[l][key])
                check(abs(m - m1) <= r + r1 + 1e-12 and r < 1e-6 * (1 + abs(m)),
                      "%s ddntkm layer %d %s_%d%d%d%d = %.15g +/- %.2g, one input %.15g"
                      % (act, l + 1, key, a, a, a, a, m, r, m1))
    for l in range(1, 3):
        for a in range(2):
            for b in range(2):
                for c in range(2):
                    for d in range(2):
                        for key in "RSTU":
                            row = 2 * a + b if key == "R" else 2 * b + a
                            m, r = ball(dm["layers"][l][key][2 * a + b][2 * c + d])
                            m2, r2 = ball(dm["layers"][l][key][row][2 * d + c])
                            check(abs(m - m2) <= r + r2,
                                  "%s layer %d %s_%d%d%d%d = %.12g, swapped %.12g"
                                  % (act, l + 1, key, a, b, c, d, m, m2))

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: the ddNTK's exact recursion (relu, leaky-relu, linear, depth 6, unequal widths), "
      "one hidden layer of tanh, erf, sin, sigmoid by quadrature, their depth-4 step, the refusals, "
      "relu, tanh, erf with two inputs against one")

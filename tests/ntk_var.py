#!/usr/bin/env python3
"""The NTK of one input at O(1/n): `neft onen --ntk --order 1` (src/onen/ntk_var.c,
docs/onen.md "The NTK at finite width") -- its mean shift Theta1, fluctuation
A, B and cross-correlation with z^2, D, F per layer, and the dNTK's
cross-correlation with z, P and Q -- against

1. one hidden layer in closed form (exact fractions): the output NTK is an
   average over the n hidden neurons, H_ii = lambda_b + (1/n) sum_j
   [lambda_W s_j^2 + C_W Theta^(1) w_ij^2 s'_j^2], so A = Var u, A + 2B =
   Var Y, D = C_W Cov(u, s^2), D + 2F = C_W Cov(Y, w^2 s^2) with u = lambda_W s^2
   + C_W Theta^(1) s'^2, Y = lambda_W s^2 + C_W Theta^(1) w^2 s'^2, w ~ N(0,1)
   independent of z ~ N(0, K^(1)), and Theta1 = 0 (relu, leaky-relu, linear);
   the dNTK of the one-hidden-layer net written out, dH_{i0 i1 i2} =
   (lambda_W Theta^(1)/n) sum_j s_j s'_j^2 (d_{i0 i1} w_{i2 j} + d_{i0 i2} w_{i1 j}
   + 2 d_{i1 i2} w_{i0 j}) + 2 Theta^(1)^2 sum_j w_{i0 j} w_{i1 j} w_{i2 j} s'_j^2 s''_j,
   against z_{i3} = b + sum_j w_{i3 j} s_j (Wick in w, Var w = C_W/n):
   P = 2 lambda_W C_W Theta^(1) E[s^2 s'^2] + 2 C_W^2 Theta^(1)^2 E[s s'^2 s''],
   Q = lambda_W C_W Theta^(1) E[s^2 s'^2] + 2 C_W^2 Theta^(1)^2 E[s s'^2 s''],
   the second term 0 for the piecewise-linear rows (s'' is a delta at s = 0);
2. the recursion re-implemented here in Python fractions, relu, leaky-relu and
   linear at depth 6 with bias and unequal widths (the exact strings);
3. tanh, erf and sin at depth 4 against the same recursion with every
   Gaussian expectation by the trapezoid rule here (derivatives in K by Hermite
   weights, sigma' evaluated directly), relative 1e-7;
4. the empirical NTK of sampled nets (`neft train --ensemble`: mean and
   variance over the ensemble, with jackknife errors): relu depth 3 and tanh
   depth 5 at widths 20 and 100.  The mean must agree with Theta + Theta1/n
   and n Var H with A + 2B within 4 errors plus the next order, estimated
   from a run at width 10 assuming a 1/n^2 remainder (as tests/onen_samples.py);
   for tanh the shift Theta1/n must be resolved at width 20 (beyond 4 errors
   plus the next order) and the O(1/n) prediction must be closer than the
   leading order.

Usage: python3 tests/ntk_var.py NEFT_BINARY [RULES_DIR] [--quick]
(--quick, the sanitizer build: a quarter of the nets, except tanh at widths 10 and 20)"""

import json
import math
import os
import subprocess
import sys
import tempfile
from fractions import Fraction as Fr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from neftio import Checks  # noqa: E402

check = Checks()
NEFT = sys.argv[1]
QUICK = "--quick" in sys.argv


def onen(*args):
    p = subprocess.run([NEFT, "onen", "--ntk", "--order", "1", "--format", "json", *args],
                       capture_output=True, text=True)
    if not check(p.returncode == 0, "onen %s: exit %d %s" % (args, p.returncode, p.stderr)):
        return None
    return json.loads(p.stdout)


SLOPES = {"relu": (Fr(1), Fr(0)), "leaky-relu": (Fr(1), Fr(1, 10)), "linear": (Fr(1), Fr(1))}


def pl_args(act):
    return ["--activation", act] + (["--slope", "1/10"] if act == "leaky-relu" else [])


# ---- 1. one hidden layer in closed form ------------------------------------

def depth2_closed(act, cw, cb, k1, lb, lw):
    """Theta, A, B, D, F at depth 2 from the single-neuron moments.  With
    e(k, j) = E[z^k s'(z)^j] for z ~ N(0, K): s = z s', s'^j = a_+^j H(z) +
    a_-^j H(-z), E[z^k H(z)] = (k-1)!! K^(k/2) / 2 for even k."""
    ap, am = SLOPES[act]

    def e(k, j):   # E[z^k s'^j], k even
        dfact = 1
        for i in range(k - 1, 0, -2):
            dfact *= i
        return Fr(dfact) * k1 ** (k // 2) * (ap ** j + am ** j) / 2

    th1 = lb + lw * (k1 - cb) / cw
    # u = lw s^2 + cw th1 s'^2 = lw z^2 s'^2 + cw th1 s'^2
    Eu = lw * e(2, 2) + cw * th1 * e(0, 2)
    Eu2 = lw ** 2 * e(4, 4) + 2 * lw * cw * th1 * e(2, 4) + (cw * th1) ** 2 * e(0, 4)
    A = Eu2 - Eu ** 2
    # Y = lw s^2 + cw th1 w^2 s'^2, E[w^2] = 1, E[w^4] = 3
    EY2 = lw ** 2 * e(4, 4) + 2 * lw * cw * th1 * e(2, 4) + 3 * (cw * th1) ** 2 * e(0, 4)
    var = EY2 - Eu ** 2
    B = (var - A) / 2
    # D = cw Cov(u, s^2); D + 2F = cw Cov(Y, w^2 s^2)
    Es2 = e(2, 2)
    D = cw * (lw * e(4, 4) + cw * th1 * e(2, 4) - Eu * Es2)
    cov = cw * (lw * e(4, 4) + 3 * cw * th1 * e(2, 4) - Eu * Es2)
    F = (cov - D) / 2
    theta = lb + lw * (cb + cw * e(2, 2) - cb) / cw + cw * e(0, 2) * th1
    P = 2 * lw * cw * th1 * e(2, 4)
    return {"theta": theta, "theta1": Fr(0), "A": A, "B": B, "D": D, "F": F, "var": var,
            "cov_z2": cov, "P": P, "Q": P / 2}


for act in ("relu", "leaky-relu", "linear"):
    for cw, cb, k1, lb, lw in ((Fr(2), Fr(0), Fr(1), Fr(1), Fr(1)),
                               (Fr(3, 2), Fr(1, 5), Fr(7, 10), Fr(0), Fr(1)),
                               (Fr(1), Fr(1, 2), Fr(2), Fr(3), Fr(1, 4))):
        o = onen(*pl_args(act), "--cw", str(cw), "--cb", str(cb), "--depth", "2",
                 "--k1", str(k1), "--lambda-b", str(lb), "--lambda-w", str(lw))
        if o is None:
            continue
        want = depth2_closed(act, cw, cb, k1, lb, lw)
        got = o["ntk"][1]["exact"]
        for key, val in want.items():
            check(Fr(got[key]) == val, "%s cw=%s cb=%s k1=%s lb=%s lw=%s depth 2: %s = %s, "
                  "closed form %s" % (act, cw, cb, k1, lb, lw, key, got[key], val))
        check(all(Fr(v) == 0 for k, v in o["ntk"][0]["exact"].items() if k != "theta"),
              "%s: layer 1 is deterministic" % act)


# ---- 2. deep nets: the recursion in fractions ------------------------------

def recursion(mom, cw, cb, lb, lw, k1, depth, widths):
    """The layer recursion of docs/onen.md; mom(K) gives c1, c1', c1'', c2, p,
    p', p'', s4, x22, y = <s s'^2 s''> at K; widths n_1..n_{L-1}."""
    K, V, G1 = k1, 0, 0
    th, th1, A, B, D, F, P, Q = lb + lw * (k1 - cb) / cw, 0, 0, 0, 0, 0, 0, 0
    out = [dict(K=K, theta=th, theta1=th1, A=A, B=B, D=D, F=F, P=P, Q=Q)]
    for l in range(1, depth):
        c1, c1p, c1pp, c2, p, pp, ppp, s4, x22, y = mom(K)
        r = Fr(widths[l - 1], widths[l - 2]) if l >= 2 else 1
        nV = cw ** 2 * (c2 + r * c1p ** 2 * V)
        nG1 = r * (cw * c1p * G1 + cw * c1pp * V / 2)
        nth1 = r * (lw * (c1p * G1 + c1pp * V / 2)
                    + cw * (p * th1 + th * (pp * G1 + ppp * V / 2) + pp * (D + 2 * F)))
        cross = th * (x22 - c1 * p) + r * c1p * (p * D + th * pp * V)
        vg = c2 + r * c1p ** 2 * V
        nD = cw * lw * vg + cw ** 2 * cross
        nA = (lw ** 2 * vg + 2 * lw * cw * cross
              + cw ** 2 * (th ** 2 * (s4 - p ** 2)
                           + r * (p ** 2 * A + 2 * p * th * pp * D + th ** 2 * pp ** 2 * V)))
        nB = cw ** 2 * (s4 * th ** 2 + r * p ** 2 * B)
        nF = cw ** 2 * (x22 * th + r * c1p ** 2 * F)
        # the dNTK (docs/onen.md): <s s''> = c1' - p by Stein
        nP = 2 * lw * nF / cw + cw ** 2 * (2 * y * th ** 2 + r * c1p * (2 * th * pp * F + p * P))
        nQ = lw * nF / cw + cw ** 2 * (2 * y * th ** 2 + r * (c1p * (th * pp * F + p * Q)
                                                               + p * (c1p - p) * B))
        th = lb + lw * c1 + cw * p * th
        K, V, G1 = cb + cw * c1, nV, nG1
        th1, A, B, D, F, P, Q = nth1, nA, nB, nD, nF, nP, nQ
        out.append(dict(K=K, theta=th, theta1=th1, A=A, B=B, D=D, F=F, P=P, Q=Q))
    return out


def pl_moments(act):
    ap, am = SLOPES[act]
    s2, s4 = (ap ** 2 + am ** 2) / 2, (ap ** 4 + am ** 4) / 2

    def mom(K):
        return (s2 * K, s2, 0, 3 * s4 * K ** 2 - (s2 * K) ** 2, s2, 0, 0, s4, s4 * K, 0)
    return mom


widths = [7, 12, 5, 9, 20]
for act in ("relu", "leaky-relu", "linear"):
    cw, cb, k1, lb, lw = Fr(3, 2), Fr(1, 10), Fr(4, 5), Fr(1, 2), Fr(2)
    o = onen(*pl_args(act), "--cw", str(cw), "--cb", str(cb), "--depth", "6", "--k1", str(k1),
             "--lambda-b", str(lb), "--lambda-w", str(lw),
             "--widths", ",".join(map(str, widths)))
    if o is None:
        continue
    ref = recursion(pl_moments(act), cw, cb, lb, lw, k1, 6, widths)
    for l, (row, want) in enumerate(zip(o["ntk"], ref)):
        for key in ("theta", "theta1", "A", "B", "D", "F", "P", "Q"):
            check(Fr(row["exact"][key]) == want[key],
                  "%s depth 6 layer %d: %s = %s, fractions %s" % (act, l + 1, key,
                                                                  row["exact"][key], want[key]))
        if l >= 1:
            n = widths[l - 1]
            mean = want["theta"] + want["theta1"] / n
            var = (want["A"] + 2 * want["B"]) / n
            check(row["width"] == n and abs(float(row["mean_at_width"]["mid"]) - mean) < 1e-15 * abs(mean) + 1e-300
                  and abs(float(row["var_at_width"]["mid"]) - var) <= 1e-15 * var,
                  "%s layer %d: the predictions at width %d" % (act, l + 1, n))
    check(all(Fr(row["exact"]["theta1"]) == 0 for row in o["ntk"]),
          "%s: no O(1/n) shift of the NTK's mean (z -> -z symmetry of s'^2)" % act)


# bias-free ReLU at criticality (C_W = 2, K = 1, lambda_b = 0, lambda_W = 1): Theta = l/2,
# V = 5(l-1), and the recursions sum in closed form (docs/onen.md):
# B = sum_{m<l} m^2/2, D = 3l(l-1)/2, A = sum_{m<l} (7m^2 + m)/4, F = l(l-1)/2,
# so Var H / Theta^2 -> (11/3) l/n at large depth; the dNTK P = (l-1) l (l+1)/6 = 2Q,
# P/Theta^2 -> (2/3) l
o = onen("--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "12", "--k1", "1",
         "--lambda-b", "0")
if o is not None:
    for l, row in enumerate(o["ntk"], 1):
        want = {"theta": Fr(l, 2), "theta1": 0, "B": sum(Fr(m * m, 2) for m in range(1, l)),
                "D": Fr(3 * l * (l - 1), 2), "A": sum(Fr(7 * m * m + m, 4) for m in range(1, l)),
                "F": Fr(l * (l - 1), 2), "P": Fr((l - 1) * l * (l + 1), 6),
                "Q": Fr((l - 1) * l * (l + 1), 12)}
        for key, val in want.items():
            check(Fr(row["exact"][key]) == val, "critical relu layer %d: %s = %s, closed sum %s"
                  % (l, key, row["exact"][key], val))


# ---- 3. smooth activations against quadrature -------------------------------

STEP, HALF = 0.02, 12.0
GRID = [i * STEP - HALF for i in range(int(2 * HALF / STEP) + 1)]
WGT = [math.exp(-x * x / 2) * STEP / math.sqrt(2 * math.pi) for x in GRID]


def gauss(f, K, herm=0):
    """E[f(sqrt K xi) He_herm(xi)] by the trapezoid rule"""
    sk = math.sqrt(K)
    he = {0: lambda x: 1.0, 2: lambda x: x * x - 1, 4: lambda x: x ** 4 - 6 * x * x + 3}[herm]
    return sum(w * f(sk * x) * he(x) for x, w in zip(GRID, WGT))


SMOOTH = {
    "tanh": (math.tanh, lambda z: 1 / math.cosh(z) ** 2,
             lambda z: -2 * math.tanh(z) / math.cosh(z) ** 2),
    "erf": (math.erf, lambda z: 2 / math.sqrt(math.pi) * math.exp(-z * z),
            lambda z: -4 * z / math.sqrt(math.pi) * math.exp(-z * z)),
    "sin": (math.sin, math.cos, lambda z: -math.sin(z)),
}


def smooth_moments(act):
    s, ds, dds = SMOOTH[act]

    def mom(K):
        f2 = lambda z: s(z) ** 2
        g2 = lambda z: ds(z) ** 2
        c1 = gauss(f2, K)
        return (c1, gauss(f2, K, 2) / (2 * K), gauss(f2, K, 4) / (4 * K * K),
                gauss(lambda z: s(z) ** 4, K) - c1 * c1, gauss(g2, K),
                gauss(g2, K, 2) / (2 * K), gauss(g2, K, 4) / (4 * K * K),
                gauss(lambda z: ds(z) ** 4, K), gauss(lambda z: s(z) ** 2 * ds(z) ** 2, K),
                gauss(lambda z: s(z) * ds(z) ** 2 * dds(z), K))
    return mom


for act, cw, cb, k1, lb, lw in (("tanh", 1.5, 0.1, 0.8, 1.0, 1.0), ("erf", 1.0, 0.2, 0.5, 0.0, 1.0),
                                ("sin", 1.2, 0.05, 0.6, 0.5, 2.0)):
    o = onen("--activation", act, "--cw", str(Fr(cw).limit_denominator(100)),
             "--cb", str(Fr(cb).limit_denominator(100)), "--depth", "4",
             "--k1", str(Fr(k1).limit_denominator(100)), "--lambda-b",
             str(Fr(lb).limit_denominator(100)), "--lambda-w", str(Fr(lw).limit_denominator(100)),
             "--prec", "64")
    if o is None:
        continue
    ref = recursion(smooth_moments(act), cw, cb, lb, lw, k1, 4, [10, 10, 10])
    for l, (row, want) in enumerate(zip(o["ntk"], ref)):
        for key in ("theta", "theta1", "A", "B", "D", "F", "P", "Q"):
            b = row[key]
            mid, rad = float(b["mid"]), float(b["rad"])
            scale = max(abs(want[key]), 1e-3 * abs(want["theta"]))
            check(abs(mid - want[key]) <= 1e-7 * scale + rad and rad < 1e-9 * scale + 1e-15,
                  "%s layer %d: %s = %s +/- %s, quadrature %.12g" % (act, l + 1, key, mid, rad,
                                                                    want[key]))
    check(abs(float(o["ntk"][3]["theta1"]["mid"])) > 1e-3,
          "%s: the smooth activation has an O(1/n) shift of the NTK's mean" % act)


# ---- refusals and the formulas ---------------------------------------------

for args, status, what in (
        (["--activation", "gelu", "--cw", "1", "--cb", "0", "--depth", "3", "--k1", "1"], 3,
         "gelu: the NTK at O(1/n) needs"),
        (["--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "3", "--at",
          "1;2;3;4;5;6;7;8;9", "--d-in", "1"], 3, "at most 8 inputs")):
    p = subprocess.run([NEFT, "onen", "--ntk", "--order", "1", *args], capture_output=True,
                       text=True)
    check(p.returncode == status and what in p.stderr and p.stdout == "",
          "refusal %s: exit %d, %r" % (args, p.returncode, p.stderr))
p = subprocess.run([NEFT, "onen", "--order", "1", "--activation", "relu", "--cw", "2", "--cb",
                    "0", "--depth", "3", "--k1", "1"], capture_output=True, text=True)
check(p.returncode == 2 and "--order 1 goes with --ntk" in p.stderr,
      "--order without --ntk: exit %d %r" % (p.returncode, p.stderr))
p = subprocess.run([NEFT, "onen", "--ntk", "--formulas"], capture_output=True, text=True)
check(p.returncode == 0 and "B^(l+1)      = C_W^2 [s_4 Theta^2 + r p^2 B]" in p.stdout
      and "F^(l+1)      = C_W^2 [x Theta + r c_1'^2 F]" in p.stdout,
      "--ntk --formulas: %r" % p.stdout[:200])
p = subprocess.run([NEFT, "onen", "--ntk", "--formulas", "--format", "latex"],
                   capture_output=True, text=True)
check(p.returncode == 0 and p.stdout.startswith("\\begin{align*}")
      and p.stdout.count("\\begin") == p.stdout.count("\\end{align*}") == 1,
      "--ntk --formulas --format latex: %r" % p.stdout[:200])


# ---- 4. sampled nets ---------------------------------------------------------

def ensemble(tmp, act, cw, cb, depth, x, lb, lw, width, models):
    data = os.path.join(tmp, "one.csv")
    with open(data, "w") as f:
        f.write("# x, y\n%s, 1\n" % x)
    p = subprocess.run([NEFT, "train", "--ensemble", "--data", data, "--at", x, "--activation",
                        act, "--cw", cw, "--cb", cb, "--depth", str(depth), "--width",
                        str(width), "--models", str(models), "--eta", "1/10", "--steps", "1",
                        "--lambda-b", lb, "--lambda-w", lw, "--prec", "64", "--format",
                        "json"], capture_output=True, text=True)
    if not check(p.returncode == 0, "train --ensemble %s width %d: %s" % (act, width, p.stderr)):
        return None
    e = json.loads(p.stdout)
    m, v = e["ntk"][0][0], e["ntk_var"][0][0]
    return m["value"], m["stderr"], v["value"], v["stderr"]


CASES = [
    # activation, C_W, C_b, depth, x, lambda_b, lambda_W, models (widths 10, 20, 100)
    ("relu", "2", "0", 3, "1", "1", "1", (20000, 20000, 10000)),
    ("tanh", "1", "0", 5, "1/2", "0", "1", (20000, 20000, 5000)),
]
with tempfile.TemporaryDirectory() as tmp:
    for act, cw, cb, depth, x, lb, lw, models in CASES:
        if QUICK:
            # a quarter of the nets, but the tanh shift must stay resolved at width 20
            models = tuple(m // (1 if act == "tanh" and w < 100 else 4)
                           for m, w in zip(models, (10, 20, 100)))
        o = onen("--activation", act, "--cw", cw, "--cb", cb, "--depth", str(depth),
                 "--at", x, "--d-in", "1", "--lambda-b", lb, "--lambda-w", lw, "--prec", "64")
        if o is None:
            continue
        top = o["ntk"][-1]
        th, th1, var = (float(top[k]["mid"]) for k in ("theta", "theta1", "var"))
        ms = ensemble(tmp, act, cw, cb, depth, x, lb, lw, 10, models[0])
        if ms is None:
            continue
        # next order at width 10 (a 1/n^2 remainder): n_s^2 |m - pred| + 3 n_s^2 err
        nm = 100 * abs(ms[0] - th - th1 / 10) + 300 * ms[1]
        nv = 10 * abs(10 * ms[2] - var) + 30 * 10 * ms[3]
        for width, M in ((20, models[1]), (100, models[2])):
            m = ensemble(tmp, act, cw, cb, depth, x, lb, lw, width, M)
            if m is None:
                continue
            mean, merr, v, verr = m
            pred = th + th1 / width
            print("%s depth %d width %d: E[H] measured %.5f +/- %.5f, leading %.5f, O(1/n) %.5f "
                  "(pulls %.1f, %.1f); n Var H measured %.4f +/- %.4f, A + 2B %.4f (pull %.1f)"
                  % (act, depth, width, mean, merr, th, pred, (mean - th) / merr,
                     (mean - pred) / merr, width * v, width * verr, var,
                     (width * v - var) / (width * verr)))
            check(abs(mean - pred) <= 4 * merr + nm / width ** 2,
                  "%s width %d: mean %.5f +/- %.5f against Theta + Theta1/n = %.5f (next order "
                  "%.2g)" % (act, width, mean, merr, pred, nm / width ** 2))
            check(abs(width * v - var) <= 4 * width * verr + nv / width,
                  "%s width %d: n Var H = %.4f +/- %.4f against A + 2B = %.4f (next order %.2g)"
                  % (act, width, width * v, width * verr, var, nv / width))
            if act == "tanh" and width == 20:
                check(abs(th1 / width) > 4 * merr + nm / width ** 2,
                      "tanh width 20: Theta1/n = %.5f not resolved (error %.5f, next order %.2g)"
                      % (th1 / width, merr, nm / width ** 2))
                check(abs(mean - pred) < abs(mean - th),
                      "tanh width 20: the O(1/n) prediction %.5f is no closer to %.5f than "
                      "the leading order %.5f" % (pred, mean, th))

check.finish("ntk_var: {passed}/{total} checks passed")

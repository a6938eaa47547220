#!/usr/bin/env python3
"""The NTK of two inputs at O(1/n): `neft onen --ntk --order 1 --at "x0;x1"`
(src/onen/ntk2*.c, docs/onen.md "The NTK of two inputs at O(1/n)") against the
recursion written here with Gaussian expectations of its own:

- relu, leaky-relu: E[f(z_0, z_1)] for f homogeneous of degree m in polar coordinates,
  (2^{m/2} Gamma(m/2 + 1)/(2 pi)) int f(L (cos t, sin t)) dt, Gauss-Legendre on
  the angular sectors between the kinks; tanh, erf, sin, sigmoid: a 2-D
  trapezoid rule on the Cholesky factor, 65 nodes on [-9, 9] per axis (129 at the
  large kernels) (sigma and sigma' evaluated directly:
  the C code uses moments of sigma, Gaussian reweighting and arcsines for erf,
  exponentials for sin);
- every K-derivative by central finite differences of those expectations
  (the C code uses closed forms and Price's theorem), the first derivatives
  <d_g f> by Stein's identity E[d f] = K^-1 E[z f] (not Price), and the
  one-neuron covariances of A, D as covariances of the one-neuron sums
  X_P = lambda_W s_a s_b + C_W Theta_P s'_a s'_b themselves;
- relu, erf, sin with unequal widths (r != 1) at depth 4, leaky-relu (slope
  1/5), tanh, erf, sin, sigmoid at depth 3; agreement to
  a relative 2e-5 of each entry's scale (finite differences);
- the dNTK's P and Q over the 16 ordered 4-tuples: y = <s' s'' s' s> and
  <s'' s> with sigma'' evaluated directly, u = <d(s'' s')> by Stein;
- sigmoid at one input against the reference's (00) entries;
- tanh and sigmoid at d_in = 1, inputs 1 and 2 (K^(1)_11 = 6.1 and 16.1; exit 1 before the
  second pass of the 2-D rule);
- the exits: gelu (no two-input data) 3, nine inputs 3, relu inputs linearly dependent
  at layer 1 (collinear pairs, three in d_in = 1 with a bias, ..) or of variance 0: 3; one input twice: every entry is the one-input value;
  two to four copies of one input (with --ddntk too; relu and leaky-relu at C_b = 0,
  tanh, sigmoid, erf, sin): every entry of every table, beta and alpha as P/2 and
  Q - P/2, is the one-input value; tanh and sigmoid --ddntk at 1 and 1 + 1e-6 are
  continuous with the coincident values (within the radii plus 1e-5).

This checks the implementation (indexing, closed forms, the arcsine terms),
not the derivation (that is t-ntk2.c's sampled nets).

Usage: python3 tests/ntk2.py NEFT_BINARY"""

import json
from fractions import Fraction as Fr
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from neftio import Checks  # noqa: E402
from quadrature import gl_rule  # noqa: E402

check = Checks()
NEFT = sys.argv[1]
PAIRS = [(0, 0), (0, 1), (1, 1)]
OPAIRS = [(0, 0), (0, 1), (1, 0), (1, 1)]


def onen(*args, expect=0):
    p = subprocess.run([NEFT, "onen", "--ntk", "--order", "1", "--format", "json", *args],
                       capture_output=True, text=True)
    if not check(p.returncode == expect, "onen %s: exit %d (expected %d) %s"
                 % (args, p.returncode, expect, p.stderr)):
        return None
    return json.loads(p.stdout) if expect == 0 else p


def mid(b):
    return float(b["mid"])


GL = gl_rule(40)


def chol(K):
    a = math.sqrt(K[0][0])
    return ((a, 0.0), (K[0][1] / a, math.sqrt(max(K[1][1] - K[0][1] ** 2 / K[0][0], 0.0))))


# ---- the activations ---------------------------------------------------------

class Relu:
    """relu (slope 0) or leaky-relu: E[F] for F(z0, z1) = prod_i z_i^{m_i}
    w(sign z_i), F(ru) = r^m F(u)"""
    def __init__(self, slope=0.0):
        self.s = slope

    def sig(self, z):
        return z if z > 0 else self.s * z

    def dsig(self, z):
        return 1.0 if z > 0 else self.s

    def d2sig(self, z):
        return 0.0      # away from the kink: the nets' own derivatives (as the C code)

    def expect(self, K, F, m):
        L = chol(K)
        # the kinks: z0 = 0 at t = +-pi/2, z1 = 0 where L10 cos t + L11 sin t = 0
        phi = math.atan2(L[1][1], L[1][0])
        cuts = sorted({(c + math.pi) % (2 * math.pi) - math.pi
                       for c in (math.pi / 2, -math.pi / 2, phi + math.pi / 2,
                                 phi - math.pi / 2)})
        cuts = cuts + [cuts[0] + 2 * math.pi]
        tot = 0.0
        for a, b in zip(cuts, cuts[1:]):
            if b - a < 1e-15:
                continue
            for x, w in zip(*GL):
                t = (a + b) / 2 + (b - a) / 2 * x
                c, s = math.cos(t), math.sin(t)
                tot += w * (b - a) / 2 * F(L[0][0] * c, L[1][0] * c + L[1][1] * s)
        return tot * 2 ** (m / 2) * math.gamma(m / 2 + 1) / (2 * math.pi)


class Smooth:
    """a smooth row: sigma and sigma' evaluated directly, E[F] by a 2-D
    trapezoid rule on the Cholesky factor"""
    N, R = 65, 9.0

    def __init__(self, f, df, d2f):
        self.sig, self.dsig, self.d2sig = f, df, d2f

    def expect(self, K, F, m):
        L = chol(K)
        h = 2 * self.R / (self.N - 1)
        xs = [-self.R + i * h for i in range(self.N)]
        ws = [h * math.exp(-x * x / 2) / math.sqrt(2 * math.pi) for x in xs]
        tot = 0.0
        for x, wx in zip(xs, ws):
            z0 = L[0][0] * x
            for y, wy in zip(xs, ws):
                tot += wx * wy * F(z0, L[1][0] * x + L[1][1] * y)
        return tot


def prod(act, spec):
    """F(z0, z1) = prod over spec of ('s' | 'd' | '2' (sigma''), input)"""
    def F(z0, z1):
        z = (z0, z1)
        v = 1.0
        for kind, a in spec:
            v *= (act.sig(z[a]) if kind == "s" else act.dsig(z[a]) if kind == "d"
                  else act.d2sig(z[a]))
        return v
    return F


def deg(act, spec):
    return sum(1 for k, _ in spec if k == "s")


def E(act, K, spec):
    return act.expect(K, prod(act, spec), deg(act, spec))


def shifted(K, R, h):
    a, b = PAIRS[R]
    K2 = [list(K[0]), list(K[1])]
    K2[a][b] += h
    if a != b:
        K2[b][a] += h
    return K2


def d1(f, K, R, h=1e-4):
    return (f(shifted(K, R, h)) - f(shifted(K, R, -h))) / (2 * h)


def d2(f, K, R, S, h=5e-4):
    def g(k):
        return d1(f, k, S, h)
    return (g(shifted(K, R, h)) - g(shifted(K, R, -h))) / (2 * h)


# ---- the recursion -------------------------------------------------------------

def reference(act, cw, cb, lb, lw, x, d_in, depth, widths):
    """per layer dicts K, theta, theta1, G1 (by pair), V, A, D (pair x pair),
    B, F (ordered pair x ordered pair)"""
    K = [[cb + cw * sum(x[a][k] * x[b][k] for k in range(d_in)) / d_in for b in range(2)]
         for a in range(2)]
    th = [lb + lw * (K[a][b] - cb) / cw for a, b in PAIRS]
    st = {"K": [K[a][b] for a, b in PAIRS], "theta": th, "theta1": [0.0] * 3,
          "G1": [0.0] * 3, "V": [[0.0] * 3 for _ in range(3)],
          "A": [[0.0] * 3 for _ in range(3)], "D": [[0.0] * 3 for _ in range(3)],
          "B": [[0.0] * 4 for _ in range(4)], "F": [[0.0] * 4 for _ in range(4)],
          "P": [[0.0] * 4 for _ in range(4)], "Q": [[0.0] * 4 for _ in range(4)]}
    out = [st]
    for l in range(1, depth):
        # n_l / n_{l-1}; out of layer 1 every O(1/n) quantity is 0, so r is not needed
        r = widths[l] / widths[l - 1] if l >= 2 else 1.0
        t, G1, V, A, D, B, Fm, th1 = (st["theta"], st["G1"], st["V"], st["A"], st["D"],
                                      st["B"], st["F"], st["theta1"])
        Kc = [[st["K"][0], st["K"][1]], [st["K"][1], st["K"][2]]]

        def f2(k, P):
            a, b = PAIRS[P]
            return E(act, k, [("s", a), ("s", b)])

        def pp(k, P):
            a, b = PAIRS[P]
            return E(act, k, [("d", a), ("d", b)])

        F2 = [f2(Kc, P) for P in range(3)]
        Pp = [pp(Kc, P) for P in range(3)]
        D2 = [[d1(lambda k: f2(k, P), Kc, R) for R in range(3)] for P in range(3)]
        Dp = [[d1(lambda k: pp(k, P), Kc, R) for R in range(3)] for P in range(3)]
        H2 = [[[d2(lambda k: f2(k, P), Kc, R, S) for S in range(3)] for R in range(3)]
              for P in range(3)]
        Hp = [[[d2(lambda k: pp(k, P), Kc, R, S) for S in range(3)] for R in range(3)]
              for P in range(3)]

        def X(P):   # the one-neuron sum's factors
            a, b = PAIRS[P]
            return [(lw, [("s", a), ("s", b)]), (cw * t[P], [("d", a), ("d", b)])]

        def cov(u, v):
            return (sum(cu * cv * E(act, Kc, su + sv) for cu, su in u for cv, sv in v)
                    - sum(cu * E(act, Kc, su) for cu, su in u)
                    * sum(cv * E(act, Kc, sv) for cv, sv in v))

        ap = [[lw * D2[P][R] + cw * t[P] * Dp[P][R] for R in range(3)] for P in range(3)]
        bp = [cw * Pp[P] for P in range(3)]
        new = {"K": [cb + cw * F2[P] for P in range(3)]}
        new["theta"] = [lb + lw * F2[P] + cw * Pp[P] * t[P] for P in range(3)]
        new["G1"] = [r * cw * (sum(D2[P][R] * G1[R] for R in range(3))
                               + 0.5 * sum(H2[P][R][S] * V[R][S] for R in range(3)
                                           for S in range(3))) for P in range(3)]
        new["V"] = [[cw * cw * (cov([(1, [("s", PAIRS[P][0]), ("s", PAIRS[P][1])])],
                                    [(1, [("s", PAIRS[Q][0]), ("s", PAIRS[Q][1])])])
                                + r * sum(D2[P][R] * D2[Q][S] * V[R][S] for R in range(3)
                                          for S in range(3))) for Q in range(3)]
                    for P in range(3)]
        new["A"] = [[cov(X(P), X(Q))
                     + r * (sum(ap[P][R] * ap[Q][S] * V[R][S] for R in range(3)
                                for S in range(3)) + bp[P] * bp[Q] * A[P][Q]
                            + bp[P] * sum(ap[Q][S] * D[P][S] for S in range(3))
                            + bp[Q] * sum(ap[P][R] * D[Q][R] for R in range(3)))
                     for Q in range(3)] for P in range(3)]
        new["D"] = [[cw * cov(X(P), [(1, [("s", PAIRS[Q][0]), ("s", PAIRS[Q][1])])])
                     + r * cw * sum(D2[Q][S] * (sum(ap[P][R] * V[R][S] for R in range(3))
                                                + bp[P] * D[P][S]) for S in range(3))
                     for Q in range(3)] for P in range(3)]
        Kinv = [[Kc[1][1], -Kc[0][1]], [-Kc[1][0], Kc[0][0]]]
        det = Kc[0][0] * Kc[1][1] - Kc[0][1] ** 2
        Kinv = [[v / det for v in row] for row in Kinv]

        def efac(a, c):
            """<d_g (sigma'_a sigma_c)> for g = 0, 1 by Stein: K^-1 E[z f]"""
            f = prod(act, [("d", a), ("s", c)])
            ez = [act.expect(Kc, lambda z0, z1, g=g: (z0, z1)[g] * f(z0, z1), 2)
                  for g in range(2)]
            return [sum(Kinv[g][k] * ez[k] for k in range(2)) for g in range(2)]

        e = {(a, c): efac(a, c) for a in range(2) for c in range(2)}
        new["B"] = [[cw * cw * (E(act, Kc, [("d", o[0]), ("d", o[1]), ("d", q[0]), ("d", q[1])])
                                * t[PAIRS.index(tuple(sorted(o)))]
                                * t[PAIRS.index(tuple(sorted(q)))]
                                + r * Pp[PAIRS.index(tuple(sorted((o[0], q[0]))))]
                                * Pp[PAIRS.index(tuple(sorted((o[1], q[1]))))]
                                * B[i][j]) for j, q in enumerate(OPAIRS)]
                    for i, o in enumerate(OPAIRS)]
        new["F"] = [[cw * cw * (E(act, Kc, [("d", o[0]), ("s", q[0]), ("d", o[1]), ("s", q[1])])
                                * t[PAIRS.index(tuple(sorted(o)))]
                                + r * sum(Fm[i][2 * g + h] * e[(o[0], q[0])][g]
                                          * e[(o[1], q[1])][h] for g in range(2)
                                          for h in range(2))) for j, q in enumerate(OPAIRS)]
                    for i, o in enumerate(OPAIRS)]
        th1n = []
        for P in range(3):
            a, b = PAIRS[P]
            o = OPAIRS.index((a, b))
            stein = sum(Fm[o][2 * g + h] * (2 if g == h else 1)
                        * Dp[P][PAIRS.index(tuple(sorted((g, h))))]
                        for g in range(2) for h in range(2))
            th1n.append(r * (lw * (sum(D2[P][R] * G1[R] for R in range(3))
                                   + 0.5 * sum(H2[P][R][S] * V[R][S] for R in range(3)
                                               for S in range(3)))
                             + cw * (Pp[P] * th1[P]
                                     + t[P] * (sum(Dp[P][R] * G1[R] for R in range(3))
                                               + 0.5 * sum(Hp[P][R][S] * V[R][S]
                                                           for R in range(3) for S in range(3)))
                                     + sum(Dp[P][R] * D[P][R] for R in range(3)) + stein)))
        new["theta1"] = th1n
        # the dNTK (docs/onen.md, "The dNTK", two inputs); u by Stein as e
        Pm, Qm = st["P"], st["Q"]

        def stein(spec):
            f = prod(act, spec)
            ez = [act.expect(Kc, lambda z0, z1, g=g: (z0, z1)[g] * f(z0, z1),
                             deg(act, spec) + 1) for g in range(2)]
            return [sum(Kinv[g][k] * ez[k] for k in range(2)) for g in range(2)]

        u = {(a, b): stein([("2", a), ("d", b)]) for a in range(2) for b in range(2)}

        def th(a, b):
            return t[PAIRS.index(tuple(sorted((a, b))))]

        def pq(a, b):
            return Pp[PAIRS.index(tuple(sorted((a, b))))]

        def y(a0, a1, a2, a3):
            return E(act, Kc, [("d", a0), ("2", a1), ("d", a2), ("s", a3)])

        Fn, lc = new["F"], lw / cw
        new["P"] = [[0.0] * 4 for _ in range(4)]
        new["Q"] = [[0.0] * 4 for _ in range(4)]
        for a0 in range(2):
            for a1 in range(2):
                for a2 in range(2):
                    for a3 in range(2):
                        Y = th(a1, a2) * (th(a0, a1) * y(a0, a1, a2, a3)
                                          + th(a0, a2) * y(a0, a2, a1, a3))
                        sp = (th(a1, a2) * sum((Fm[2 * a0 + a1][2 * g + h] * u[(a1, a2)][h]
                                                + Fm[2 * a0 + a2][2 * g + h] * u[(a2, a1)][h])
                                               * e[(a0, a3)][g]
                                               for g in range(2) for h in range(2))
                              + pq(a1, a2) * sum(Pm[2 * a0 + a1][2 * a2 + g] * e[(a0, a3)][g]
                                                 for g in range(2)))
                        s2s = E(act, Kc, [("2", a2), ("s", a3)])
                        sq = (th(a0, a1) * sum(Fm[2 * a1 + a2][2 * g + h] * u[(a1, a0)][g]
                                               * e[(a2, a3)][h]
                                               for g in range(2) for h in range(2))
                              + pq(a0, a1) * s2s * B[2 * a1 + a2][2 * a0 + a2]
                              + pq(a0, a1) * sum(Qm[2 * a0 + a1][2 * a2 + g] * e[(a2, a3)][g]
                                                 for g in range(2)))
                        new["P"][2 * a0 + a1][2 * a2 + a3] = (
                            lc * (Fn[2 * a0 + a1][2 * a3 + a2] + Fn[2 * a0 + a2][2 * a3 + a1])
                            + cw * cw * (Y + r * sp))
                        new["Q"][2 * a0 + a1][2 * a2 + a3] = (
                            lc * Fn[2 * a1 + a2][2 * a0 + a3] + cw * cw * (Y + r * sq))
        out.append(new)
        st = new
    return out


def compare(name, act, args, cw, cb, lb, lw, x, depth, widths, d_in=2):
    j = onen(*args)
    if j is None:
        return
    ref = reference(act, cw, cb, lb, lw, x, d_in, depth, widths)
    worst = 0.0
    for l in range(depth):
        got = j["ntk2"][l]
        for key in ("K", "theta", "theta1", "G1", "V", "A", "D", "B", "F", "P", "Q"):
            g = got[key]
            rv = ref[l][key]
            rows = rv if isinstance(rv[0], list) else [rv]
            scale = max(abs(v) for row in rows for v in row) or 1.0
            for i, row in enumerate(rows):
                for k, v in enumerate(row):
                    c = mid(g[i][k])
                    err = abs(c - v) / scale
                    worst = max(worst, err)
                    check(err < 2e-5, "%s layer %d %s[%d][%d]: neft %.10g, reference %.10g"
                          % (name, l + 1, key, i, k, c, v))
    print("%s: %d layers, largest relative difference %.2g" % (name, depth, worst))
    return ref


def coincident(act, cw, cb, depth=3, copies=2, ddntk=False, x="3/2"):
    """--at "x;x[;x..]" (--ddntk): every entry of every tensor equals the one-input value
    at x (`--k1 K` with K = C_b + C_W x^2: neft onen's layer table for K, V, G1, the --ntk
    --order 1 --ddntk table for the rest; beta = P/2, alpha = Q - P/2), to 1e-12 of its
    scale plus twice the two radii (the output prints a midpoint to its radius' digits)."""
    net = ["--activation", act, "--cw", cw, "--cb", cb, "--depth", str(depth)]
    dd = ["--ddntk"] if ddntk else []
    k1 = str(Fr(cb) + Fr(cw) * Fr(x) ** 2)
    many = onen(*net, *dd, "--d-in", "1", "--at", ";".join([x] * copies))
    one = onen(*net, "--ddntk", "--k1", k1)
    p = subprocess.run([NEFT, "onen", "--format", "json", *net, "--k1", k1],
                       capture_output=True, text=True)
    if many is None or one is None or not check(p.returncode == 0, "onen --k1: exit %d"
                                                % p.returncode):
        return
    lay = json.loads(p.stdout)["layers"]
    bad = n = 0

    def flat(v):
        return [b for w in v for b in flat(w)] if isinstance(v, list) else [v]
    for l in range(depth):
        o = one["ntk"][l]
        dv = one["ddntk"][l]
        # (midpoint, radius): the output prints a midpoint to its radius' digits
        want = {k: (mid(lay[l][k]), float(lay[l][k]["rad"])) for k in ("K", "V", "G1")}
        want.update({k: (mid(o[k]), float(o[k]["rad"]))
                     for k in ("theta", "theta1", "A", "B", "D", "F", "P", "Q")})
        want.update({k: (mid(dv[k]), float(dv[k]["rad"])) for k in ("R", "S", "T", "U")})
        want["beta"] = (want["P"][0] / 2, want["P"][1] / 2)
        want["alpha"] = (want["Q"][0] - want["P"][0] / 2, want["Q"][1] + want["P"][1] / 2)
        tabs = [many["ntk2" if copies == 2 else "ntkm"][l]]
        if ddntk:
            tabs.append(many["ddntkm"]["layers"][l])
        for tab in tabs:
            for key, vals in tab.items():
                if not isinstance(vals, list):
                    continue
                w, wr = want[key]
                for b in flat(vals):
                    n += 1
                    e = abs(mid(b) - w)
                    tol = 1e-12 * (1 + abs(w)) + 2 * (wr + float(b["rad"]))
                    if e > tol and os.environ.get("NTK2_DEBUG"):
                        print("  %s l%d %s: %.3g (rad %s) want %.12g" % (act, l + 1, key, e,
                                                                          b["rad"], w))
                    bad += not e <= tol
    check(bad == 0 and n > 0, "%s C_b = %s, %d copies of x = %s%s: %d of %d entries differ "
          "from the one-input values" % (act, cb, copies, x, " --ddntk" if ddntk else "",
                                         bad, n))


def near_coincident(act, cw, cb, dx="1/1000000", depth=3):
    """--ddntk at "1;1+dx" against "1;1" (the one-input values): every entry of every
    table within twice the two radii plus 1e-5 of its scale (continuity; the pair data
    at the nearly singular kernel: the factor's last pivot by arb_sqrtpos)"""
    net = ["--activation", act, "--cw", cw, "--cb", cb, "--depth", str(depth), "--ddntk",
           "--d-in", "1"]
    near = onen(*net, "--at", "1;%s" % (1 + Fr(dx)))
    same = onen(*net, "--at", "1;1")
    if near is None or same is None:
        return
    bad = n = 0
    worst = 0.0

    def flat(v):
        return [b for w in v for b in flat(w)] if isinstance(v, list) else [v]
    for l in range(depth):
        for a, b in ((near["ntk2"][l], same["ntk2"][l]),
                     (near["ddntkm"]["layers"][l], same["ddntkm"]["layers"][l])):
            for key, vals in a.items():
                if not isinstance(vals, list):
                    continue
                for u, v in zip(flat(vals), flat(b[key])):
                    n += 1
                    e = abs(mid(u) - mid(v))
                    worst = max(worst, e / (1 + abs(mid(v))))
                    bad += not e <= 1e-5 * (1 + abs(mid(v))) + 2 * (float(u["rad"])
                                                                  + float(v["rad"]))
    print("%s --ddntk at 1;1+%s against 1;1: largest relative difference %.2g"
          % (act, dx, worst))
    check(bad == 0 and n > 0, "%s --ddntk at 1;1+%s: %d of %d entries are not continuous with "
          "the coincident limit" % (act, dx, bad, n))


def main():
    x = [[1.0, 0.0], [0.6, 0.8]]
    at = ["--d-in", "2", "--at", "1,0;3/5,4/5"]
    compare("relu depth 4, widths 10,20,15", Relu(),
            ["--activation", "relu", "--cw", "2", "--cb", "1/5", "--depth", "4",
             "--lambda-b", "1/2", "--lambda-w", "3/2", "--widths", "10,20,15", *at],
            2.0, 0.2, 0.5, 1.5, x, 4, [None, 10, 20, 15])
    compare("leaky-relu (slope 1/5) depth 3", Relu(0.2),
            ["--activation", "leaky-relu", "--slope", "1/5", "--cw", "3/2", "--cb", "1/10",
             "--depth", "3", "--lambda-b", "1", "--lambda-w", "1", *at],
            1.5, 0.1, 1.0, 1.0, x, 3, [None, 1, 1])
    smooth = {
        "tanh": Smooth(math.tanh, lambda z: 1 / math.cosh(z) ** 2,
                       lambda z: -2 * math.tanh(z) / math.cosh(z) ** 2),
        "erf": Smooth(math.erf, lambda z: 2 / math.sqrt(math.pi) * math.exp(-z * z),
                      lambda z: -4 * z / math.sqrt(math.pi) * math.exp(-z * z)),
        "sin": Smooth(math.sin, math.cos, lambda z: -math.sin(z)),
        "sigmoid": Smooth(lambda z: 1 / (1 + math.exp(-z)),
                          lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2,
                          lambda z: (math.exp(-z) / (1 + math.exp(-z)) ** 2)
                          * (1 - 2 / (1 + math.exp(-z)))),
    }
    for name, act in smooth.items():
        ref = compare("%s depth 3" % name, act,
                      ["--activation", name, "--cw", "3/2", "--cb", "1/10", "--depth", "3",
                       "--lambda-b", "1/2", "--lambda-w", "2", "--prec", "64", *at],
                      1.5, 0.1, 0.5, 2.0, x, 3, [None, 1, 1])
        if name != "sigmoid" or ref is None:
            continue
        # sigmoid at one input (x_0; exit 3 before): the reference's (00) entries
        j = onen("--activation", name, "--cw", "3/2", "--cb", "1/10", "--depth", "3",
                 "--lambda-b", "1/2", "--lambda-w", "2", "--prec", "64", "--d-in", "2",
                 "--at", "1,0")
        for l in range(3) if j is not None else ():
            for key in ("theta", "theta1", "A", "B", "D", "F", "P", "Q"):
                rv = ref[l][key]
                v = rv[0] if key in ("theta", "theta1") else rv[0][0]
                scale = max(abs(w) for row in (rv if isinstance(rv[0], list) else [rv])
                            for w in row) or 1.0
                c = mid(j["ntk"][l][key])
                check(abs(c - v) / scale < 2e-5, "sigmoid one input layer %d %s: neft %.10g, "
                      "reference %.10g" % (l + 1, key, c, v))
    # large kernel entries (K^(1) = [[1.6, 3.1], [3.1, 6.1]], and 4.1, 8.1, 16.1 for
    # sigmoid): the 2-D rule's unit panels see sigma over wide complex boxes, which one
    # ball evaluation could not bound (exit 1 before: "no Gauss-Legendre panel rule");
    # its second pass bounds them by pieces (src/exact/gridrule.c)
    for name, cw, cwf in (("tanh", "3/2", 1.5), ("sigmoid", "4", 4.0)):
        fine = Smooth(smooth[name].sig, smooth[name].dsig, smooth[name].d2sig)
        fine.N = 129    # h = 0.14: the poles of tanh(2.47 xi) are 0.64 from the real axis
        compare("%s d_in 1 at 1;2, C_W %s" % (name, cw), fine,
                ["--activation", name, "--cw", cw, "--cb", "1/10", "--depth", "2",
                 "--lambda-b", "1/2", "--lambda-w", "2", "--prec", "64", "--d-in", "1",
                 "--at", "1;2"], cwf, 0.1, 0.5, 2.0, [[1.0], [2.0]], 2, [None, 1], d_in=1)
    # unequal widths and another kernel scale for the closed forms of erf and sin
    for name in ("erf", "sin"):
        compare("%s depth 4, widths 10,20,15" % name, smooth[name],
                ["--activation", name, "--cw", "2", "--cb", "1/5", "--depth", "4",
                 "--lambda-b", "1", "--lambda-w", "1/2", "--widths", "10,20,15", *at],
                2.0, 0.2, 1.0, 0.5, x, 4, [None, 10, 20, 15])
    p = onen("--activation", "gelu", "--cw", "1", "--cb", "0", "--depth", "2", *at, expect=3)
    if p is not None:
        check("gelu" in p.stderr, "gelu refusal names the row: %s" % p.stderr)
    # kernel entries beyond the 2-D rule's reach (tanh K^(1)_11 = 37.6, sigmoid 196.1):
    # exit 3 naming the limit and the docs (exit 1 before, "no Gauss-Legendre panel rule")
    for act, cw, at in (("tanh", "3/2", "1;5"), ("sigmoid", "4", "1;7")):
        p = onen("--activation", act, "--cw", cw, "--cb", "1/10", "--depth", "2", "--d-in", "1",
                 "--at", at, expect=3)
        if p is not None:
            check("too large" in p.stderr and "Degenerate input sets" in p.stderr,
                  "%s --at %s: the refusal names the limit and the docs: %s"
                  % (act, at, p.stderr))
    # distinct inputs linearly dependent at layer 1 for a kinked row (or linear at a
    # singular pair), or an input of variance 0: exit 3 naming the inputs and the docs
    # (exit 1 before, "not finite" or "not certified"); more than eight inputs: exit 3
    for act, cb, d_in, at, names in (("relu", "0", "1", "1;2;3", "inputs 0, 1 "),
                                     ("relu", "0", "1", "1;-1", "inputs 0, 1 "),
                                     ("relu", "1/5", "1", "1;2;3", "inputs 0, 1, 2 "),
                                     ("leaky-relu", "0", "2", "1,0;0,1;1,1", "inputs 0, 1, 2 "),
                                     ("relu", "1/5", "2", "1,0;0,1;1,1;2,-1",
                                      "inputs 0, 1, 3 "),
                                     ("relu", "0", "1", "0;1", "input 0 "),
                                     ("linear", "0", "1", "1;2", "inputs 0, 1 ")):
        for dd in ([], ["--ddntk"]):
            p = onen("--activation", act, "--cw", "2", "--cb", cb, "--depth", "2", *dd,
                     "--d-in", d_in, "--at", at, expect=3)
            if p is not None:
                check(names in p.stderr and "Degenerate input sets" in p.stderr,
                      "%s --at %s: the refusal names %r and the docs: %s"
                      % (act, at, names, p.stderr))
    onen("--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "2", "--d-in", "1",
         "--at", "1;2;3;4;5;6;7;8;9", expect=3)
    # one input twice: every entry is the one-input value (exited 1 for relu before)
    for act, cw, cb in (("relu", "2", "0"), ("relu", "2", "1/5"), ("tanh", "1", "1/10")):
        coincident(act, cw, cb)
    # one class of equal inputs in neft_onen_ntkm (three or more copies, and --ddntk):
    # relu C_b = 0 in d_in = 1 exited 1 before (its auxiliary class could not leave the
    # input's ray); the smooth rows went through the pair data at a singular kernel
    for act, cw, cb, copies, dd, x in (("relu", "2", "0", 2, True, "3/2"),
                                       ("relu", "2", "0", 3, False, "3/2"),
                                       ("relu", "2", "0", 3, True, "-1/2"),
                                       ("leaky-relu", "2", "0", 4, True, "3/2"),
                                       ("relu", "2", "1/5", 3, True, "0"),
                                       ("tanh", "1", "1/10", 3, True, "3/2"),
                                       ("sigmoid", "4", "1/10", 2, True, "1"),
                                       ("erf", "3/2", "0", 3, True, "1/2"),
                                       ("sin", "2", "1/5", 3, False, "1")):
        coincident(act, cw, cb, copies=copies, ddntk=dd, x=x)
    # nearly equal inputs with --ddntk (tanh exited 1 before: "the kernel of inputs 0, 1,
    # .. is not certainly positive definite", the two-class moment table's factor)
    for act, cw, cb in (("tanh", "3/2", "1/10"), ("sigmoid", "4", "1/10")):
        near_coincident(act, cw, cb)
    check.finish("ntk2: {passed} of {total} checks passed")


main()

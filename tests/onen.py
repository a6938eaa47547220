#!/usr/bin/env python3
"""Tests of `neft onen` (docs/onen.md, docs/cmd-onen.md).

Usage: python3 tests/onen.py NEFT_BINARY RULES_DIR   (working directory tests/)

References computed here independently of the C code:
- ReLU and linear nets with C_b = 0: G^(L) = K^(1) prod_l (C_W/n_l) Q_l exactly,
  Q_l = chi^2 with N_l ~ Binomial(n_l, 1/2) degrees of freedom (ReLU) or n_l
  (linear), independent across layers.  Exact moments E[Q^k] as polynomials
  in x = 1/n give the exact finite-width cumulants kappa_k(G) as polynomials
  in x; the 1/n expansion of docs/onen.md must match their coefficients:
  E[G] = K + G1 x', kappa_k(G) = v_2k x'^(k-1) + O(x'^k), x' = 1/n_{L-1}.
- tanh at C_W = 1, C_b = 0 (K* = 0 class): K ~ 1/(2l), V/K^2 ~ (2/3) l,
  v6/K^3 ~ (16/15) l^2, v8/K^4 ~ (96/35) l^3 (derived in docs/onen.md).
- erf: K^(l+1) = C_b + C_W (2/pi) asin(2K/(1+2K)) with math.asin.
"""

import json
import math
import os
import subprocess
import sys
from fractions import Fraction as F

failures = []


def fail(what):
    failures.append(what)


def run(neft, args):
    p = subprocess.run([neft] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def ball(b):
    return float(b["mid"]), float(b["rad"])


def contains(b, exact, slack=0.0):
    m, r = ball(b)
    return abs(m - float(exact)) <= r + slack + 1e-300


# ---- polynomials in x (lists of Fractions, index = power) ----------------

def padd(a, b):
    n = max(len(a), len(b))
    return [(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(n)]


def pmul(a, b):
    r = [F(0)] * (len(a) + len(b) - 1)
    for i, u in enumerate(a):
        for j, v in enumerate(b):
            r[i + j] += u * v
    return r


def pscale(a, c):
    return [c * u for u in a]


def stirling2(j, i):
    # S(j, i) by the recurrence
    S = [[0] * (j + 1) for _ in range(j + 1)]
    S[0][0] = 1
    for a in range(1, j + 1):
        for b in range(1, a + 1):
            S[a][b] = b * S[a - 1][b] + S[a - 1][b - 1]
    return S[j][i]


def factor_moment(k, w, cw, relu):
    """E[(C_W Q / n_l)^k] as a polynomial in x = 1/n with n_l = w n."""
    # prod_{i<k} (N + 2i) in powers of N
    poly_n = [F(1)]
    for i in range(k):
        poly_n = pmul(poly_n, [F(2 * i), F(1)])
    # E[N^j] = sum_i S(j,i) E[(N)_i]; E[(N)_i] = (n_l)_i / 2^i (relu) or (n_l)_i... linear: N = n_l
    # (n_l)_i / n_l^k = prod_{t<i} (n_l - t) / n_l^k as polynomial in y = 1/n_l
    res = [F(0)]
    for j, c in enumerate(poly_n):
        if c == 0:
            continue
        if relu:
            for i in range(j + 1):
                s = stirling2(j, i)
                if s == 0:
                    continue
                # (n_l)_i * n_l^{-k} = y^{k-i} prod_{t<i} (1 - t y)
                p = [F(1)]
                for t in range(i):
                    p = pmul(p, [F(1), F(-t)])
                p = [F(0)] * (k - i) + p
                res = padd(res, pscale(p, c * s / F(2) ** i))
        else:
            # N = n_l: n_l^j / n_l^k = y^{k-j}
            res = padd(res, [F(0)] * (k - j) + [c])
    # y = x / w
    res = [u * F(cw) ** k / F(w) ** i for i, u in enumerate(res)]
    return res


def exact_cumulants(k1, cw, widths, relu, kmax=4):
    """Cumulants kappa_1..kappa_4 of G^(L), L = len(widths)+1, as polynomials in x."""
    moments = []
    for k in range(1, kmax + 1):
        p = [F(k1) ** k]
        for w in widths:
            p = pmul(p, factor_moment(k, w, cw, relu))
        moments.append(p)
    m1, m2, m3, m4 = moments
    k1p = m1
    k2p = padd(m2, pscale(pmul(m1, m1), -1))
    k3p = padd(padd(m3, pscale(pmul(m2, m1), -3)), pscale(pmul(pmul(m1, m1), m1), 2))
    m1sq = pmul(m1, m1)
    k4p = padd(padd(padd(padd(m4, pscale(pmul(m3, m1), -4)), pscale(pmul(m2, m2), -3)),
                    pscale(pmul(m2, m1sq), 12)), pscale(pmul(m1sq, m1sq), -6))
    return [k1p, k2p, k3p, k4p]


def coeff(p, i):
    return p[i] if i < len(p) else F(0)


def check_exact_scale_invariant(neft, act, cw, k1, widths, label):
    depth = len(widths) + 1
    args = ["onen", "--activation", act, "--cw", str(cw), "--cb", "0", "--depth", str(depth),
            "--k1", str(k1), "--format", "json"]
    if len(set(widths)) > 1:
        args += ["--widths", ",".join(str(w) for w in widths)]
    rc, out, err = run(neft, args)
    if rc != 0:
        fail("%s: status %d: %s" % (label, rc, err))
        return
    doc = json.loads(out)
    for L in range(1, depth + 1):
        ws = widths[:L - 1]
        kap = exact_cumulants(k1, cw, ws, act == "relu")
        wlast = F(ws[-1]) if ws else F(1)
        # x' = 1/n_{L-1} = x / wlast: kappa_k = v_2k x'^(k-1) + ... -> v_2k = coeff * wlast^(k-1)
        K = coeff(kap[0], 0)
        G1 = coeff(kap[0], 1) * wlast
        v = {}
        for k in (2, 3, 4):
            for i in range(k - 1):
                if coeff(kap[k - 1], i) != 0:
                    fail("%s layer %d: kappa_%d has a 1/n^%d term %s (expected 0)"
                         % (label, L, k, i, coeff(kap[k - 1], i)))
            v[k] = coeff(kap[k - 1], k - 1) * wlast ** (k - 1)
        lay = doc["layers"][L - 1]
        ex = lay["exact"]
        # the next order of the variance: kappa_2 = V x' + V1 x'^2 + ...
        V1 = coeff(kap[1], 2) * wlast ** 2
        want = {"K": K, "G1": G1, "V": v[2], "v6": v[3], "v8": v[4], "V1": V1}
        for name, val in want.items():
            if F(ex[name]) != val:
                fail("%s layer %d: exact %s = %s, finite-width derivation gives %s"
                     % (label, L, name, ex[name], val))
            if not contains(lay[name], val, slack=abs(float(val)) * 1e-15):
                fail("%s layer %d: ball %s = %s does not contain %s" % (label, L, name, lay[name], val))
    return doc


def test_relu_next_order(neft):
    """Issue 19: ReLU depth 4, width 50 (C_W = 2, C_b = 0, x = 1, K = 2) samples
    E[z^4]_c = 4.07 +/- 0.16 against the leading 3V/n = 3.6.  The exact finite-width
    value is 3 kappa_2(G^(4)) = 3 K^2 ((1 + 5/n)^3 - 1) = 3.972 (relu(z)^2 given the
    previous layer is a scaled chi-square: E[G'^2 | G] = G^2 (1 + 5/n) at C_W = 2);
    the next order 3 (V/n + V1/n^2) must reach it within the O(1/n^3) remainder."""
    n, K = 50, F(2)
    exact = 3 * K ** 2 * ((1 + F(5, n)) ** 3 - 1)
    rc, out, err = run(neft, ["onen", "--activation", "relu", "--cw", "2", "--cb", "0",
                              "--depth", "4", "--k1", "2", "--format", "json"])
    if rc != 0:
        fail("relu next order: status %d: %s" % (rc, err))
        return
    ex = json.loads(out)["layers"][-1]["exact"]
    lo = 3 * F(ex["V"]) / n
    nlo = lo + 3 * F(ex["V1"]) / n ** 2
    rem = 3 * K ** 2 * F(125, n ** 3)            # the exact O(1/n^3) remainder
    print("relu L=4 n=50 E[z^4]_c: leading %s = %.4f, to O(1/n^2) %s = %.4f, exact %.4f"
          % (lo, float(lo), nlo, float(nlo), float(exact)))
    if exact - nlo != rem:
        fail("relu next order: exact - O(1/n^2) = %s, expected the 1/n^3 term %s"
             % (exact - nlo, rem))
    if not abs(exact - nlo) < abs(exact - lo) / 10:
        fail("relu next order: %s does not close the gap to %s" % (nlo, exact))


def test_relu_exact(neft):
    # equal widths at criticality: V/K^2 = 5 (l-1), v6/K^3 = 44(l-1) + 75(l-1)(l-2)
    doc = check_exact_scale_invariant(neft, "relu", 2, F(3, 2), [1] * 7, "relu C_W=2")
    if doc:
        for lay in doc["layers"]:
            l = lay["layer"]
            K = F(lay["exact"]["K"])
            if F(lay["exact"]["V"]) / K ** 2 != 5 * (l - 1):
                fail("relu: V/K^2 at layer %d is %s, expected 5(l-1)" % (l, lay["exact"]["V"]))
            if F(lay["exact"]["v6"]) / K ** 3 != 44 * (l - 1) + 75 * (l - 1) * (l - 2):
                fail("relu: v6/K^3 at layer %d" % l)
            if F(lay["exact"]["chi_par"]) != 1 or F(lay["exact"]["chi_perp"]) != 1:
                fail("relu: chi != 1 at criticality")
    check_exact_scale_invariant(neft, "relu", F(3, 2), 2, [1, 2, 3, 1], "relu C_W=3/2 widths 1,2,3,1")
    check_exact_scale_invariant(neft, "linear", 1, F(1, 3), [1] * 5, "linear C_W=1")
    check_exact_scale_invariant(neft, "linear", F(5, 4), 1, [2, 1, 3], "linear widths 2,1,3")


def test_tanh_power_laws(neft):
    depth = 200
    rc, out, err = run(neft, ["onen", "--activation", "tanh", "--cw", "1", "--cb", "0",
                              "--depth", str(depth), "--k1", "1", "--prec", "64", "--format", "json"])
    if rc != 0:
        fail("tanh: status %d %s" % (rc, err))
        return
    doc = json.loads(out)
    # stated tolerances at l = 200 (corrections ~ log(l)/l), and the approach is
    # monotone between l = 100 and l = 200
    targets = [("K", 1, -1, 0.5, 0.05), ("V", 2, 1, 2 / 3, 0.10),
               ("v6", 3, 2, 16 / 15, 0.25), ("v8", 4, 3, 96 / 35, 0.45)]
    for name, kpow, p, c, tol in targets:
        def ratio(l):
            lay = doc["layers"][l - 1]
            K = float(lay["K"]["mid"])
            y = float(lay[name]["mid"]) / (K ** kpow if name != "K" else 1.0)
            return y / l ** p
        r200, r100 = ratio(200), ratio(100)
        if abs(r200 / c - 1) > tol:
            fail("tanh: %s / l^%d at l=200 is %.5g, expected %.5g within %d%%"
                 % (name, p, r200, c, 100 * tol))
        if abs(r200 - c) > abs(r100 - c):
            fail("tanh: %s does not approach its power law (l=100: %g, l=200: %g)"
                 % (name, r100, r200))
    fit = doc["asymptotics"]
    for name, p in (("K", -1), ("V/K^2", 1), ("v6/K^3", 2), ("v8/K^4", 3)):
        if abs(fit[name]["exponent"] - p) > 0.08:
            fail("tanh: fitted exponent of %s is %g, expected %d" % (name, fit[name]["exponent"], p))


def test_erf_arcsine(neft):
    cw = "0.7853981633974483"      # ~ pi/4 = 1/erf'(0)^2: criticality of the K*=0 class
    rc, out, err = run(neft, ["onen", "--activation", "erf", "--cw", cw, "--cb", "0",
                              "--depth", "12", "--k1", "2", "--format", "json"])
    if rc != 0:
        fail("erf: status %d %s" % (rc, err))
        return
    doc = json.loads(out)
    K = 2.0
    c = float(F(cw))
    for lay in doc["layers"]:
        if not contains(lay["K"], K, slack=1e-13 * K):
            fail("erf: layer %d K = %s, arcsine map gives %.17g" % (lay["layer"], lay["K"], K))
        # chi_perp = C_W (4/pi)/sqrt(1+4K)
        cp = c * 4 / math.pi / math.sqrt(1 + 4 * K)
        if not contains(lay["chi_perp"], cp, slack=1e-13):
            fail("erf: chi_perp at layer %d" % lay["layer"])
        # chi_par = C_W d/dK (2/pi) asin(2K/(1+2K)) = C_W (4/pi) / ((1+2K) sqrt(1+4K))
        cpar = c * 4 / math.pi / ((1 + 2 * K) * math.sqrt(1 + 4 * K))
        if not contains(lay["chi_par"], cpar, slack=1e-13):
            fail("erf: chi_par at layer %d" % lay["layer"])
        K = c * 2 / math.pi * math.asin(2 * K / (1 + 2 * K))
    rc, out, err = run(neft, ["onen", "--critical", "--activation", "erf", "--format", "json"])
    crit = json.loads(out)
    if crit["class"] != "K*=0" or not contains(crit["cw"], math.pi / 4, 1e-15) \
            or not contains(crit["a1"], -2.0, 1e-15):
        fail("erf --critical: %s" % out)


def test_critical(neft):
    # Roberts-Yaida-Hanin, table 5.1 (GELU; SWISH = SiLU); K*(GELU) = (3+sqrt17)/2
    cases = {"gelu": ("K*>0", 1.98305826, 0.17292239, (3 + math.sqrt(17)) / 2),
             "silu": ("K*>0", 1.98800468, 0.55514317, 14.3201736)}
    for act, (cls, cw, cb, ks) in cases.items():
        rc, out, err = run(neft, ["onen", "--critical", "--activation", act, "--format", "json"])
        d = json.loads(out)
        if d["class"] != cls or not contains(d["cw"], cw, 1e-8) or not contains(d["cb"], cb, 1e-8) \
                or not contains(d["kstar"], ks, 1e-7):
            fail("%s --critical: %s" % (act, out))
    rc, out, err = run(neft, ["onen", "--critical", "--activation", "relu", "--format", "json"])
    d = json.loads(out)
    if d["class"] != "scale-invariant" or not contains(d["slope"], 5, 0) or not contains(d["cw"], 2, 0):
        fail("relu --critical: %s" % out)
    rc, out, err = run(neft, ["onen", "--critical", "--activation", "sigmoid", "--format", "json"])
    if json.loads(out)["class"] != "none":
        fail("sigmoid should have no critical point: %s" % out)


def test_compare(neft):
    path = os.path.join("onen", "samples-relu.json")
    n, depth = 50, 3
    rc, out, err = run(neft, ["onen", "--compare-samples", path, "--activation", "relu",
                              "--cw", "2", "--cb", "0", "--depth", str(depth), "--width", str(n),
                              "--format", "json"])
    if rc != 0:
        fail("compare: status %d %s" % (rc, err))
        return
    doc = json.loads(out)
    fixture = json.load(open(path))
    got = {(c["npt"], tuple(c["indices"])): c for c in doc["compare"]}
    for a, x in enumerate(fixture["inputs"]):
        K = 2 * x[0] ** 2          # K^(1) = C_W x^2 / 1, constant at criticality
        pred = {2: K, 4: 3 * 5 * (depth - 1) * K * K / n}
        for npt, p in pred.items():
            key = (npt, (a,) * npt)
            if key not in got:
                fail("compare: missing %s" % (key,))
                continue
            c = got[key]
            meas = [m for m in fixture["correlators"] if m["npt"] == npt and m["indices"] == list(key[1])][0]
            part = meas["full"] if npt == 2 else meas["connected"]
            if not contains(c["predicted"], p, 1e-15):
                fail("compare %s: predicted %s, expected %g" % (key, c["predicted"], p))
            if c["measured"]["mean"] != part["mean"] or c["measured"]["stderr"] != part["stderr"]:
                fail("compare %s: measured not copied" % (key,))
            want = (part["mean"] - p) / part["stderr"]
            if abs(c["pull"] - want) > 1e-5 * max(1.0, abs(want)):
                fail("compare %s: pull %g" % (key, c["pull"]))
    rc, out, err = run(neft, ["onen", "--compare-samples", path, "--activation", "relu",
                              "--cw", "2", "--cb", "0", "--depth", "3", "--width", "50"])
    if rc != 0 or "pull" not in out:
        fail("compare text: %d %s" % (rc, err))
    bad = os.path.join("onen", "samples-bad.json")
    rc, out, err = run(neft, ["onen", "--compare-samples", bad, "--activation", "relu",
                              "--cw", "2", "--cb", "0", "--depth", "3", "--width", "50"])
    if rc != 2 or out != "" or err != "neft: %s:4: expected ',' or '}' in an object\n" % bad:
        fail("compare bad file: status %d stdout %r stderr %r" % (rc, out, err))


def test_cli(neft):
    for args, mention in [
        (["onen"], "--activation"),
        (["onen", "--activation", "swish", "--cw", "1", "--cb", "0", "--depth", "2", "--k1", "1"], "swish"),
        (["onen", "--activation", "relu", "--cw", "x", "--cb", "0", "--depth", "2", "--k1", "1"], "--cw"),
        (["onen", "--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "2"], "--k1"),
        (["onen", "--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "3", "--k1", "1",
          "--widths", "4"], "--widths"),
        (["onen", "--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "2", "--at", "1,2",
          "--d-in", "1"], "--at"),
        (["onen", "--formulas", "--format", "json"], "--formulas"),
    ]:
        rc, out, err = run(neft, args)
        if rc != 2 or out != "" or len(err.splitlines()) != 1 or not err.startswith("neft: ") \
                or mention not in err:
            fail("neft %s: status %d stdout %r stderr %r" % (" ".join(args), rc, out[:100], err))
    rc, out, err = run(neft, ["onen", "--formulas"])
    if rc != 0 or "V^(l+1)      = C_W^2 [c_2 + r_l c_1'^2 V^(l)]" not in out:
        fail("formulas text")
    rc, out, err = run(neft, ["onen", "--formulas", "--format", "latex"])
    if rc != 0 or not out.startswith("\\begin{align*}") or "\\end{align*}" not in out \
            or out.count("{") != out.count("}"):
        fail("formulas latex")
    # several inputs: the kernel matrix of relu at criticality (arc-cosine map)
    rc, out, err = run(neft, ["onen", "--activation", "relu", "--cw", "2", "--cb", "0",
                              "--depth", "3", "--at", "1,0;0.6,0.8", "--d-in", "2", "--format", "json"])
    if rc != 0:
        fail("relu --at: %d %s" % (rc, err))
    else:
        d = json.loads(out)
        K = [[1.0, 0.6], [0.6, 1.0]]
        for lay in d["kernel"]:
            for a in range(2):
                for b in range(2):
                    if not contains(lay["K"][a][b], K[a][b], 1e-15):
                        fail("relu kernel matrix layer %d [%d][%d]" % (lay["layer"], a, b))
            c = K[0][1]
            th = math.acos(c)
            K = [[1.0, (math.sin(th) + (math.pi - th) * c) / math.pi], [0, 1.0]]
            K[1][0] = K[0][1]


# ---- two-input four-point vertex (neft_onen_vertex2) -----------------------

PAIRS = [(0, 0), (0, 1), (1, 1)]


def linear_exact_cov(K1, cw, cb, widths):
    """Linear nets: exact finite-width E[G_ab], Cov(G_ab, G_cd) of the last layer as
    polynomials in x = 1/n (n_l = widths[l-1] n).  Given layer l the neurons are
    i.i.d. N(0, G), so E[G'_ab G'_cd | G] = (C_b + C_W G_ab)(C_b + C_W G_cd)
    + (C_W^2/n_l)(G_ac G_bd + G_ad G_bc): closed in first and second moments."""
    cw, cb = F(cw), F(cb)
    M1 = {(a, b): [F(K1[a][b])] for a in range(2) for b in range(2)}
    M2 = {(a, b, c, d): [F(K1[a][b]) * F(K1[c][d])]
          for a in range(2) for b in range(2) for c in range(2) for d in range(2)}
    for w in widths:
        eps = [F(0), F(1) / w]
        N1 = {k: padd([cb], pscale(v, cw)) for k, v in M1.items()}
        N2 = {}
        for (a, b, c, d) in M2:
            t = padd([cb * cb], pscale(padd(M1[(a, b)], M1[(c, d)]), cb * cw))
            t = padd(t, pscale(M2[(a, b, c, d)], cw * cw))
            t = padd(t, pscale(pmul(eps, padd(M2[(a, c, b, d)], M2[(a, d, b, c)])), cw * cw))
            N2[(a, b, c, d)] = t
        M1, M2 = N1, N2
    cov = {k: padd(v, pscale(pmul(M1[k[:2]], M1[k[2:]]), -1)) for k, v in M2.items()}
    return M1, cov


def angular_moment(p, q, k00, k11, k01, s, N=400):
    """E[sigma(u)^p sigma(v)^q] (sigma = z for z > 0, s z for z < 0) by composite
    Simpson in the polar angle, split at the kinks."""
    phi = math.atan2(math.sqrt(max(k00 * k11 - k01 * k01, 0.0)), k01)
    sig = lambda c: c if c > 0 else s * c
    cuts = sorted({-math.pi / 2, math.pi / 2, phi - math.pi / 2, phi + math.pi / 2,
                   3 * math.pi / 2})
    tot = 0.0
    for lo, hi in zip(cuts, cuts[1:]):
        h = (hi - lo) / N
        acc = 0.0
        for i in range(N + 1):
            t = lo + i * h
            w = 1 if i in (0, N) else (4 if i % 2 else 2)
            acc += w * sig(math.cos(t)) ** p * sig(math.cos(t - phi)) ** q
        tot += acc * h / 3
    d = (p + q) // 2
    return tot * 2 ** d * math.factorial(d) / (2 * math.pi) * k00 ** (p / 2) * k11 ** (q / 2)


def vertex2_numeric(K1, cw, cb, depth, s):
    """The two-input V recursion with quadrature moments and finite-difference
    derivatives (independent of the exact sector integrals and Price's theorem)."""
    K = [row[:] for row in K1]
    V = [[0.0] * 3 for _ in range(3)]
    out = [(K, V)]
    for _ in range(depth - 1):
        def f2(P, k00, k11, k01):
            a, b = PAIRS[P]
            return angular_moment(2 - a - b, a + b, k00, k11, k01, s)
        f = [f2(P, K[0][0], K[1][1], K[0][1]) for P in range(3)]
        D = [[0.0] * 3 for _ in range(3)]
        h = 1e-5
        for R in range(3):
            for P in range(3):
                kp = [K[0][0], K[1][1], K[0][1]]
                km = kp[:]
                idx = {0: 0, 1: 2, 2: 1}[R]
                kp[idx] += h
                km[idx] -= h
                D[P][R] = (f2(P, *kp) - f2(P, *km)) / (2 * h)
        Vn = [[0.0] * 3 for _ in range(3)]
        for P in range(3):
            for Q in range(3):
                ones = sum(PAIRS[P]) + sum(PAIRS[Q])
                f4 = angular_moment(4 - ones, ones, K[0][0], K[1][1], K[0][1], s)
                acc = sum(D[P][R] * D[Q][S] * V[R][S] for R in range(3) for S in range(3))
                Vn[P][Q] = cw * cw * (f4 - f[P] * f[Q] + acc)
        Kn = [[cb + cw * f[0], cb + cw * f[1]], [cb + cw * f[1], cb + cw * f[2]]]
        K, V = Kn, Vn
        out.append((K, V))
    return out


def test_vertex2(neft):
    x = [[1, 0], [F(3, 5), F(4, 5)]]
    at = "1,0;3/5,4/5"
    # linear nets: exact rationals, equal and unequal widths, with bias
    for cw, cb, widths in ((1, 0, [1, 1, 1]), (F(3, 2), F(1, 4), [3, 2, 5])):
        depth = len(widths) + 1
        K1 = [[cb + cw * sum(x[a][i] * x[b][i] for i in range(2)) / 2 for b in range(2)]
              for a in range(2)]
        M1, cov = linear_exact_cov(K1, cw, cb, widths)
        args = ["onen", "--activation", "linear", "--cw", str(cw), "--cb", str(cb),
                "--depth", str(depth), "--at", at, "--d-in", "2", "--format", "json",
                "--widths", ",".join(str(10 * w) for w in widths)]
        rc, out, err = run(neft, args)
        if rc != 0:
            fail("vertex2 linear: exit %d %s" % (rc, err))
            continue
        lay = json.loads(out)["vertex"][-1]
        if lay["layer"] != depth:
            fail("vertex2 linear: last layer %r" % lay["layer"])
        # Cov = V/n_{L-1} + O(1/n^2), n_{L-1} = widths[-1] n
        for P, (a, b) in enumerate(PAIRS):
            for Q, (c, d) in enumerate(PAIRS):
                want = coeff(cov[(a, b, c, d)], 1) * widths[-1]
                if coeff(cov[(a, b, c, d)], 0) != 0:
                    fail("vertex2 linear: Cov has an O(1) term")
                if not contains(lay["V"][P][Q], want, 1e-15 * max(1, abs(float(want)))):
                    fail("vertex2 linear cw=%s cb=%s widths %r: V[%d][%d] = %r, exact %s"
                         % (cw, cb, widths, P, Q, lay["V"][P][Q], want))
    # relu and leaky relu: quadrature + finite differences, and the diagonal equals
    # the single-input V of each input
    for act, s, extra in (("relu", 0.0, []), ("leaky-relu", 0.2, ["--slope", "1/5"])):
        cw, cb, depth = F(19, 10), F(1, 10), 4
        K1 = [[float(cb + cw * sum(x[a][i] * x[b][i] for i in range(2)) / 2)
               for b in range(2)] for a in range(2)]
        ref = vertex2_numeric(K1, float(cw), float(cb), depth, s)
        rc, out, err = run(neft, ["onen", "--activation", act] + extra +
                           ["--cw", "19/10", "--cb", "1/10", "--depth", str(depth), "--at", at,
                            "--d-in", "2", "--format", "json"])
        if rc != 0:
            fail("vertex2 %s: exit %d %s" % (act, rc, err))
            continue
        d = json.loads(out)
        for l in range(depth):
            Kr, Vr = ref[l]
            for P in range(3):
                for Q in range(3):
                    got = ball(d["vertex"][l]["V"][P][Q])
                    if got[1] > 1e-20 + 1e-12 * abs(got[0]) or \
                            abs(got[0] - Vr[P][Q]) > 1e-7 * (1 + abs(Vr[P][Q])):
                        fail("vertex2 %s layer %d V[%d][%d] = %r, quadrature %.12g"
                             % (act, l + 1, P, Q, got, Vr[P][Q]))
            for a in range(2):
                single = ball(d["point%d" % a]["layers"][l]["V"])
                diag = ball(d["vertex"][l]["V"][2 * a][2 * a])
                if abs(single[0] - diag[0]) > single[1] + diag[1] + 1e-15:
                    fail("vertex2 %s layer %d: V_(%d%d)(%d%d) %r != single-input V %r"
                         % (act, l + 1, a, a, a, a, diag, single))

# The exit status of a request onen does not support for the activation
# (NEFT_UNSUPPORTED): exit status 3, "neft: unsupported: ..." (docs/commands.md).
EXIT_UNSUPPORTED = 3


def test_gaussnet(neft):
    """GaussNet at depth 2 against the exact finite-width correlators of `neft
    exact --activation gauss` (an independent computation: Gaussian integrals
    over the first layer's weights).  With one hidden layer the predictions are
    exact at any width N: f given the hidden layer is Gaussian with variance
    G = C_b + (C_W/N) sum_j phi_j^2, so E[f^2] = K^(2), and kappa_2k(f) =
    (2k-1)!! kappa_k(G) with kappa_k(G) = C_W^k kappa_k(phi^2)/N^(k-1):
    E[z^4]_c = 3 V/N, E[z^6]_c = 15 v6/N^2, and the mixed four-point functions
    (V_(ab)(cd) + V_(ac)(bd) + V_(ad)(bc))/N from the two-input vertex."""
    N, sw, sb = 10, "1.2", "0.5"
    rc, out, err = run(neft, ["exact", "--activation", "gauss", "--width", str(N), "--at",
                              "0.5;-1", "--npt", "2,4,6", "--sw", sw, "--sb", sb,
                              "--prec", "128", "--format", "json"])
    if rc != 0:
        fail("gaussnet: neft exact failed: " + err)
        return
    ex = {tuple(c["indices"]): c for c in json.loads(out)["correlators"]}
    rc, out, err = run(neft, ["onen", "--activation", "gauss", "--cw", "1.44", "--cb", "0.25",
                              "--depth", "2", "--at", "0.5;-1", "--d-in", "1",
                              "--format", "json"])
    if rc != 0:
        fail("gaussnet: onen depth 2 failed (exit %d): %s" % (rc, err))
        return
    d = json.loads(out)

    def agree(pred, exact, what):
        (m1, r1), (m2, r2) = pred, ball(exact)
        if abs(m1 - m2) > r1 + r2 + 1e-12 * abs(m2):
            fail("gaussnet %s: onen %r, exact %r" % (what, pred, (m2, r2)))

    for a in range(2):
        last = d["point%d" % a]["layers"][1]
        agree(ball(last["K"]), ex[(a, a)]["full"], "E[z%d^2]" % a)
        if float(last["G1"]["mid"]) != 0:
            fail("gaussnet: G1 of input %d is not 0" % a)
        m, r = ball(last["V"])
        agree((3 * m / N, 3 * r / N), ex[(a,) * 4]["connected"], "E[z%d^4]_c" % a)
        m, r = ball(last["v6"])
        agree((15 * m / N ** 2, 15 * r / N ** 2), ex[(a,) * 6]["connected"], "E[z%d^6]_c" % a)
        first = d["point%d" % a]["layers"][0]
        if not (contains(first["chi_par"], 2 * 1.44, 1e-15)
                and contains(first["chi_perp"], 1.44, 1e-15)):
            fail("gaussnet: layer 1 susceptibilities of input %d are not 2 C_W, C_W" % a)
        if last["chi_par"]["mid"] != "nan":
            fail("gaussnet: the output layer has a susceptibility %r" % last["chi_par"])
    agree(ball(d["kernel"][1]["K"][0][1]), ex[(0, 1)]["full"], "E[z0 z1]")
    V = d["vertex"][1]["V"]
    for idx in ((0, 0, 0, 1), (0, 0, 1, 1), (0, 1, 1, 1)):
        terms = [V[idx[0] + idx[1]][idx[2] + idx[3]], V[idx[0] + idx[2]][idx[1] + idx[3]],
                 V[idx[0] + idx[3]][idx[1] + idx[2]]]
        m = sum(float(t["mid"]) for t in terms) / N
        r = sum(float(t["rad"]) for t in terms) / N
        agree((m, r), ex[idx]["connected"], "E[z%d z%d z%d z%d]_c" % idx)


def test_refusals(neft):
    """A capability an activation lacks is refused naming it, never computed
    by another activation's code: GaussNet beyond one hidden layer and its
    criticality (exit EXIT_UNSUPPORTED); G1 of two inputs for the closed-form
    rows (the tables are printed with a note; JSON leaves the member out)."""
    base = ["onen", "--activation", "gauss", "--cw", "1", "--cb", "0"]
    for what, args in (("depth 3", ["--depth", "3", "--k1", "1"]),
                       ("depth 40 at two inputs", ["--depth", "40", "--at", "1;2", "--d-in", "1"]),
                       ("compare-samples at depth 3", ["--depth", "3", "--width", "10",
                                                       "--compare-samples", "onen/samples-relu.json"])):
        rc, out, err = run(neft, base + args)
        if rc != EXIT_UNSUPPORTED or out or "GaussNet is defined for one hidden layer" not in err:
            fail("gauss %s: exit %d, stdout %r, stderr %r" % (what, rc, out[:80], err))
    rc, out, err = run(neft, ["onen", "--activation", "gauss", "--critical"])
    if rc != EXIT_UNSUPPORTED or out or "gauss" not in err or "--critical" not in err:
        fail("gauss --critical: exit %d, stdout %r, stderr %r" % (rc, out[:80], err))
    # since the integrated vertex (src/onen/vertex2_gen.c) every row has the kernel
    # and the vertex of two inputs; G1 of two inputs comes with the integrated vertex
    # only (the closed-form rows: a note; neft_onen_vertex2_g1 in the library)
    lacks = {"tanh": "", "erf": "", "gelu": "", "silu": "", "sigmoid": "", "sin": "",
             "relu": "g", "leaky-relu": "g", "linear": "g", "gauss": "g"}
    for act, what in lacks.items():
        args = ["onen", "--activation", act, "--cw", "1", "--cb", "0", "--depth", "2",
                "--at", "0.5;1", "--d-in", "1", "--prec", "64"]
        rc, out, err = run(neft, args)
        if rc != 0:
            fail("%s at two inputs: exit %d: %s" % (act, rc, err))
            continue
        for c, title, head in (("k", "# kernel matrix", "# kernel matrix K^(l)_{ab}"),
                               ("v", "# four-point vertex", "# four-point vertex V^(l)"),
                               ("g", "# O(1/n) kernel shift", "# O(1/n) kernel shift G1")):
            if c == "g" and c in what and "%s: the O(1/n) kernel shift" % title not in out:
                fail("%s at two inputs: G1 missing without its note" % act)
            elif c in what and c != "g" and "%s: %s " % (title, act) not in out:
                fail("%s at two inputs: %s missing without a reason naming %s" % (act, title, act))
            if c not in what and head not in out:
                fail("%s at two inputs: no %s" % (act, title))
        rc, out, err = run(neft, args + ["--format", "json"])
        d = json.loads(out) if rc == 0 else {}
        if (("kernel" in d) == ("k" in what) or ("vertex" in d) == ("v" in what)
                or ("g1" in d) == ("g" in what)):
            fail("%s at two inputs (json): kernel %s, vertex %s, g1 %s"
                 % (act, "kernel" in d, "vertex" in d, "g1" in d))


def test_compare_param(neft):
    """--compare-samples checks the activation's parameter as it checks C_W:
    leaky-relu samples at slope 0.2 are no test of slope 0.3 (exit 2 naming
    the slope; fails before: compared without a word)."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "lr.json")
        rc, out, err = run(neft, ["sample", "--activation", "leaky-relu", "--slope", "0.2",
                                  "--d-in", "1", "--width", "5", "--models", "600", "--at", "1",
                                  "--format", "json", "--output", path])
        if rc != 0:
            fail(f"sample leaky-relu: {err}")
            return
        base = ["onen", "--compare-samples", path, "--activation", "leaky-relu", "--cw", "1",
                "--cb", "0", "--depth", "2", "--width", "5", "--slope"]
        rc, out, err = run(neft, base + ["0.3"])
        if rc != 2 or "slope = 0.2" not in err or "--slope" not in err or out:
            fail(f"compare at another slope: exit {rc}, {err!r}")
        rc, out, err = run(neft, base + ["0.2"])
        if rc != 0:
            fail(f"compare at the samples' slope: exit {rc}, {err!r}")


def test_zero_kernel(neft):
    """K = 0 (input 0, C_b = 0): V/K^2 and the large-depth power laws are no
    numbers; printed n/a (text) and null (JSON), never 0 or nan."""
    for fmt in ("text", "json"):
        for exact in (True, False):
            args = ["onen", "--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "3",
                    "--k1", "0", "--format", fmt]
            if not exact:
                args[2] = "leaky-relu"
                args[3:3] = ["--slope", "1/3"]
            rc, out, err = run(neft, args)
            if rc != 0:
                fail(f"K = 0 ({fmt}): exit {rc}: {err}")
                continue
            if fmt == "text":
                rows = [l.split() for l in out.splitlines() if l[:5].strip().isdigit()]
                if not rows or any(r[5] != "n/a" for r in rows) or "nan" in out:
                    fail(f"K = 0 text: V/K^2 must be n/a and no nan: {out}")
            else:
                d = json.loads(out)
                if any(L["V_over_K2"] is not None for L in d["layers"]):
                    fail(f"K = 0 JSON: V_over_K2 must be null: {d['layers'][0]}")
                if any(a["exponent"] is not None or a["coefficient"] is not None
                       for a in d["asymptotics"].values()):
                    fail(f"K = 0 JSON: large-depth power laws must be null: {d['asymptotics']}")


def main():
    if len(sys.argv) < 2:
        print("usage: onen.py NEFT_BINARY RULES_DIR")
        return 2
    neft = sys.argv[1]
    for t in (test_relu_exact, test_relu_next_order, test_erf_arcsine, test_critical, test_compare, test_cli,
              test_tanh_power_laws, test_vertex2, test_gaussnet, test_refusals, test_zero_kernel,
              test_compare_param):
        t(neft)
    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print("onen: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The four-point vertex V_(ab)(cd) and the O(1/n) kernel shift G1_ab of three
inputs (`neft onen --at "x0;x1;x2"`, src/onen/vertex4.c) against an
independent computation here, and the exact reduction to the two-input vertex
when two inputs coincide.

Usage: python3 tests/onen_vertex4.py NEFT_BINARY RULES_DIR [--four] [--gauss]   (cwd tests/)
(--four: also four inputs of silu at depth 3, about a minute of CPU more; --gauss: only
the GaussNet checks, gauss() and coincide("gauss", ...), which compare with its exponential
moments in closed form instead)

Independent route (stdlib only): every Gaussian expectation by the trapezoid
rule on a 2-D or 3-D grid of a Cholesky frame (exponentially accurate for these
smooth integrands), and the K-derivatives by Price's theorem with the
activation's own derivatives (d<s_a s_b>/dK_ab = <s'_a s'_b>, d/dK_aa =
<s''_a s_b>/2, ...) -- where neft integrates Hermite weights.  Then the
multi-input recursion of RYH ch. 4,
    V'_(ab)(cd) = C_W^2 [<s_a s_b s_c s_d> - f2_ab f2_cd + sum D_ab,R D_cd,S V_RS]
    G1'_ab      = C_W [sum_R D_ab,R G1_R + 1/2 sum_RS H_ab,RS V_RS],
R, S over the entries (aa), (ab), (bb).  Every neft ball must contain the
reference within 1e-7 relative (the 3-D rule's balls are about 1e-9)."""

import itertools
import json
import math
import subprocess
import sys
from fractions import Fraction

failures = []
STEP, HALF = 0.3, 7.8
GRID = [i * STEP - HALF for i in range(int(round(2 * HALF / STEP)) + 1)]
WGT = [math.exp(-x * x / 2) * STEP / math.sqrt(2 * math.pi) for x in GRID]


def fail(what):
    print("FAIL:", what, flush=True)
    failures.append(what)


def derivs(name):
    """sigma and its first four derivatives"""
    if name == "tanh":
        def d(z):
            t = math.tanh(z)
            t1 = 1 - t * t
            t2 = -2 * t * t1
            t3 = -2 * (t1 * t1 + t * t2)
            t4 = -2 * (3 * t1 * t2 + t * t3)
            return (t, t1, t2, t3, t4)
        return d
    if name == "erf":
        def d(z):
            e = 2 / math.sqrt(math.pi) * math.exp(-z * z)
            return (math.erf(z), e, -2 * z * e, (4 * z * z - 2) * e, (-8 * z ** 3 + 12 * z) * e)
        return d
    if name == "gelu":
        # z Phi(z): Phi + z phi, phi (2 - z^2), phi (z^3 - 4 z), phi (-z^4 + 7 z^2 - 4)
        def d(z):
            ph = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
            Ph = 0.5 * math.erfc(-z / math.sqrt(2))
            return (z * Ph, Ph + z * ph, ph * (2 - z * z), ph * (z ** 3 - 4 * z),
                    ph * (-z ** 4 + 7 * z * z - 4))
        return d
    if name in ("silu", "softplus"):
        def d(z):
            s0 = 0.5 * (1 + math.tanh(z / 2))              # the logistic sigmoid
            s1 = s0 * (1 - s0)
            s2 = s1 * (1 - 2 * s0)
            s3 = s2 * (1 - 2 * s0) - 2 * s1 * s1
            s4 = s3 * (1 - 2 * s0) - 6 * s1 * s2
            if name == "softplus":
                sp = max(z, 0.0) + math.log1p(math.exp(-abs(z)))
                return (sp, s0, s1, s2, s3)
            return (z * s0, s0 + z * s1, 2 * s1 + z * s2, 3 * s2 + z * s3, 4 * s3 + z * s4)
        return d
    raise SystemExit("no activation " + name)


def chol(K):
    n = len(K)
    L = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = K[i][j] - sum(L[i][k] * L[j][k] for k in range(j))
            if i == j:
                L[i][j] = math.sqrt(s) if s > 1e-12 else 0.0   # rank 2 at layer 1
            else:
                L[i][j] = s / L[j][j] if L[j][j] > 0 else 0.0
    return L


def expect_nd(sig, K, funcs):
    """E[F(sigma derivatives at z)] for z ~ N(0, K) (n = len(K) <= 3):
    funcs(list of derivative tuples) -> list of values; returns their means."""
    n = len(K)
    L = chol(K)
    acc = None
    for idx in itertools.product(range(len(GRID)), repeat=n):
        w = 1.0
        for i in idx:
            w *= WGT[i]
        if w < 1e-18:
            continue
        xi = [GRID[i] for i in idx]
        ds = [sig(sum(L[a][k] * xi[k] for k in range(a + 1))) for a in range(n)]
        v = funcs(ds)
        if acc is None:
            acc = [0.0] * len(v)
        for k in range(len(v)):
            acc[k] += w * v[k]
    return acc


def pair_data(sig, K, a, b):
    """f2, D[R], H[R][S] of the pair (a, b), R over ((aa), (ab), (bb))"""
    if a == b:
        v = expect_nd(sig, [[K[a][a]]], lambda d: [
            d[0][0] ** 2, d[0][1] ** 2 + d[0][0] * d[0][2],
            0.25 * (2 * d[0][0] * d[0][4] + 8 * d[0][1] * d[0][3] + 6 * d[0][2] ** 2)])
        return v[0], {(a, a): v[1]}, {((a, a), (a, a)): v[2]}
    K2 = [[K[a][a], K[a][b]], [K[b][a], K[b][b]]]
    v = expect_nd(sig, K2, lambda d: [
        d[0][0] * d[1][0],
        0.5 * d[0][2] * d[1][0], d[0][1] * d[1][1], 0.5 * d[0][0] * d[1][2],
        0.25 * d[0][4] * d[1][0], 0.5 * d[0][3] * d[1][1], 0.25 * d[0][2] * d[1][2],
        d[0][2] * d[1][2], 0.5 * d[0][1] * d[1][3], 0.25 * d[0][0] * d[1][4]])
    R = [(a, a), (a, b), (b, b)]
    D = {R[0]: v[1], R[1]: v[2], R[2]: v[3]}
    Hm = {(0, 0): v[4], (0, 1): v[5], (0, 2): v[6], (1, 1): v[7], (1, 2): v[8], (2, 2): v[9]}
    H = {}
    for i in range(3):
        for j in range(3):
            H[R[i], R[j]] = Hm[min(i, j), max(i, j)]
    return v[0], D, H


def key(a, b):
    return (min(a, b), max(a, b))


def reference(act, cw, cb, depth, x):
    sig = derivs(act)
    P = len(x)
    K = [[cb + cw * x[a] * x[b] for b in range(P)] for a in range(P)]
    pairs = [(a, b) for a in range(P) for b in range(a, P)]
    V = {(p, q): 0.0 for p in pairs for q in pairs}
    G = {p: 0.0 for p in pairs}
    out = [(K, V, G)]
    for _ in range(1, depth):
        pd = {p: pair_data(sig, K, *p) for p in pairs}
        # four-factor expectations: one 3-D grid for every product
        quads = sorted(set(tuple(sorted(p + q)) for p in pairs for q in pairs))
        f4v = expect_nd(sig, K, lambda d: [d[i][0] * d[j][0] * d[k][0] * d[l][0]
                                           for (i, j, k, l) in quads])
        f4 = dict(zip(quads, f4v))
        Vn, Gn = {}, {}
        for p in pairs:
            f2p, Dp, Hp = pd[p]
            for q in pairs:
                f2q, Dq, _ = pd[q]
                s = f4[tuple(sorted(p + q))] - f2p * f2q
                s += sum(Dp[R] * Dq[S] * V[key(*R), key(*S)] for R in Dp for S in Dq)
                Vn[p, q] = cw * cw * s
            Gn[p] = cw * (sum(Dp[R] * G[key(*R)] for R in Dp)
                          + 0.5 * sum(Hp[R, S] * V[key(*R), key(*S)] for R in Dp for S in Dp))
        K = [[cb + cw * pd[key(a, b)][0] for b in range(P)] for a in range(P)]
        V, G = Vn, Gn
        out.append((K, V, G))
    return out, pairs


def ball(b):
    return float(b["mid"]), float(b["rad"])


def contains(b, ref, label, rel=1e-7):
    mid, rad = ball(b)
    ok = abs(mid - ref) <= rad + rel * max(abs(ref), 1e-3)
    if not ok:
        print("%-40s neft %.12g +/- %.2g, reference %.12g: FAILED" % (label, mid, rad, ref),
              flush=True)
        fail("%s: %r vs %.15g" % (label, b, ref))
    return ok


def run(act, cw, cb, depth, x, d_in=1):
    p = subprocess.run([NEFT, "onen", "--activation", act, "--cw", str(cw), "--cb", str(cb),
                        "--depth", str(depth), "--at",
                        ";".join(",".join(str(c) for c in v) if isinstance(v, tuple) else str(v)
                                 for v in x),
                        "--d-in", str(d_in), "--prec", "64", "--format", "json"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900)
    if p.returncode != 0:
        fail("%s %s: neft onen failed (%d): %s" % (act, x, p.returncode, p.stderr.decode()))
        return None
    return json.loads(p.stdout)


def case(act, cw, cb, depth, x):
    doc = run(act, cw, cb, depth, x)
    if doc is None:
        return
    if "vertex" not in doc or "g1" not in doc:
        fail("%s: no vertex or g1 in the output" % act)
        return
    ref, pairs = reference(act, cw, cb, depth, x)
    n = 0
    ok = True
    for l in range(1, depth):
        K, V, G = ref[l]
        lay = doc["vertex"][l]
        if [tuple(p) for p in lay["pairs"]] != pairs:
            fail("%s: pairs %r" % (act, lay["pairs"]))
            return
        for i, p in enumerate(pairs):
            ok &= contains(doc["g1"][l]["G1"][p[0]][p[1]], G[p], "%s L=%d G1_%s" % (act, l + 1, p))
            n += 1
            for j, q in enumerate(pairs):
                ok &= contains(lay["V"][i][j], V[p, q], "%s L=%d V_%s%s" % (act, l + 1, p, q))
                n += 1
    three = [V[p, q] for (p, q) in V if len(set(p + q)) == 3]
    print("%s depth %d inputs %s: %d balls against the reference: %s (largest three-input "
          "|V| %.4g, G1_01 %.4g)" % (act, depth, x, n, "ok" if ok else "FAILED",
                                      max(abs(v) for v in three), ref[-1][2][(0, 1)]),
          flush=True)
    if max(abs(v) for v in three) < 1e-2 or abs(ref[-1][2][(0, 1)]) < 1e-3:
        fail("%s: the three-input entries are too small to test" % act)


def coincide(act, cw, cb, depth, g1=True):
    """inputs (x0, x1, x0): every V and G1 entry equals the two-input run's, digit for digit
    (g1 False: only V, the two-input run has no G1 -- gauss, closed form)"""
    d3 = run(act, cw, cb, depth, (0.6, 1.0, 0.6))
    d2 = run(act, cw, cb, depth, (0.6, 1.0))
    if d3 is None or d2 is None:
        return
    if "vertex" not in d3 or "vertex" not in d2:
        fail("%s coinciding inputs: no vertex" % act)
        return
    m = [0, 1, 0]
    bad = 0
    for l in range(depth):
        p3 = [tuple(p) for p in d3["vertex"][l]["pairs"]]
        p2 = [tuple(p) for p in d2["vertex"][l]["pairs"]]
        for i, p in enumerate(p3):
            for j, q in enumerate(p3):
                pp = tuple(sorted((m[p[0]], m[p[1]])))
                qq = tuple(sorted((m[q[0]], m[q[1]])))
                if d3["vertex"][l]["V"][i][j] != d2["vertex"][l]["V"][p2.index(pp)][p2.index(qq)]:
                    bad += 1
            if g1 and d3["g1"][l]["G1"][p[0]][p[1]] != d2["g1"][l]["G1"][m[p[0]]][m[p[1]]]:
                bad += 1
    print("%s: inputs (0.6, 1, 0.6) against (0.6, 1): %d entries differ" % (act, bad))
    if bad:
        fail("%s: coinciding inputs do not reproduce the two-input vertex (%d)" % (act, bad))


def four_rank3(act, cw, cb, x):
    """four inputs in d_in = 2, depth 2: the V^(2) entries of four distinct inputs,
    C_W^2 (E[s0 s1 s2 s3] - f2 f2), against the trapezoid rule on the inputs' rank-3 frame
    z_a = sqrt(C_b) g_0 + sqrt(C_W / 2) x_a . (g_1, g_2) (neft: its 3-D panel rule with the
    growth bound; refused before)"""
    doc = run(act, cw, cb, 2, x, d_in=2)
    if doc is None:
        return
    if "vertex" not in doc:
        fail("%s four inputs: no vertex" % act)
        return
    sig = derivs(act)
    u = [(math.sqrt(cb), math.sqrt(cw / 2) * v[0], math.sqrt(cw / 2) * v[1]) for v in x]
    acc = [0.0] * 7
    for idx in itertools.product(range(len(GRID)), repeat=3):
        w = WGT[idx[0]] * WGT[idx[1]] * WGT[idx[2]]
        if w < 1e-18:
            continue
        g = [GRID[i] for i in idx]
        s_ = [sig(sum(a * b for a, b in zip(ua, g)))[0] for ua in u]
        acc[0] += w * s_[0] * s_[1] * s_[2] * s_[3]
        for k, (a, b) in enumerate(((0, 1), (2, 3), (0, 2), (1, 3), (0, 3), (1, 2))):
            acc[k + 1] += w * s_[a] * s_[b]
    pairs = [tuple(p) for p in doc["vertex"][1]["pairs"]]
    ok = True
    for k, (p, q) in enumerate((((0, 1), (2, 3)), ((0, 2), (1, 3)), ((0, 3), (1, 2)))):
        ref = cw * cw * (acc[0] - acc[2 * k + 1] * acc[2 * k + 2])
        for a, b in ((p, q), (q, p)):
            ok &= contains(doc["vertex"][1]["V"][pairs.index(a)][pairs.index(b)], ref,
                           "%s four inputs V_%s%s" % (act, a, b))
    print("%s four inputs in d_in 2 (rank 3 at layer 1), depth 2: E[s0 s1 s2 s3] = %.10g; "
          "6 V entries against the reference: %s" % (act, acc[0], "ok" if ok else "FAILED"),
          flush=True)


def four_sub(act, cw, cb, x):
    """four inputs, depth 3: the entries over the first three inputs are the three-input
    run's, digit for digit (the same pair and triple expectations), the entries of four
    distinct inputs are finite balls"""
    d4 = run(act, cw, cb, 3, x)
    d3 = run(act, cw, cb, 3, x[:3])
    if d4 is None or d3 is None:
        return
    bad = n4 = 0
    for l in range(3):
        p4 = [tuple(p) for p in d4["vertex"][l]["pairs"]]
        p3 = [tuple(p) for p in d3["vertex"][l]["pairs"]]
        for i, p in enumerate(p4):
            for j, q in enumerate(p4):
                b = d4["vertex"][l]["V"][i][j]
                if p in p3 and q in p3:
                    bad += b != d3["vertex"][l]["V"][p3.index(p)][p3.index(q)]
                elif len(set(p + q)) == 4 and l == 2:
                    n4 += 1
                    if not (math.isfinite(float(b["mid"])) and float(b["rad"]) < 1e-4):
                        bad += 1
            if p in p3:
                bad += d4["g1"][l]["G1"][p[0]][p[1]] != d3["g1"][l]["G1"][p[0]][p[1]]
    print("%s four inputs %s, depth 3: %d entries differ from the three-input run or are not "
          "finite (%d of four distinct inputs at layer 3)" % (act, x, bad, n4), flush=True)
    if bad or n4 != 6:
        fail("%s four inputs: %d entries bad, %d of four inputs" % (act, bad, n4))


def gauss_ref(cw, cb, x):
    """GaussNet at depth 2 from the exponential moments (floats of exact kernels):
    sigma(z) = exp(z - K_aa), E[prod_i sigma(z_i)] = exp(1/2 sum_ij K_ij - sum_i K_ii),
    V^(2)_(ab)(cd) = C_W^2 (E[s_a s_b s_c s_d] - E[s_a s_b] E[s_c s_d]), G1 = 0
    (V^(1) = G1^(1) = 0)"""
    P = len(x)
    K = [[float(Fraction(str(cb)) + Fraction(str(cw)) * sum(Fraction(str(u)) * Fraction(str(v))
                                                  for u, v in zip(x[a], x[b])) / len(x[a]))
          for b in range(P)] for a in range(P)]

    def E(*idx):
        return math.exp(0.5 * sum(K[i][j] for i in idx for j in idx) - sum(K[i][i] for i in idx))
    pairs = [(a, b) for a in range(P) for b in range(a, P)]
    V = {(p, q): float(cw) ** 2 * (E(*(p + q)) - E(*p) * E(*q)) for p in pairs for q in pairs}
    K2 = [[float(cb) + float(cw) * E(a, b) for b in range(P)] for a in range(P)]
    return K, K2, V, pairs


def gauss(cw, cb, x):
    """GaussNet (gauss, depth 2) at three or four points: every V and G1 entry of both
    layers against gauss_ref, 1e-12 relative (neft: closed forms in Arb; refused before)"""
    d_in = len(x[0])
    doc = run("gauss", cw, cb, 2, x if d_in > 1 else [v[0] for v in x], d_in=d_in)
    if doc is None:
        return
    if "vertex" not in doc or "g1" not in doc:
        fail("gauss %s: no vertex or g1 in the output" % (x,))
        return
    K, K2, V, pairs = gauss_ref(cw, cb, x)
    ok, n, dist = True, 0, 0
    for l in range(2):
        lay = doc["vertex"][l]
        if [tuple(p) for p in lay["pairs"]] != pairs:
            fail("gauss: pairs %r" % lay["pairs"])
            return
        for i, p in enumerate(pairs):
            for j, q in enumerate(pairs):
                ok &= contains(lay["V"][i][j], V[p, q] if l else 0.0,
                               "gauss L=%d V_%s%s" % (l + 1, p, q), rel=1e-12)
                n += 1
                dist += l == 1 and len(set(p + q)) >= 3
        for a in range(len(x)):
            for b in range(len(x)):
                g = doc["g1"][l]["G1"][a][b]
                if float(g["mid"]) != 0 or float(g["rad"]) != 0:
                    ok = False
                    fail("gauss L=%d G1_%d%d = %r, not 0" % (l + 1, a, b, g))
                n += 1
                ok &= contains(doc["kernel"][l]["K"][a][b] if "kernel" in doc else {"mid": "nan", "rad": "0"},
                               (K, K2)[l][a][b], "gauss L=%d K_%d%d" % (l + 1, a, b), rel=1e-12)
    three = max(abs(V[p, q]) for (p, q) in V if len(set(p + q)) >= 3)
    print("gauss depth 2 inputs %s: %d balls against the exponential moments: %s (%d entries "
          "of three or more distinct inputs, largest |V| %.4g)" % (x, n, "ok" if ok else "FAILED",
                                                                   dist, three), flush=True)
    if three < 1e-2:
        fail("gauss: the entries of three or more inputs are too small to test")


def main():
    global NEFT
    NEFT = sys.argv[1]
    gauss(2, "0.1", ((0.6,), (1.0,), (-0.4,)))
    gauss("1.5", "0.2", ((0.5, 1.0), (1.0, -0.5), (-1.0, 0.25), (0.3, 0.7)))
    coincide("gauss", "1.5", "0.1", 2, g1=False)
    if "--gauss" in sys.argv:
        # GaussNet alone (a second; the rows below take minutes)
        print("onen_vertex4 --gauss: %s" % ("%d failure(s)" % len(failures) if failures
                                           else "all checks passed"))
        return 1 if failures else 0
    case("tanh", 1.5, 0.1, 3, (0.6, 1.0, -0.4))
    case("erf", 1.2, 0.2, 3, (-0.7, 1.1, 0.3))
    coincide("tanh", 1.5, 0.1, 3)
    # the unbounded rows (growth bound |sigma| <= a + b |z|): refused before
    case("gelu", 1.5, 0.1, 3, (0.6, 1.0, -0.4))
    case("silu", 2.0, 0.2, 3, (-0.7, 1.1, 0.3))
    case("softplus", 1.2, 0.1, 3, (0.5, -1.0, 0.8))
    four_rank3("softplus", 1.5, 0.2, ((0.5, 1.0), (1.0, -0.5), (-1.0, 0.25), (0.3, 0.7)))
    four_rank3("gelu", 2.0, 0.1, ((0.5, 1.0), (1.0, -0.5), (-1.0, 0.25), (0.3, 0.7)))
    if "--four" in sys.argv:
        # four inputs at depth 3 (a 4-D rule of an unbounded row at layer 2: about a
        # minute of CPU, so not in the suite; run by hand, docs/cmd-onen.md)
        four_sub("silu", 1.5, 0.1, (0.6, 1.0, -0.4, -1.1))
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("onen_vertex4: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The four-point vertex V_(ab)(cd) and the O(1/n) kernel shift G1_ab of three
and four inputs for the piecewise-linear activations (relu, leaky-relu:
`neft onen --at "x0;x1;x2[;x3]"`, src/gaussexp/pwlin.c, src/onen/vertex4_pl.c)
against an independent computation here.  Before, these were refused (exit 3).

Usage: python3 tests/onen_vertex4_pl.py NEFT_BINARY   (stdlib only)

Independent route (neft uses Stein's identity down to orthant probabilities
and Plackett's 1-D integral; closed-form K-derivatives):
- layer 1 with d_in = 1 has a rank-2 kernel, z_i = sqrt(C_b) g_1 + sqrt(C_W) x_i g_2:
  every Gaussian expectation of a degree-d product is E[r^d]/(2 pi) times an
  angular integral of a trigonometric polynomial, done by Gauss-Legendre on
  the sectors between the kinks (exact to rounding);
- layers >= 2 (full rank): E[s_a^p s_b^q s_c] = E[s_a^p s_b^q E[s_c | z_a, z_b]],
  the inner expectation in closed form (m Phi(m/v) + v phi(m/v)), the outer in
  polar coordinates of the Cholesky frame, Gauss-Legendre on each sector
  between kinks and in the radius;
- the K-derivatives of the pair kernel f2 (arc-cosine) by fourth-order finite
  differences (neft: closed forms);
- four distinct full-rank inputs (d_in = 3): Monte Carlo with 6 standard errors;
- four inputs of a singular kernel (layer 1 with d_in + (C_b != 0) <= 3: rank 2
  or 3; neft: relu's cone integrals of src/exact/cone.c or closed-form arcs,
  src/gaussexp/pwlin_span.c; refused before): E[s s s s] = E[chi_3^4] times the
  mean over the sphere, Gauss-Legendre on the sectors between kinks in
  spherical coordinates, and V^(2) = C_W^2 (E[s s s s] - f2 f2) for the three
  entries of four distinct inputs.
Also the inputs (0.6, 1, 0.6) against the two-input vertex (0.6, 1), whose
relu route is a different closed form (src/onen/vertex2.c): the balls overlap."""

import json
import math
import random
import subprocess
import sys

failures = []


def fail(what):
    print("FAIL:", what, flush=True)
    failures.append(what)


def gauss_legendre(n):
    xs, ws = [], []
    for i in range(n):
        x = math.cos(math.pi * (i + 0.75) / (n + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = n * (x * p1 - p0) / (x * x - 1)
            dx = p1 / dp
            x -= dx
            if abs(dx) < 1e-16:
                break
        xs.append(x)
        ws.append(2 / ((1 - x * x) * dp * dp))
    return xs, ws


GL = gauss_legendre(40)
GLR = gauss_legendre(80)


def quad(f, a, b, rule=GL):
    xs, ws = rule
    h = (b - a) / 2
    return h * sum(w * f(a + h * (1 + x)) for x, w in zip(xs, ws))


def sig(s):
    return lambda z: z if z > 0 else s * z


def sectors(vecs):
    """angles in [0, 2 pi) where some v . (cos t, sin t) = 0, sorted, closed"""
    cuts = [0.0, 2 * math.pi]
    for (a, b) in vecs:
        if a == 0 and b == 0:
            continue
        t0 = math.atan2(a, -b) % math.pi
        cuts += [t0, t0 + math.pi]
    cuts = sorted(cuts)
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i + 1] - cuts[i] > 1e-14]


def expect_rank2(s, vecs, powers):
    """E[prod sigma(v_i . g)^p_i], g ~ N(0, I_2), total degree d"""
    sg = sig(s)
    d = sum(powers)
    er = 2 ** (d / 2) * math.gamma(d / 2 + 1)

    def f(t):
        c, n = math.cos(t), math.sin(t)
        out = 1.0
        for (a, b), p in zip(vecs, powers):
            out *= sg(a * c + b * n) ** p
        return out
    return er / (2 * math.pi) * sum(quad(f, lo, hi) for lo, hi in sectors(vecs))


def expect_sphere(s, vecs):
    """E[prod sigma(v_a . g)], g ~ N(0, I_3), sigma(z) = z (z > 0), s z (z < 0), degree 4:
    E[chi_3^4] = 15 times the mean over the sphere, in spherical coordinates
    (theta from the pole, phi the azimuth), Gauss-Legendre on the phi-sectors between
    the azimuths of the great circles' intersections and of their poles, and on the
    theta-sectors between the kinks (the integrand is then a trigonometric polynomial)"""
    sg = sig(s)
    d = len(vecs)
    er = 2 ** (d / 2) * math.gamma((d + 3) / 2) / math.gamma(1.5)
    cuts = [0.0, 2 * math.pi]
    for a in range(d):
        ua = vecs[a]
        # azimuths where the circle v_a . n = 0 meets theta = 0 / pi for all theta: A(phi) = 0
        if abs(ua[0]) + abs(ua[1]) > 0:
            t0 = math.atan2(ua[0], -ua[1]) % math.pi
            cuts += [t0, t0 + math.pi]
        for b in range(a + 1, d):
            ub = vecs[b]
            c = (ua[1] * ub[2] - ua[2] * ub[1], ua[2] * ub[0] - ua[0] * ub[2],
                 ua[0] * ub[1] - ua[1] * ub[0])
            if abs(c[0]) + abs(c[1]) > 1e-15:
                t0 = math.atan2(c[1], c[0]) % (2 * math.pi)
                cuts += [t0, (t0 + math.pi) % (2 * math.pi)]
    cuts = sorted(cuts)
    phis = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i + 1] - cuts[i] > 1e-13]

    def inner(ph):
        cp, sp = math.cos(ph), math.sin(ph)
        tc = [0.0, math.pi]
        for u in vecs:
            A = u[0] * cp + u[1] * sp
            if abs(A) + abs(u[2]) > 0:
                t = math.atan2(-u[2], A) % math.pi   # A sin t + u3 cos t = 0
                tc.append(t)
        tc = sorted(tc)

        def f(t):
            st, ct = math.sin(t), math.cos(t)
            out = st
            for u in vecs:
                out *= sg(st * (u[0] * cp + u[1] * sp) + ct * u[2])
            return out
        return sum(quad(f, tc[i], tc[i + 1]) for i in range(len(tc) - 1)
                   if tc[i + 1] - tc[i] > 1e-14)
    return er / (4 * math.pi) * sum(quad(inner, lo, hi) for lo, hi in phis)


def chol2(K2):
    a = math.sqrt(K2[0][0])
    b = K2[0][1] / a
    c = math.sqrt(K2[1][1] - b * b)
    return (a, 0.0), (b, c)


def expect_three(s, K, ia, pa, ib, pb, ic):
    """E[sigma(z_a)^pa sigma(z_b)^pb sigma(z_c)], z ~ N(0, K), K positive definite"""
    sg = sig(s)
    Kab = [[K[ia][ia], K[ia][ib]], [K[ib][ia], K[ib][ib]]]
    det = Kab[0][0] * Kab[1][1] - Kab[0][1] ** 2
    inv = [[Kab[1][1] / det, -Kab[0][1] / det], [-Kab[0][1] / det, Kab[0][0] / det]]
    kc = [K[ic][ia], K[ic][ib]]
    beta = [kc[0] * inv[0][0] + kc[1] * inv[1][0], kc[0] * inv[0][1] + kc[1] * inv[1][1]]
    v = math.sqrt(K[ic][ic] - beta[0] * kc[0] - beta[1] * kc[1])
    la, lb = chol2(Kab)          # z_a = la . g, z_b = lb . g

    def inner(m):
        phi = math.exp(-m * m / (2 * v * v)) / math.sqrt(2 * math.pi)
        Phi = 0.5 * (1 + math.erf(m / (v * math.sqrt(2))))
        return s * m + (1 - s) * (m * Phi + v * phi)
    RMAX = 14.0

    def f_theta(t):
        c, n = math.cos(t), math.sin(t)
        za1 = la[0] * c + la[1] * n
        zb1 = lb[0] * c + lb[1] * n

        def fr(r):
            za, zb = r * za1, r * zb1
            m = beta[0] * za + beta[1] * zb
            return r * math.exp(-r * r / 2) * sg(za) ** pa * sg(zb) ** pb * inner(m)
        return quad(fr, 0.0, RMAX, GLR) / (2 * math.pi)
    return sum(quad(f_theta, lo, hi) for lo, hi in sectors([la, lb]))


def f2_closed(s, kaa, kab, kbb):
    det = max(kaa * kbb - kab * kab, 0.0)
    th = math.atan2(math.sqrt(det), kab)
    r = (math.sqrt(det) + (math.pi - th) * kab) / (2 * math.pi)
    return s * kab + (1 - s) ** 2 * r


def d1(f, x, h):
    return (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)


def pair_data(s, K, a, b):
    """f2, D[R], H[R][S] of the pair (a, b), R over (aa), (ab), (bb)"""
    if a == b:
        return (1 + s * s) / 2 * K[a][a], {(a, a): (1 + s * s) / 2}, {((a, a), (a, a)): 0.0}
    x0 = [K[a][a], K[a][b], K[b][b]]
    # the derivatives grow like 1/det near collinearity: the step follows det
    h = 5e-3 * (x0[0] * x0[2] - x0[1] ** 2) / max(x0)

    def F(x):
        return f2_closed(s, x[0], x[1], x[2])

    def part(i, g):
        return lambda x: d1(lambda t: g(x[:i] + [t] + x[i + 1:]), x[i], h)
    R = [(a, a), (a, b), (b, b)]
    D = {R[i]: part(i, F)(x0) for i in range(3)}
    H = {(R[i], R[j]): part(j, part(i, F))(x0) for i in range(3) for j in range(3)}
    return F(x0), D, H


def key(a, b):
    return (min(a, b), max(a, b))


GS = {}


def reference(s, cw, cb, depth, x):
    """K, V, G1 per layer; d_in = 1"""
    P = len(x)
    K = [[cb + cw * x[a] * x[b] for b in range(P)] for a in range(P)]
    vec = [(math.sqrt(cb), math.sqrt(cw) * xa) for xa in x]
    pairs = [(a, b) for a in range(P) for b in range(a, P)]
    V = {(p, q): 0.0 for p in pairs for q in pairs}
    G = {p: 0.0 for p in pairs}
    out = [(K, V, G)]
    for layer in range(1, depth):
        pd = {p: pair_data(s, K, *p) for p in pairs}
        f4 = {}
        for p in pairs:
            for q in pairs:
                quad4 = tuple(sorted(p + q))
                if quad4 in f4:
                    continue
                cls = sorted(set(quad4))
                pw = [quad4.count(c) for c in cls]
                if layer == 1:
                    f4[quad4] = expect_rank2(s, [vec[c] for c in cls], pw)
                elif len(cls) <= 2:
                    L = chol2([[K[cls[0]][cls[0]], K[cls[0]][cls[-1]]],
                               [K[cls[-1]][cls[0]], K[cls[-1]][cls[-1]]]])
                    f4[quad4] = expect_rank2(s, [L[0], L[1]][:len(cls)], pw)
                elif len(cls) == 3:
                    i2 = pw.index(2)
                    o = [c for j, c in enumerate(cls) if j != i2]
                    f4[quad4] = expect_three(s, K, cls[i2], 2, o[0], 1, o[1])
                else:
                    raise SystemExit("four distinct inputs beyond layer 1: not here")
        Vn, Gn = {}, {}
        for p in pairs:
            f2p, Dp, Hp = pd[p]
            for q in pairs:
                f2q, Dq, _ = pd[q]
                t = f4[tuple(sorted(p + q))] - f2p * f2q
                t += sum(Dp[R] * Dq[S] * V[key(*R), key(*S)] for R in Dp for S in Dq)
                Vn[p, q] = cw * cw * t
            Gn[p] = cw * (sum(Dp[R] * G[key(*R)] for R in Dp)
                          + 0.5 * sum(Hp[R, S] * V[key(*R), key(*S)] for R in Dp for S in Dp))
            # the size of the terms (G1 cancels: finite differences err relative to this)
            GS[layer, p] = cw * (sum(abs(Dp[R] * G[key(*R)]) for R in Dp)
                                 + 0.5 * sum(abs(Hp[R, S] * V[key(*R), key(*S)])
                                             for R in Dp for S in Dp))
        K = [[cb + cw * pd[key(a, b)][0] for b in range(P)] for a in range(P)]
        V, G = Vn, Gn
        out.append((K, V, G))
    return out, pairs


def ball(b):
    return float(b["mid"]), float(b["rad"])


def contains(b, ref, label, rel):
    mid, rad = ball(b)
    ok = abs(mid - ref) <= rad + rel * max(abs(ref), 1e-3)
    if not ok:
        print("%-40s neft %.12g +/- %.2g, reference %.12g: FAILED" % (label, mid, rad, ref),
              flush=True)
        fail("%s: %r vs %.15g" % (label, b, ref))
    return ok


def run(act, cw, cb, depth, x, d_in=1, extra=()):
    args = [NEFT, "onen", "--activation", act, "--cw", str(cw), "--cb", str(cb),
            "--depth", str(depth), "--at", ";".join(",".join(str(c) for c in v)
                                                     if isinstance(v, tuple) else str(v)
                                                     for v in x),
            "--d-in", str(d_in), "--format", "json"] + list(extra)
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    if p.returncode != 0:
        fail("%s %s: neft onen failed (%d): %s" % (act, x, p.returncode, p.stderr.decode()))
        return None
    return json.loads(p.stdout)


def case(act, s, cw, cb, depth, x, extra=(), rel=1e-8):
    doc = run(act, cw, cb, depth, x, extra=extra)
    if doc is None:
        return
    if "vertex" not in doc or "g1" not in doc:
        fail("%s: no vertex or g1 in the output" % act)
        return
    ref, pairs = reference(s, cw, cb, depth, x)
    n, ok, widest = 0, True, 0.0
    for l in range(1, depth):
        K, V, G = ref[l]
        lay = doc["vertex"][l]
        if [tuple(p) for p in lay["pairs"]] != pairs:
            fail("%s: pairs %r" % (act, lay["pairs"]))
            return
        for i, p in enumerate(pairs):
            ok &= contains(doc["g1"][l]["G1"][p[0]][p[1]], G[p], "%s L=%d G1_%s" % (act, l + 1, p),
                           1e-6 * GS[l, p] / max(abs(G[p]), 1e-3))
            n += 1
            for j, q in enumerate(pairs):
                ok &= contains(lay["V"][i][j], V[p, q], "%s L=%d V_%s%s" % (act, l + 1, p, q), rel)
                widest = max(widest, ball(lay["V"][i][j])[1])
                n += 1
    many = [abs(V[p, q]) for (p, q) in V if len(set(p + q)) >= 3]
    print("%s depth %d inputs %s: %d balls against the reference: %s (largest |V| of >= 3 "
          "inputs %.4g, widest ball %.2g)" % (act, depth, x, n, "ok" if ok else "FAILED",
                                              max(many), widest), flush=True)
    if max(many) < 1e-2:
        fail("%s: the multi-input entries are too small to test" % act)


def coincide():
    """(0.6, 1, 0.6) against (0.6, 1): the two-input relu vertex is a separate closed form"""
    d3 = run("relu", 2, 0.1, 3, (0.6, 1.0, 0.6))
    d2 = run("relu", 2, 0.1, 3, (0.6, 1.0))
    if d3 is None or d2 is None:
        return
    m = [0, 1, 0]
    bad = 0
    for l in range(3):
        p3 = [tuple(p) for p in d3["vertex"][l]["pairs"]]
        p2 = [tuple(p) for p in d2["vertex"][l]["pairs"]]
        for i, p in enumerate(p3):
            for j, q in enumerate(p3):
                pp = tuple(sorted((m[p[0]], m[p[1]])))
                qq = tuple(sorted((m[q[0]], m[q[1]])))
                a = ball(d3["vertex"][l]["V"][i][j])
                b = ball(d2["vertex"][l]["V"][p2.index(pp)][p2.index(qq)])
                if abs(a[0] - b[0]) > a[1] + b[1] + 1e-15 * abs(a[0]):
                    bad += 1
    print("relu: inputs (0.6, 1, 0.6) against (0.6, 1): %d of %d entries disjoint" %
          (bad, 3 * 36))
    if bad:
        fail("relu: coinciding inputs do not reproduce the two-input vertex (%d)" % bad)


def monte_carlo_four():
    """four distinct inputs in d_in = 3 (full rank at layer 1): depth 2, V^(2) of the
    four-distinct entry against a Monte Carlo estimate of C_W^2 (E[s s s s] - f2 f2)"""
    cw, cb, s = 1.5, 0.2, 0.1
    x = [(1.0, 0.2, -0.5), (0.3, 1.0, 0.4), (-0.6, 0.5, 1.0), (0.8, -0.7, 0.3)]
    doc = run("leaky-relu", cw, cb, 2, x, d_in=3, extra=("--slope", str(s)))
    if doc is None:
        return
    pairs = [tuple(p) for p in doc["vertex"][1]["pairs"]]
    i, j = pairs.index((0, 1)), pairs.index((2, 3))
    mid, rad = ball(doc["vertex"][1]["V"][i][j])
    K = [[cb + cw * sum(a * b for a, b in zip(xa, xb)) / 3 for xb in x] for xa in x]
    # Cholesky
    L = [[0.0] * 4 for _ in range(4)]
    for a in range(4):
        for b in range(a + 1):
            t = K[a][b] - sum(L[a][k] * L[b][k] for k in range(b))
            L[a][b] = math.sqrt(t) if a == b else t / L[b][b]
    rng = random.Random(19)
    sg = sig(s)
    N = 200000
    acc = acc2 = 0.0
    for _ in range(N):
        g = [rng.gauss(0, 1) for _ in range(4)]
        z = [sum(L[a][k] * g[k] for k in range(a + 1)) for a in range(4)]
        v = sg(z[0]) * sg(z[1]) * sg(z[2]) * sg(z[3])
        acc += v
        acc2 += v * v
    mean = acc / N
    se = math.sqrt((acc2 / N - mean * mean) / N)
    ref = cw * cw * (mean - f2_closed(s, K[0][0], K[0][1], K[1][1])
                     * f2_closed(s, K[2][2], K[2][3], K[3][3]))
    err = cw * cw * se
    print("leaky-relu d_in 3, four inputs: V_(01)(23) = %.8g +/- %.2g, Monte Carlo %.6g +/- %.2g"
          % (mid, rad, ref, err))
    if abs(mid - ref) > rad + 6 * err:
        fail("four inputs: V_(01)(23) %.8g against Monte Carlo %.6g +/- %.2g" % (mid, ref, err))
    if abs(ref) < 10 * err:
        fail("four inputs: the entry is not resolved by the Monte Carlo")


def four_singular(act, s, cw, cb, x, d_in, extra=()):
    """four distinct inputs at layer 1 of a singular kernel (rank d_in + (cb != 0) <= 3):
    the three V^(2) entries of four distinct inputs against the sphere reference"""
    doc = run(act, cw, cb, 2, x, d_in=d_in, extra=extra)
    if doc is None:
        return
    if "vertex" not in doc:
        fail("%s four inputs, d_in %d: no vertex" % (act, d_in))
        return
    pts = [v if isinstance(v, tuple) else (v,) for v in x]
    vecs = [([math.sqrt(cb)] if cb else []) + [math.sqrt(cw / d_in) * c for c in v]
            for v in pts]
    rank = len(vecs[0])
    vecs = [tuple(v + [0.0] * (3 - rank)) for v in vecs]
    e4 = expect_sphere(s, vecs)
    K = [[cb + cw * sum(a * b for a, b in zip(xa, xb)) / d_in for xb in pts] for xa in pts]
    pairs = [tuple(p) for p in doc["vertex"][1]["pairs"]]
    ok, worst = True, 0.0
    for (a, b), (c, d) in (((0, 1), (2, 3)), ((0, 2), (1, 3)), ((0, 3), (1, 2))):
        ref = cw * cw * (e4 - f2_closed(s, K[a][a], K[a][b], K[b][b])
                         * f2_closed(s, K[c][c], K[c][d], K[d][d]))
        for p, q in (((a, b), (c, d)), ((c, d), (a, b))):
            bl = doc["vertex"][1]["V"][pairs.index(p)][pairs.index(q)]
            ok &= contains(bl, ref, "%s d_in %d V_%s%s" % (act, d_in, p, q), 1e-9)
            worst = max(worst, ball(bl)[1])
    print("%s four inputs, d_in %d, C_b %g (rank %d at layer 1): E[s s s s] = %.10g; 6 V "
          "entries against the sphere reference: %s (widest ball %.2g)"
          % (act, d_in, cb, rank, e4, "ok" if ok else "FAILED", worst),
          flush=True)


def kernel_only():
    """--kernel-only: the kernel matrix of the full run, no vertex or G1, in little time
    (erf at four points integrates the vertex for minutes without it)"""
    full = run("relu", 2, 0.1, 3, (0.5, 1.0, -1.0))
    only = run("relu", 2, 0.1, 3, (0.5, 1.0, -1.0), extra=("--kernel-only",))
    if full is None or only is None:
        return
    if "vertex" in only or "g1" in only or only.get("kernel") != full.get("kernel"):
        fail("--kernel-only: members %r, kernel equal: %s" %
             (sorted(only), only.get("kernel") == full.get("kernel")))
    args = [NEFT, "onen", "--activation", "erf", "--cw", "1.2", "--cb", "0.2", "--depth", "3",
            "--at", "-0.7;1.1;0.3;0.5", "--d-in", "1", "--kernel-only"]
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    text = p.stdout.decode()
    print("--kernel-only: erf at four points in %.2f s of CPU" % cpu)
    if (p.returncode != 0 or "# kernel matrix" not in text
            or "# four-point vertex: not computed (--kernel-only)" not in text or cpu > 20):
        fail("--kernel-only erf: exit %d, %.1f s of CPU, %r" % (p.returncode, cpu, text[-200:]))


def main():
    global NEFT
    NEFT = sys.argv[1]
    case("relu", 0.0, 2.0, 0.1, 3, (0.5, 1.0, -1.0))
    case("leaky-relu", 0.2, 1.5, 0.2, 3, (-0.7, 1.1, 0.3), extra=("--slope", "0.2"))
    # four inputs of a singular kernel (layer 1: rank 2 and 3), refused before
    four_singular("relu", 0.0, 2.0, 0.1, (0.5, 1.0, -1.0, 0.25), 1)
    four_singular("leaky-relu", 0.2, 1.5, 0.2, (-0.7, 1.1, 0.3, -0.2), 1, ("--slope", "0.2"))
    four_singular("relu", 0.0, 2.0, 0.3, ((0.5, 1.0), (1.0, -0.5), (-1.0, 0.25), (0.3, 0.7)), 2)
    four_singular("leaky-relu", 0.1, 1.5, 0.2,
                  ((0.5, 1.0), (1.0, -0.5), (-1.0, 0.25), (0.3, 0.7)), 2, ("--slope", "0.1"))
    four_singular("leaky-relu", 0.1, 1.5, 0.0,
                  ((0.5, 1.0, 0.2), (1.0, -0.5, 0.6), (-1.0, 0.25, 0.4), (0.3, 0.7, -1.0)), 3,
                  ("--slope", "0.1"))
    coincide()
    monte_carlo_four()
    kernel_only()
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("onen_vertex4_pl: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

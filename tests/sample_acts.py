#!/usr/bin/env python3
"""`neft sample` with every activation of the table (issue 15, items 2 and 3).

Usage: python3 tests/sample_acts.py NEFT_BINARY   (cwd tests/)

Before the sampler took the net, only relu, erf, tanh and gauss were sampled.
For each newly reachable activation -- leaky-relu with two slopes, linear,
gelu, silu, sigmoid, sin -- the sampled correlators agree within 4 standard
errors with references computed here independently (stdlib only):
- depth 2 (one hidden layer, d_in = 1, sigma_w, sigma_b): G2 and the
  connected G4 of two points.  With h = sigma(w x + b), (w, b) ~ N(0, diag(sw^2, sb^2)),
      G2(i,j)   = sb^2 + sw^2 E[h_i h_j],
      G4c(ijkl) = sw^4/N (3 E[h_i h_j h_k h_l] - E_ij E_kl - E_ik E_jl - E_il E_jk)
  (f given the hidden layer is Gaussian with covariance sb^2 + sw^2/N sum h h;
  G4c sums the three covariances of those sums).  The expectations: Wick's
  theorem for linear; for leaky-relu the closed form of E[h_i h_j] and, for
  the 4-point moment, polar coordinates (h = r sigma(c(theta)), E r^4 = 8)
  with Gauss-Legendre between the kinks in theta; 2-D Gauss-Hermite (48^2
  nodes) for the smooth ones.
- depth 3 (C_W, C_b; widths 1, 4): G2 = C_b + C_W E[Phi(K^)] exactly at
  first width 1, where K^ = C_b + C_W s s^T is the covariance of the second
  layer's pre-activations given s = sigma(z1) and Phi(K) = E_{N(0,K)}[sigma(u) sigma(v)]
  (closed forms for linear and leaky-relu, Gauss-Hermite for the smooth ones;
  the outer expectation over (w0, b0) in polar coordinates for leaky-relu,
  Gauss-Hermite otherwise).
Also: GaussNet deeper than one hidden layer exits 3 (unsupported) naming the
reason; --slope on a row without one, or a malformed slope, exits 2; the slope
is in the JSON, the text header and the checkpoint's description.
"""

import json
import math
import os
import subprocess
import sys
import tempfile

NEFT = sys.argv[1]
failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what, flush=True)


def run(args):
    p = subprocess.run([NEFT] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


# ---------------------------------------------------------------- quadrature
def gauss_hermite(n):
    """Nodes and weights of int e^{-x^2} f(x) dx (Newton on the orthonormal
    Hermite recurrence, Numerical Recipes' gauher)."""
    xs, ws = [0.0] * n, [0.0] * n
    m = (n + 1) // 2
    pim4 = math.pi ** -0.25
    z = 0.0
    for i in range(m):
        if i == 0:
            z = math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** (-1 / 6)
        elif i == 1:
            z -= 1.14 * n ** 0.426 / z
        elif i == 2:
            z = 1.86 * z - 0.86 * xs[0]
        elif i == 3:
            z = 1.91 * z - 0.91 * xs[1]
        else:
            z = 2 * z - xs[i - 2]
        for _ in range(100):
            p1, p2 = pim4, 0.0
            for j in range(1, n + 1):
                p3, p2 = p2, p1
                p1 = z * math.sqrt(2 / j) * p2 - math.sqrt((j - 1) / j) * p3
            pp = math.sqrt(2 * n) * p2
            z1, z = z, z - p1 / pp
            if abs(z - z1) <= 1e-15:
                break
        xs[i], xs[n - 1 - i] = z, -z
        ws[i] = ws[n - 1 - i] = 2 / (pp * pp)
    return xs, ws


def normal_rule(n):
    """E[f(g)], g ~ N(0, 1), as sum w f(t)."""
    xs, ws = gauss_hermite(n)
    return [math.sqrt(2) * x for x in xs], [w / math.sqrt(math.pi) for w in ws]


def gauss_legendre(n):
    xs, ws = [], []
    for i in range(1, n + 1):
        z = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            p1, p2 = 1.0, 0.0
            for j in range(1, n + 1):
                p3, p2 = p2, p1
                p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j
            pp = n * (z * p1 - p2) / (z * z - 1)
            z1, z = z, z - p1 / pp
            if abs(z - z1) <= 1e-15:
                break
        xs.append(z)
        ws.append(2 / ((1 - z * z) * pp * pp))
    return xs, ws


GH48 = normal_rule(48)
GH24 = normal_rule(24)
GH40 = normal_rule(40)
GH20 = normal_rule(20)
GL24 = gauss_legendre(24)
GL48 = gauss_legendre(48)

# self-checks of the rules: E g^2 = 1, E g^8 = 105, int_{-1}^1 x^10 = 2/11
for t, w in (GH48, GH20):
    if abs(sum(wi * ti ** 8 for ti, wi in zip(t, w)) - 105) > 1e-9 \
            or abs(sum(wi * ti * ti for ti, wi in zip(t, w)) - 1) > 1e-13:
        fail("Gauss-Hermite rule wrong")
if abs(sum(w * x ** 10 for x, w in zip(*GL24)) - 2 / 11) > 1e-14:
    fail("Gauss-Legendre rule wrong")


def e2_normal(f, s1, s2, rule):
    """E f(w, b), w ~ N(0, s1^2), b ~ N(0, s2^2) independent (product rule)."""
    t, w = rule
    return sum(wi * wj * f(s1 * ti, s2 * tj) for ti, wi in zip(t, w) for tj, wj in zip(t, w))


def e_polar(f, s1, s2, breaks, nr=48, R=10.0):
    """E f(w, b) as above in polar coordinates w = s1 r cos th, b = s2 r sin th:
    (1/2pi) int dth int_0^R r e^{-r^2/2} f dr, Gauss-Legendre in r and, in
    theta, on each piece between the break points (kinks of f)."""
    th = sorted(set([b % (2 * math.pi) for b in breaks] + [0.0]))
    th.append(2 * math.pi)
    rx, rw = gauss_legendre(nr) if nr != 48 else GL48
    rs = [(R / 2) * (x + 1) for x in rx]
    rws = [(R / 2) * w * r * math.exp(-r * r / 2) for r, w in zip(rs, rw)]
    total = 0.0
    for a, b in zip(th[:-1], th[1:]):
        if b - a < 1e-15:
            continue
        for x, w in zip(*GL24):
            t = (a + b) / 2 + (b - a) / 2 * x
            c, s = math.cos(t), math.sin(t)
            inner = sum(wr * f(s1 * r * c, s2 * r * s) for r, wr in zip(rs, rws))
            total += (b - a) / 2 * w * inner
    return total / (2 * math.pi)


def kinks(xs, s1, s2):
    """Angles where s1 x cos th + s2 sin th = 0 for some x (and w = 0)."""
    out = [math.pi / 2, 3 * math.pi / 2]
    for x in xs:
        t = math.atan2(-s1 * x, s2)
        out += [t, t + math.pi]
    return out


# ---------------------------------------------------------------- activations
def sigmoid(z):
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


ACTS = {
    "linear": lambda z: z,
    "gelu": lambda z: 0.5 * z * math.erfc(-z / math.sqrt(2)),
    "silu": lambda z: z * sigmoid(z),
    "sigmoid": sigmoid,
    "sin": math.sin,
}


def leaky(a):
    return lambda z: z if z > 0 else a * z


def phi_leaky(a, kxx, kxy, kyy):
    """E[s(u) s(v)], (u, v) ~ N(0, K), s leaky-relu of slope a: s(z) = al z + be |z|
    with al = (1+a)/2, be = (1-a)/2, E[u|v|] = 0, E|u||v| = (2/pi) sqrt(kxx kyy)
    (sqrt(1 - rho^2) + rho asin rho)."""
    al, be = (1 + a) / 2, (1 - a) / 2
    q = math.sqrt(kxx * kyy)
    rho = max(-1.0, min(1.0, kxy / q))
    return al * al * kxy + be * be * 2 / math.pi * q * (math.sqrt(1 - rho * rho) + rho * math.asin(rho))


# ---------------------------------------------------------------- references
def ref_depth2(act, slope, xs, sw, sb, N):
    """{(npt, indices): (G2 or G4c)} for two points."""
    P = len(xs)
    pairs = [(i, j) for i in range(P) for j in range(i, P)]
    quads = [(i, j, k, l) for i in range(P) for j in range(i, P) for k in range(j, P)
             for l in range(k, P)]
    if act == "linear":
        # h = z Gaussian with covariance k(x, y) = sb^2 + sw^2 x y: Wick
        E2 = {(i, j): sb * sb + sw * sw * xs[i] * xs[j] for i in range(P) for j in range(P)}
        E4 = lambda i, j, k, l: E2[i, j] * E2[k, l] + E2[i, k] * E2[j, l] + E2[i, l] * E2[j, k]
    elif act == "leaky-relu":
        s = leaky(slope)
        E2 = {}
        for i in range(P):
            for j in range(P):
                kii, kjj = sb * sb + sw * sw * xs[i] ** 2, sb * sb + sw * sw * xs[j] ** 2
                E2[i, j] = phi_leaky(slope, kii, sb * sb + sw * sw * xs[i] * xs[j], kjj)
        br = kinks(xs, sw, sb)

        def E4(i, j, k, l):
            # homogeneous: h = r s(c(th)), E r^4 = 8; only the angular mean
            g = lambda w, b: (s(w * xs[i] + b) * s(w * xs[j] + b) * s(w * xs[k] + b)
                              * s(w * xs[l] + b))
            return e_polar(g, sw, sb, br)
        # the closed form of E2 against the polar rule: the reference checks itself
        for (i, j) in pairs:
            v = e_polar(lambda w, b: s(w * xs[i] + b) * s(w * xs[j] + b), sw, sb, br)
            if abs(v - E2[i, j]) > 1e-10 * max(1, abs(v)):
                fail("leaky reference: closed form %r vs polar %r" % (E2[i, j], v))
    else:
        s = ACTS[act]
        E2 = {(i, j): e2_normal(lambda w, b: s(w * xs[i] + b) * s(w * xs[j] + b), sw, sb, GH48)
              for i in range(P) for j in range(P)}
        E4 = lambda i, j, k, l: e2_normal(lambda w, b: s(w * xs[i] + b) * s(w * xs[j] + b)
                                          * s(w * xs[k] + b) * s(w * xs[l] + b), sw, sb, GH48)
    ref = {}
    for (i, j) in pairs:
        ref[2, (i, j)] = sb * sb + sw * sw * E2[i, j]
    for (i, j, k, l) in quads:
        ref[4, (i, j, k, l)] = sw ** 4 / N * (3 * E4(i, j, k, l) - E2[i, j] * E2[k, l]
                                              - E2[i, k] * E2[j, l] - E2[i, l] * E2[j, k])
    return ref


def ref_depth3(act, slope, xs, cw, cb):
    """{(2, (i, j)): G2} of a depth-3 net with first width 1, d_in = 1:
    z1 = w0 x + b0, (w0, b0) ~ N(0, diag(C_W, C_b)); given s = sigma(z1), the
    second layer's pre-activations are N(0, C_b + C_W s s^T); G2 = C_b + C_W E[Phi]."""
    sw, sb = math.sqrt(cw), math.sqrt(cb)
    P = len(xs)
    ref = {}
    for i in range(P):
        for j in range(i, P):
            xi, xj = xs[i], xs[j]
            if act == "linear":
                e = cb + cw * (cb + cw * xi * xj)
            elif act == "leaky-relu":
                s = leaky(slope)

                def g(w, b):
                    p, q = s(w * xi + b), s(w * xj + b)
                    return phi_leaky(slope, cb + cw * p * p, cb + cw * p * q, cb + cw * q * q)
                e = e_polar(g, sw, sb, kinks([xi, xj], sw, sb))
            else:
                s = ACTS[act]
                if i == j:
                    # u = b1 + w1 p ~ N(0, C_b + C_W p^2): one dimension
                    t, w = GH40

                    def g(w0, b0):
                        p = s(w0 * xi + b0)
                        sd = math.sqrt(cb + cw * p * p)
                        return sum(wk * s(sd * tk) ** 2 for tk, wk in zip(t, w))
                else:
                    t, w = GH20

                    def g(w0, b0):
                        p, q = s(w0 * xi + b0), s(w0 * xj + b0)
                        tot = 0.0
                        for tk, wk in zip(t, w):
                            w1 = sw * tk
                            for tl, wl in zip(t, w):
                                b1 = sb * tl
                                tot += wk * wl * s(b1 + w1 * p) * s(b1 + w1 * q)
                        return tot
                e = e2_normal(g, sw, sb, GH24)
            ref[2, (i, j)] = cb + cw * e
    return ref


# ---------------------------------------------------------------- comparisons
def sample(args):
    rc, out, err = run(["sample"] + args + ["--format", "json"])
    if rc != 0:
        fail("neft sample %s: status %d: %s" % (" ".join(args), rc, err.strip()))
        return None
    doc = json.loads(out)
    return doc, {(c["npt"], tuple(c["indices"])): c for c in doc["correlators"]}


def compare(label, args, ref, need_connected):
    got = sample(args)
    if got is None:
        return
    doc, corr = got
    worst, resolved = 0.0, 0
    for key, want in ref.items():
        if key not in corr:
            fail("%s: no correlator %s" % (label, key))
            continue
        kind = "full" if key[0] == 2 else "connected"
        m, se = corr[key][kind]["mean"], corr[key][kind]["stderr"]
        if not (se > 0):
            fail("%s %s: stderr %r" % (label, key, se))
            continue
        z = abs(m - want) / se
        worst = max(worst, z)
        if key[0] == 4 and abs(want) > 3 * se:
            resolved += 1
        if z > 4:
            fail("%s %s %s: sampled %.6g +/- %.2g, reference %.10g (%.1f sigma)"
                 % (label, key, kind, m, se, want, z))
    if need_connected and resolved == 0:
        fail("%s: no connected 4-point function resolved above 3 stderr; test too weak" % label)
    print("%-34s %2d correlators, worst %.2f sigma%s" % (label, len(ref), worst,
          ", %d connected resolved" % resolved if need_connected else ""), flush=True)
    return doc


XS = [0.6, -1.1]
AT = ";".join(map(str, XS))
CASES = [("leaky-relu", None, 0.01), ("leaky-relu", "3/10", 0.3), ("linear", None, 0),
         ("gelu", None, 0), ("silu", None, 0), ("sigmoid", None, 0), ("sin", None, 0)]
M = "200000"
SW, SB, N = 1.2, 0.5, 3
CW, CB = 1.5, 0.2
for n, (act, slope_text, slope) in enumerate(CASES):
    label = act + ("" if slope_text is None else " slope " + slope_text)
    extra = [] if slope_text is None else ["--slope", slope_text]
    doc = compare(label + " depth 2",
                  ["--activation", act] + extra +
                  ["--width", str(N), "--sw", str(SW), "--sb", str(SB), "--at", AT, "--npt", "2,4",
                   "--models", M, "--seed", str(11 + n)],
                  ref_depth2(act, slope, XS, SW, SB, N), True)
    if doc is not None and act == "leaky-relu" and doc.get("slope") != slope:
        fail("%s: JSON slope %r, expected %r" % (label, doc.get("slope"), slope))
    compare(label + " depth 3",
            ["--activation", act] + extra +
            ["--depth", "3", "--widths", "1,4", "--cw", str(CW), "--cb", str(CB), "--at", AT,
             "--npt", "2", "--models", M, "--seed", str(31 + n)],
            ref_depth3(act, slope, XS, CW, CB), False)

# ---------------------------------------------------------------- refusals
base = ["sample", "--width", "4", "--at", "1", "--models", "1000"]
rc, out, err = run(base + ["--activation", "gauss", "--depth", "3"])
lines = err.splitlines()
if rc != 3 or out or len(lines) != 1 or "gauss" not in lines[0] or "depth 2" not in lines[0] \
        or "one hidden layer" not in lines[0]:
    fail("gauss depth 3: expected status 3 (unsupported), one line naming gauss and "
         "'one hidden layer (depth 2)'; got %d %r %r" % (rc, out[:80], err))
for args, mention in ((["--activation", "relu", "--slope", "0.1"], "relu"),
                      (["--activation", "sin", "--slope", "1/2"], "sin"),
                      (["--activation", "gauss", "--slope", "1/2"], "gauss"),
                      (["--activation", "leaky-relu", "--slope", "abc"], "rational"),
                      (["--activation", "leaky-relu", "--slope", "1e999999"], "slope")):
    rc, out, err = run(base + args)
    lines = err.splitlines()
    if rc != 2 or out or len(lines) != 1 or "--slope" not in lines[0] or mention not in lines[0]:
        fail("neft %s: expected status 2, one line naming --slope and %r; got %d %r"
             % (" ".join(base + args), mention, rc, err))

# the slope is part of the text header and of what a checkpoint is for
rc, out, err = run(base + ["--activation", "leaky-relu", "--slope", "3/10"])
if rc != 0 or not out.startswith("# leaky-relu net (slope 3/10), d_in 1"):
    fail("leaky-relu text header: %r" % out.splitlines()[:1])
with tempfile.TemporaryDirectory() as d:
    ck = os.path.join(d, "ck")
    rc, out, err = run(base + ["--activation", "leaky-relu", "--checkpoint", ck])
    rc2, out2, err2 = run(base + ["--activation", "leaky-relu", "--slope", "3/10",
                                  "--checkpoint", ck])
    if rc != 0 or rc2 != 2 or "different configuration" not in err2 or "slope" not in err2:
        fail("checkpoint of slope 1/100 resumed with slope 3/10: %d %d %r" % (rc, rc2, err2))

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("all activation sampling tests passed")

#!/usr/bin/env python3
"""The kernels against the GP 2-point function computed without them.

For a one-hidden-layer network f(x) = b1 + sum_j W1_j phi(W0_j . x + b0_j)
with W0 ~ N(0, sigma_w^2/d_in), b ~ N(0, sigma_b^2), W1 ~ N(0, sigma_w^2/N),
the 2-point function is K(x,x') = sigma_b^2 + sigma_w^2 E[phi(u) phi(v)],
where (u, v) = (W0.x + b0, W0.x' + b0) is a centred Gaussian pair with
covariance k(x,x') = sigma_b^2 + sigma_w^2 x.x'/d_in.  Here E[...] is computed
by a 2-D quadrature over the Gaussian weights (composite Gauss-Legendre on
[-12, 12]^2, split where ReLU has its kink), never by a kernel formula, and
compared with `neft eval -n 2 -o 0` (whose only term is K(x1,x2)), for every
activation with a closed-form kernel (relu, leaky-relu, linear, erf, sin, gauss).  Covers
Erf at x = +-1 and ReLU at cos t = -1 in d_in = 3, as issue 3 asks.

Usage: python3 tests/gp2.py NEFT_BINARY RULES_DIR
"""

import json
import math
import subprocess
import sys

from quadrature import gl_rule

failures = []


GX, GW = gl_rule(24)


def integrate(f, cuts, lo=-12.0, hi=12.0, panels=8):
    """Composite Gauss-Legendre of f over [lo, hi], split at cuts."""
    pts = sorted(set([lo, hi] + [c for c in cuts if lo < c < hi]))
    total = 0.0
    for a, b in zip(pts, pts[1:]):
        for k in range(panels):
            pa = a + (b - a) * k / panels
            pb = a + (b - a) * (k + 1) / panels
            h = (pb - pa) / 2
            total += h * sum(w * f(pa + h * (1 + x)) for x, w in zip(GX, GW))
    return total


def normal(g):
    return math.exp(-g * g / 2) / math.sqrt(2 * math.pi)


def expectation(act, kxx, kyy, kxy):
    """E[phi_x(u) phi_y(v)] over the Gaussian pair, by quadrature over two
    independent standard normals g1, g2: u = sqrt(kxx) g1,
    v = sqrt(kyy) (rho g1 + sqrt(1 - rho^2) g2)."""
    sx, sy = math.sqrt(kxx), math.sqrt(kyy)
    if sx == 0 or sy == 0:
        rho = 0.0
    else:
        rho = max(-1.0, min(1.0, kxy / (sx * sy)))
    c = math.sqrt(max(0.0, 1 - rho * rho))

    kink = act in ("relu", "leaky-relu")
    if act == "relu":
        phi_x = phi_y = lambda z: max(z, 0.0)
    elif act == "leaky-relu":      # the default slope of neft eval, 1/100
        phi_x = phi_y = lambda z: z if z > 0 else 0.01 * z
    elif act == "linear":
        phi_x = phi_y = lambda z: z
    elif act == "sin":
        phi_x = phi_y = math.sin
    elif act == "erf":
        phi_x = phi_y = math.erf
    else:   # GaussNet: exp(z) / sqrt(E[exp(2 z)]) = exp(z - k)
        phi_x = lambda z: math.exp(z - kxx)
        phi_y = lambda z: math.exp(z - kyy)

    def outer(g1):
        u = sx * g1
        fu = phi_x(u)
        if fu == 0:
            return 0.0
        if c < 1e-12:
            return fu * phi_y(sy * rho * g1) * normal(g1)
        inner_cuts = [-rho * g1 / c] if kink else []
        inner = integrate(lambda g2: phi_y(sy * (rho * g1 + c * g2)) * normal(g2), inner_cuts,
                          panels=4)
        return fu * inner * normal(g1)
    return integrate(outer, [0.0] if kink else [], panels=4)


def gp_kernel(act, sw, sb, x, y):
    d = len(x)
    a, b = sw * sw / d, sb * sb
    kxx = b + a * sum(t * t for t in x)
    kyy = b + a * sum(t * t for t in y)
    kxy = b + a * sum(s * t for s, t in zip(x, y))
    return b + sw * sw * expectation(act, kxx, kyy, kxy)


def neft_k(neft, act, sw, sb, x, y):
    at = ";".join(",".join(repr(t) for t in p) for p in (x, y))
    args = [neft, "eval", "-n", "2", "-o", "0", "--kernel", act, "--d-in", str(len(x)),
            "--sw", repr(sw), "--sb", repr(sb), "--cutoff", "1", "--at", at, "--format", "json"]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if p.returncode != 0:
        failures.append("neft failed: %s\n  %s" % (" ".join(args), p.stderr.decode()))
        return None
    v = json.loads(p.stdout)["value"]
    return float(v["mid"]), float(v["rad"])


CASES = [
    # (activation, sigma_w, sigma_b, x, x')
    ("erf", 1.0, 1.0, [1.0], [1.0]),
    ("erf", 1.0, 1.0, [1.0], [-1.0]),
    ("erf", 1.5, 0.0, [-1.0], [-1.0]),
    ("erf", 1.0, 0.5, [0.3, -1.2], [0.7, 0.4]),
    ("relu", 1.0, 0.0, [1.0, -0.5, 2.0], [-2.0, 1.0, -4.0]),      # cos t = -1, d_in = 3
    ("relu", 1.2, 0.0, [1.0, -0.5, 2.0], [0.5, -0.25, 1.0]),      # cos t = +1
    ("relu", 1.0, 0.5, [1.0, -0.5, 2.0], [-1.0, 0.5, -2.0]),      # y = -x with bias
    ("relu", 1.0, 0.5, [0.0, 0.0, 0.0], [0.3, 0.2, -0.1]),        # origin
    ("relu", 0.8, 0.3, [0.25], [-0.75]),
    ("gauss", 1.0, 0.0, [0.5], [-0.5]),
    ("gauss", 1.3, 0.4, [0.2, 0.1], [-0.3, 0.6]),
    # the rows added to the table (leaky-relu with its default slope 1/100)
    ("leaky-relu", 1.0, 0.5, [0.25], [-0.75]),
    ("leaky-relu", 1.1, 0.0, [1.0, -0.5, 2.0], [-2.0, 1.0, -4.0]),  # cos t = -1
    ("leaky-relu", 0.9, 0.3, [0.3, -1.2], [0.7, 0.4]),
    ("linear", 1.2, 0.5, [0.3, -1.2], [0.7, 0.4]),
    ("sin", 1.0, 0.5, [0.25], [-0.75]),
    ("sin", 1.3, 0.2, [1.0, -0.5, 2.0], [0.5, 0.25, -1.0]),
]


def main():
    neft = sys.argv[1]
    for act, sw, sb, x, y in CASES:
        ref = gp_kernel(act, sw, sb, x, y)
        got = neft_k(neft, act, sw, sb, x, y)
        if got is None:
            continue
        mid, rad = got
        scale = max(abs(ref), 1e-300)
        if not abs(mid - ref) <= rad + 1e-9 * max(scale, 1e-6):
            failures.append("%s sw=%g sb=%g x=%r x'=%r: neft %r +/- %g, weight quadrature %r"
                            % (act, sw, sb, x, y, mid, rad, ref))
        if rad > 1e-15 * max(abs(mid), 1.0):
            failures.append("%s: radius %g too large" % (act, rad))
    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print("PASS (%d kernel values)" % len(CASES))
    return 0


if __name__ == "__main__":
    sys.exit(main())

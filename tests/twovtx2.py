#!/usr/bin/env python3
"""End to end: `neft eval` computes the O(lambda^2) terms of the 4-point
function in d_in = 2 (two-vertex integrals, docs/integrate.md) for GaussNet
and ReLU with sigma_b = 0, and still refuses them (status 3, the reason
naming the kernel) for leaky-relu and, at these points, ReLU with sigma_b > 0
(SECTOR4's estimate from the points is over 60 s; Erf is checked in tests/t-twovtx2.c,
SECTOR4 at a low goal in t-twovtx2-relu.c: their 4-D integrals take seconds
each).

The s-channel bubble  \\int\\int K(x1,y) K(x2,y) K(y,z)^2 K(x3,z) K(x4,z)  is
checked against references computed here in double precision, with the
textbook kernel formulas:
- GaussNet (sigma_w = sigma_b = 1, the corners {+-1}^2, L = 1): every factor
  b + w g expanded, each product of Gaussians a product over the two
  coordinates of a 1-D two-vertex integral by a 2-D composite Gauss-Legendre
  rule (entire integrand; relative 1e-12);
- ReLU sigma_b = 0 ({0.5, 1}^2, L = 1 and 2): homogeneity in both vertices,
  the two-angle integral by composite Gauss-Legendre cut at every kink
  (relative 1e-11); and L = 2 against 2^12 times L = 1 (degree 4 in each
  vertex: exact).

Usage: python3 tests/twovtx2.py NEFT_BINARY RULES_DIR
"""

import math
import re
import subprocess
import sys

from quadrature import gl_rule

failures = []
GX, GW = gl_rule(16)
BUBBLE = "K(x1,y1) K(x2,y1) K(x3,y2) K(x4,y2) K(y1,y2)^2"
BALL = r"\[([-+0-9.e]+) \+/- ([0-9.e+-]+)\]|(?<![\w.])(0)(?![\w.])"


def fail(what):
    failures.append(what)


def run(neft, args):
    p = subprocess.run([neft] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=600)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def bubble(neft, kernel, sb, L, at):
    """(mid, rad) of the bubble's integral from `neft eval -o 2`, or None."""
    rc, out, err = run(neft, ["eval", "-n", "4", "-o", "2", "--kernel", kernel, "--d-in", "2",
                              "--sb", sb, "--cutoff", str(L), "--set", "lambda=0.1,kappa=0",
                              "--at", at])
    if rc != 0:
        fail("%s sb=%s L=%s: status %d, %s" % (kernel, sb, L, rc, err.strip()))
        return None
    for line in out.splitlines():
        if line.strip().startswith("term") and line.rstrip().endswith(BUBBLE):
            m = re.search(r"integral \[([-+0-9.e]+) \+/- ([0-9.e+-]+)\]", line)
            if m:
                return float(m.group(1)), float(m.group(2))
    fail("%s sb=%s L=%s: no bubble term in\n%s" % (kernel, sb, L, out[:3000]))
    return None


def gauss_ref(pts, sw2, sb2, L, panels=2):
    """GaussNet bubble by the expansion into products of 1-D integrals."""
    a = sw2 / 4                      # exp(-sw2 |u - w|^2 / (2 d)), d = 2
    nodes = []
    h = 2 * L / panels
    for p in range(panels):
        for x, w in zip(GX, GW):
            nodes.append((-L + h * (p + 0.5 + 0.5 * x), 0.5 * h * w))
    legs_y, legs_z = pts[:2], pts[2:]

    def one_d(my, mz, r, c):
        s = 0.0
        for y, wy in nodes:
            ey = sum((x[c] - y) ** 2 for x in my)
            for z, wz in nodes:
                e = ey + r * (y - z) ** 2 + sum((x[c] - z) ** 2 for x in mz)
                s += wy * wz * math.exp(-a * e)
        return s

    total = 0.0
    for mask in range(16):
        my = [legs_y[i] for i in range(2) if mask >> i & 1]
        mz = [legs_z[i] for i in range(2) if mask >> (i + 2) & 1]
        g = bin(mask).count("1")
        for r in range(3):
            coef = math.comb(2, r) * sb2 ** (4 - g + 2 - r) * sw2 ** (g + r)
            total += coef * one_d(my, mz, r, 0) * one_d(my, mz, r, 1)
    return total


def relu0_ref(pts, sw2, L):
    """ReLU sigma_b = 0 bubble by homogeneity: two angles."""
    c = sw2 * sw2 / 2 / (2 * math.pi)          # K = c |x| |y| J(angle)

    def J(u, v):
        t = math.acos(max(-1.0, min(1.0, math.cos(u - v))))
        return math.sin(t) + (math.pi - t) * math.cos(t)

    def rho(u):
        return 1 / max(abs(math.cos(u)), abs(math.sin(u)))

    def pieces(cuts):
        lo = -math.pi / 4
        out = sorted({lo, lo + 2 * math.pi} | {lo + (t - lo) % (2 * math.pi) for t in cuts})
        return list(zip(out, out[1:]))

    ang = [math.atan2(p[1], p[0]) for p in pts]
    corners = [math.pi / 4 + k * math.pi / 2 for k in range(4)]
    fixed_in = corners + ang[2:] + [t + math.pi for t in ang[2:]]
    fixed_out = corners + ang + [t + math.pi for t in ang]
    tot = 0.0
    for lo, hi in pieces(fixed_out):
        for x, w in zip(GX, GW):
            a = 0.5 * (lo + hi) + 0.5 * (hi - lo) * x
            inner = 0.0
            for lo2, hi2 in pieces(fixed_in + [a, a + math.pi]):
                for x2, w2 in zip(GX, GW):
                    b = 0.5 * (lo2 + hi2) + 0.5 * (hi2 - lo2) * x2
                    inner += 0.5 * (hi2 - lo2) * w2 * rho(b) ** 6 * J(a, b) ** 2 \
                        * J(b, ang[2]) * J(b, ang[3])
            tot += 0.5 * (hi - lo) * w * rho(a) ** 6 * J(a, ang[0]) * J(a, ang[1]) * inner
    C = c ** 6 * L ** 12 / 36
    for p in pts:
        C *= math.hypot(p[0], p[1])
    return C * tot


def check(name, got, ref, rel):
    if got is None:
        return
    mid, rad = got
    if not abs(mid - ref) <= rad + rel * abs(ref):
        fail("%s: %r +/- %r, reference %r" % (name, mid, rad, ref))
    if not rad <= 1e-8 * abs(mid):
        fail("%s: relative radius %g" % (name, rad / abs(mid)))
    print("%s: %.15g +/- %.2g, reference %.15g" % (name, mid, rad, ref))


def main():
    neft = sys.argv[1]
    corners = [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    at = ";".join("%g,%g" % p for p in corners)
    check("gauss L=1", bubble(neft, "gauss", "1", 1, at), gauss_ref(corners, 1, 1, 1), 1e-12)

    rpts = [(0.5, 0.5), (0.5, 1), (1, 0.5), (1, 1)]
    at = ";".join("%g,%g" % p for p in rpts)
    r1 = bubble(neft, "relu", "0", 1, at)
    check("relu0 L=1", r1, relu0_ref(rpts, 1, 1), 1e-11)
    r2 = bubble(neft, "relu", "0", 2, at)
    check("relu0 L=2", r2, relu0_ref(rpts, 1, 2), 1e-11)
    if r1 and r2 and not abs(r2[0] - 4096 * r1[0]) <= r2[1] + 4096 * r1[1]:
        fail("relu0: L=2 %r is not 2^12 times L=1 %r" % (r2, r1))

    # still refused (status 3, the reason names the kernel): leaky-relu with sigma_b > 0,
    # and relu with sigma_b > 0 at these points (SECTOR4, twovtx2_sector.c: its estimate from
    # the points, cut at 0.5, is over 60 s; since stop 34 decided by neft_integrate_vint)
    for kernel, sb, whys in (("leaky-relu", "0.5", ["2 internal vertices in d_in = 2 with the "
                                                    "leaky-relu kernel"]),
                             ("relu", "0.5", ["d_in = 2 with the relu kernel and sigma_b > 0",
                                              "SECTOR4"])):
        rc, out, err = run(neft, ["eval", "-n", "4", "-o", "2", "--kernel", kernel, "--d-in",
                                  "2", "--sb", sb, "--cutoff", "1", "--set", "lambda=0.1,kappa=0",
                                  "--at", at])
        if rc != 3 or out != "" or any(w not in err for w in whys):
            fail("%s sb=%s: expected the refusal, status %d, %r" % (kernel, sb, rc, err))

    for f in failures:
        print("FAIL", f)
    print("twovtx2: %s" % ("FAIL" if failures else "PASS"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

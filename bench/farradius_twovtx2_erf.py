#!/usr/bin/python3
"""How far the far field of I_EE reaches (docs/integrate.md, "Stop 37"):
the radius of convergence in t of the both-far integrand G(t u, t v)
(w = t u, w' = t v; G = legs x links x self-loops without w^-3 w'^-3) at a
fixed angle pair, i.e. the smallest |t| of a complex zero of the link's
N~(t) or N~ + 4 X^2 (the atan's branch points) or of a leg's N(w) or
N + num^2, over the directions (u, v) on a grid of the unit circle's first
quadrant (the bidisk |w|, |w'| <= r lies inside when r is the minimum over
(cos th, sin th) scaled by max(|u|, |v|)).  The lambda^2 bubble at
sigma_w = sigma_b = 1 (legs (-1,-1), (-1,1) at y; (1,-1), (1,1) at z).
The Taylor subtraction in (w, w') converges like (w / r)^3 per variable, so
it pays only where the outer shell [1/L, 2/L] lies well inside r.  An
estimate (a grid over directions), not a bound.

    /usr/bin/python3 bench/farradius_twovtx2_erf.py
"""
import numpy as np
a, b = 0.5, 1.0
XY = [(-1, -1), (-1, 1)]
XZ = [(1, -1), (1, 1)]
def side(k, s):
    return [(1, s), (-s, 1), (-1, -s), (s, -1)][k]
def leg_roots(x, e, u):
    """zeros in t of N(w) and N + num^2 for w = t u"""
    xe = x[0]*e[0]+x[1]*e[1]; xw = x[0]*e[1]-x[1]*e[0]
    xx = x[0]**2+x[1]**2; ee = e[0]**2+e[1]**2
    c0 = (2*a+4*a*b)*ee+4*a*a*xw**2; c1 = -8*a*b*xe; c2 = 1+4*b+(2*a+4*a*b)*xx
    n0 = 2*a*xe; n1 = 2*b
    N = np.array([c2*u*u, c1*u, c0])
    num = np.array([n1*u, n0])
    return list(np.roots(N)) + list(np.roots(np.polyadd(N, np.polymul(num, num))))
def link_roots(e, f, u, v):
    ee = e[0]**2+e[1]**2; ff = f[0]**2+f[1]**2; ef = e[0]*f[0]+e[1]*f[1]
    cr = e[0]*f[1]-e[1]*f[0]
    d2 = (v*e[0]-u*f[0])**2+(v*e[1]-u*f[1])**2
    N = np.array([(1+4*b)*u*u*v*v, 0, 2*a*(v*v*ee+u*u*ff)+4*a*b*d2, 0, 4*a*a*cr*cr])
    X = np.array([b*u*v, 0, a*ef])
    return list(np.roots(N)) + list(np.roots(np.polyadd(N, 4*np.polymul(X, X))))
def radius(ky, s, kz, sp):
    e, f = side(ky, s), side(kz, sp)
    best = np.inf
    for th in np.linspace(0, np.pi/2, 31):
        u, v = np.cos(th), np.sin(th)
        rts = link_roots(e, f, u, v)
        for x in XY:
            if u > 1e-12: rts += leg_roots(x, e, u)
        for x in XZ:
            if v > 1e-12: rts += leg_roots(x, f, v)
        r = min(abs(t) for t in rts if abs(t) > 0) * max(u, v)
        best = min(best, r)
    return best
print("same side (sheared: s' = s + delta), s = -1 + delta/2 .. 1 - delta/2 (the worst of 5):")
for d in (1.5, 1.0, 0.5, 0.25, 0.125, 0.0625):
    ss = np.linspace(-1+d/2, 1-d/2-d/2, 5) if d < 2 else [0]
    print("  delta %-7g r %.3f" % (d, min(radius(0, s, 0, s+d) for s in ss)))
print("adjacent sides (0, 1): s, s' on a 5 x 5 grid, by distance to the corner cone (1, -1):")
for dc in (1.0, 0.5, 0.25, 0.125):
    r = min(radius(0, 1-dc*p, 1, -1+dc*(1-p)) for p in np.linspace(0, 1, 5))
    print("  |1 - s| + |1 + s'| = %-6g r %.3f" % (dc, r))
print("opposite sides (0, 2), s' = s + delta:")
for d in (1.0, 0.5, 0.25, 0.125):
    print("  delta %-7g r %.3f" % (d, min(radius(0, s, 2, s+d) for s in np.linspace(-1+d/2, 1-d, 5))))
print("outer shell [1/L, 2/L]: L = 5: [0.2, 0.4], 7: [0.143, 0.286], 10: [0.1, 0.2], 100: [0.01, 0.02]")

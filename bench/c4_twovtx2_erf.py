#!/usr/bin/python3
"""The leading coefficient c4 = lim I(L)/L^4 of the Erf two-vertex integrals
in d_in = 2 (docs/integrate.md, "Stop 33"): both points at infinity, every
kernel at its angular limit (legs b + c atan(2a x.e/sqrt(2a(1+2b) +
4a^2 (x^e)^2)), self-loops b + sigma_w^2, links b + c(pi/2 - |phi|)), and
c4 = 1/4 \int\int rho(al)^2 rho(be)^2 F_inf da db, rho the square's radius
function.  Composite Gauss-Legendre (8 x 40 nodes per arc) cut at the
square's corners and the kinks phi = 0, +-pi.  sigma_w = sigma_b = 1, HMS's
corners {+-1}^2, the shapes of bench/ref_twovtx2_erf.c (0: lambda^2 bubble,
1: lambda kappa).  A double-precision estimate, not a bound.

    /usr/bin/python3 bench/c4_twovtx2_erf.py
"""
import numpy as np
a, b, c = 0.5, 1.0, 2/np.pi
P = np.array([[-1,-1],[-1,1],[1,-1],[1,1.]])
def rho(al): return 1/np.maximum(abs(np.cos(al)), abs(np.sin(al)))
def leg_inf(x, al):
    e = np.stack([np.cos(al), np.sin(al)])
    xe = x[0]*e[0]+x[1]*e[1]; xw = x[0]*e[1]-x[1]*e[0]
    return b + c*np.arctan(2*a*xe/np.sqrt(2*a*(1+2*b) + 4*a*a*xw**2))
def leg_du(x, al):
    """d/du of the leg K(x, e/u) at u = 0 (e = (cos al, sin al))"""
    e = np.stack([np.cos(al), np.sin(al)])
    xe = x[0]*e[0]+x[1]*e[1]; xw = x[0]*e[1]-x[1]*e[0]
    N0 = 2*a*(1+2*b) + 4*a*a*xw**2
    arg0 = 2*a*xe/np.sqrt(N0)
    darg = 2*b/np.sqrt(N0) + 8*a*a*b*xe*xe/N0**1.5
    return c*darg/(1+arg0**2)
loop_du = -c/np.sqrt(a)     # d/du of K(e/u, e/u) at u = 0
def link_inf(ph):   # ph = beta - alpha wrapped to (-pi, pi]
    return b + c*(np.pi/2 - abs(ph))
xg, wg = np.polynomial.legendre.leggauss(40)
def nodes(lo, hi, npan=8):
    e = np.linspace(lo, hi, npan+1); X=[]; W=[]
    for i in range(npan):
        m=(e[i]+e[i+1])/2; h=(e[i+1]-e[i])/2; X.append(m+h*xg); W.append(h*wg)
    return np.concatenate(X), np.concatenate(W)
def c43(shape):
    if shape == 0: ly, lz, r, l0, l1 = [0,1],[2,3],2,0,0
    else: ly, lz, r, l0, l1 = [0,1,2],[3],1,1,1
    tot = 0; tot3 = 0
    for k in range(4):
        A, WA = nodes(-np.pi/4+k*np.pi/2, np.pi/4+k*np.pi/2)
        for al, wa in zip(A, WA):
            fy = rho(al)**2/2*np.prod([leg_inf(P[i], al) for i in ly])*(b+c*np.pi/2)**l0
            ly_ = sum(leg_du(P[i], al)/leg_inf(P[i], al) for i in ly) + l0*loop_du/(b+c*np.pi/2)
            s3 = 0
            br = sorted(set([((np.pi/4+j*np.pi/2-al+np.pi) % (2*np.pi)) - np.pi for j in range(4)] + [-np.pi, 0, np.pi]))
            s = 0
            for lo, hi in zip(br[:-1], br[1:]):
                if hi - lo < 1e-14: continue
                D, WD = nodes(lo, hi, 2)
                be = al + D
                fz = rho(be)**2/2*np.prod([leg_inf(P[i], be) for i in lz], axis=0)*(b+c*np.pi/2)**l1*link_inf(D)**r
                lz_ = sum(leg_du(P[i], be)/leg_inf(P[i], be) for i in lz) + l1*loop_du/(b+c*np.pi/2)
                s += np.sum(WD*fz)
                # Lambda^3: \int_{1/(L rho)} u^-2 du = L rho against L^2 rho^2/2
                s3 += np.sum(WD*fz*(2/rho(al)*ly_ + 2/rho(be)*lz_))
            tot += wa*fy*s
            tot3 += wa*fy*s3
    return tot, tot3
for s in (0, 1): print(s, "c4 %r c3 %r" % c43(s))

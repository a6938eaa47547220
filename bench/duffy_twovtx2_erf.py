#!/usr/bin/python3
"""A feasibility measurement for the far-field route of docs/integrate.md
("Stop 33"): on the three Duffy pyramids around the ridge's cone point of
(w, w', delta) = (1/t, 1/t', s' - s) -- pyramid 0: w = w1 r, w' = w1 r v,
delta = d1 r xi; 1: w and w' swapped; 2: delta the largest -- and the
square-polar angle s in [-1, 1] (one side pair, the sheared map), the
smallest Bernstein parameter per axis (r, v, xi, s) of the nearest complex
zero of N~/r^2 (the cone factor, r^2 divided out) and of N~ + 4 X^2 (the
atan's branch points), the other three coordinates on a 6 x 6 x 6 x 5 grid.
sigma_w = sigma_b = 1.  An estimate of the rules' sizes, not a bound (the
grid can miss the worst point; the legs' factors are not included).

    /usr/bin/python3 bench/duffy_twovtx2_erf.py
"""
import numpy as np, itertools
a,b=0.5,1.0
def Nt(w,wp,s,d):
    sp=s+d
    return w*w*wp*wp*(1+4*b)+2*a*(wp*wp*(1+s*s)+w*w*(1+sp*sp))+4*a*b*((wp-w)**2+(wp*s-w*sp)**2)+4*a*a*d*d
def X(w,wp,s,d): return b*w*wp+a*(1+s*(s+d))
def bern(root, lo, hi):
    z=(2*root-(lo+hi))/(hi-lo)
    r=max(abs(z+np.sqrt(z*z-1+0j)),1e-300); return max(r,1/r)
def worst(w1,d1):
    out={}
    g=np.linspace(0,1,6); gs=np.linspace(-1,1,5)
    for pyr in range(3):
        for ax in range(4):
            best=1e9
            for p in itertools.product(g,g,g,gs):
                p=list(p)
                def coords(t):
                    q=p.copy(); q[ax]=t
                    r,v,xi,s=q
                    if pyr==0: w,wp,d=w1*r,w1*r*v,d1*r*xi
                    elif pyr==1: w,wp,d=w1*r*v,w1*r,d1*r*xi
                    else: w,wp,d=w1*r*v,w1*r*xi,d1*r
                    return w,wp,s,d
                ts=np.linspace(-1.3,1.7,10)
                # N~1 (the cone factor) and N~ + 4X^2 (atan branch), polynomials in the axis variable
                f1=(lambda t: Nt(*coords(t))/(t*t), 2) if ax==0 else (lambda t: Nt(*coords(t)), 4)
                for f,deg in (f1,(lambda t: Nt(*coords(t))+4*X(*coords(t))**2, 4)):
                    c=np.polyfit(ts,[f(t) for t in ts],deg)
                    rts=np.roots(c)
                    lo,hi=(-1,1) if ax==3 else (0,1)
                    for rt in rts:
                        if abs(rt.imag)<1e-12 and lo-1e-9<=rt.real<=hi+1e-9:
                            if ax==0 and abs(rt)<1e-6: continue   # rho = 0: the factor rho^2 (removed)
                            continue
                        best=min(best,bern(rt,lo,hi))
            out[(pyr,ax)]=best
    return out
for w1,d1 in ((0.25,0.5),(0.1,0.25),(0.05,0.1)):
    o=worst(w1,d1)
    print("w1 %g d1 %g:"%(w1,d1), " ".join("p%d%s %.2f"%(k[0],"rvxs"[k[1]],v) for k,v in sorted(o.items())))

#!/usr/bin/env python3
"""Fit the relu kink coefficient from bench/train_offset.c runs and compare it
with the computed one (docs/train-theory.md, "The relu kink").

    neft train --order 1 --data docs/data/learn.csv --at "1,1;0.5,-0.5" \
        --activation relu --cw 2 --cb 1/10 --depth 2 --width 1000 --eta 1/10 \
        --steps 2,10,30,100 --kink-samples 8000 --format json > KINK.json
    python3 bench/train_offset_fit.py KINK.json RUN1.txt RUN2.txt ...

KINK.json is neft's kink term (neft_train_kink); RUNk.txt are train-offset
outputs at several widths.  For every (step, test input) and statistic: sqrt(n) (stat f - stat l)
per width, the weighted fits a + b n^-1/2 and a + b n^-1/2 + g/n, and the
computed coefficient.
"""
import json,re,math,sys
pred={}
kink=json.load(open(sys.argv[1]))
tests=kink["inputs"][kink["ntrain"]:]
for st in kink["predicted"]:
    for x,o in zip(tests,st["kink"]):
        key=(st["step"],",".join("%g"%c for c in x))
        pred[key]=(o["alpha_mean"],o["alpha_mean_err"],o["alpha_var"],o["alpha_var_err"])
data={}
for f in sys.argv[2:]:
    n=None
    for l in open(f):
        m=re.match(r'# width (\d+)',l)
        if m: n=int(m.group(1))
        m=re.match(r'T (\d+) x\(([^)]*)\).*f-l mean ([-+.\d]+) \+- ([.\d]+) var ([-+.\d]+) \+- ([.\d]+)',l)
        if m:
            k=(int(m.group(1)),m.group(2))
            data.setdefault(k,[]).append((n,float(m.group(3)),float(m.group(4)),float(m.group(5)),float(m.group(6))))
def wls(pts,deg):
    # y = sum_j c_j eps^j, weights
    import itertools
    m=deg+1
    A=[[0.0]*m for _ in range(m)]; b=[0.0]*m
    for e,y,s in pts:
        w=1/s**2; ph=[e**j for j in range(m)]
        for i in range(m):
            b[i]+=w*ph[i]*y
            for j in range(m): A[i][j]+=w*ph[i]*ph[j]
    # solve & invert
    n=m; M=[A[i][:]+[1.0 if i==j else 0.0 for j in range(n)] for i in range(n)]
    for i in range(n):
        p=max(range(i,n),key=lambda r:abs(M[r][i])); M[i],M[p]=M[p],M[i]
        piv=M[i][i]; M[i]=[x/piv for x in M[i]]
        for r in range(n):
            if r!=i:
                f=M[r][i]; M[r]=[x-f*y for x,y in zip(M[r],M[i])]
    inv=[row[n:] for row in M]
    c=[sum(inv[i][j]*b[j] for j in range(n)) for i in range(n)]
    chi=sum(((y-sum(c[j]*e**j for j in range(m)))/s)**2 for e,y,s in pts)
    return c,[math.sqrt(inv[i][i]) for i in range(n)],chi
for k in sorted(data):
    rows=sorted(data[k])
    for which,(vi,ei),(pi,pe) in (("mean",(1,2),(0,1)),("var",(3,4),(2,3))):
        pts=[(1/math.sqrt(r[0]),r[vi]*math.sqrt(r[0]),r[ei]*math.sqrt(r[0])) for r in rows]
        s=" ".join("%d:%+.4f(%.4f)"%(r[0],p[1],p[2]) for r,p in zip(rows,pts))
        if len(pts)<2:
            print("T %3d %-9s %-4s sqrt(n)(f-l): %s predicted %+.4f"%(k[0],k[1],which,s,pred.get(k,(0,0,0,0))[pi])); continue
        c1,e1,chi1=wls(pts,1)
        out="T %3d %-9s %-4s sqrt(n)(f-l): %s | fit a+b eps: a=%+.4f+-%.4f b=%+.3f chi2=%.1f/%d"%(k[0],k[1],which,s,c1[0],e1[0],c1[1],chi1,len(pts)-2)
        if len(pts)>=4:
            c2,e2,chi2=wls(pts,2); out+=" | +g eps^2: a=%+.4f+-%.4f chi2=%.1f"%(c2[0],e2[0],chi2)
        if k in pred: out+=" | predicted %+.4f+-%.4f"%(pred[k][pi],pred[k][pe])
        print(out)

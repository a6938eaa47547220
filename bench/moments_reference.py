#!/usr/bin/env python3
"""The 200-bit references of tests/t-moments.c: erf moments M(idx) =
E[prod_a erf(xi_1 + x_a xi_2)], xi standard normal in the plane, inputs
-1, -0.6, -0.2, 0.2, 0.6, 1 (sigma_w = sigma_b = 1), by the trapezoidal
product rule with step H over [-17, 17]^2 in mpmath at 75 digits (the
integrand is entire and Gaussian-damped: the rule converges exponentially
in 1/H; the even integrand is summed over a half plane).  Needs mpmath;
takes about ten minutes of CPU per step.  Run with two steps and compare:

    python3 bench/moments_reference.py 0.1 > ref10.txt
    python3 bench/moments_reference.py 0.08 > ref08.txt

(measured: the two agree to 1e-64 for every tuple; the two-point values
agree with the closed form (2/pi) asin(2k/sqrt((1+2k_aa)(1+2k_bb))) to 1e-68).
"""
import sys

import mpmath as mp

mp.mp.dps = 75
h = mp.mpf(sys.argv[1])
R = 17
xs = [mp.mpf(s) for s in ["-1", "-0.6", "-0.2", "0.2", "0.6", "1"]]
tuples = [(0, 0), (0, 5), (2, 3), (0, 0, 0, 0), (0, 1, 2, 3), (1, 1, 4, 4), (0, 0, 0, 0, 0, 0),
          (0, 1, 2, 3, 4, 5), (0, 0, 0, 5, 5, 5), (2, 2, 3, 3, 3, 3), (0, 2, 2, 4, 4, 5),
          (1, 1, 1, 1, 1, 2), (0, 0, 5, 5, 5, 5), (3, 3, 3, 3, 3, 4)]
N = int(R / h)
nodes = [h * j for j in range(-N, N + 1)]
w = [mp.exp(-t * t / 2) * h / mp.sqrt(2 * mp.pi) for t in nodes]
acc = [mp.mpf(0)] * len(tuples)
for t1, w1 in zip(nodes, w):
    if t1 < 0:
        continue
    for t2, w2 in zip(nodes, w):
        # f(-xi) = f(xi): the half plane t1 > 0 twice, the half line t1 = 0, t2 > 0 twice
        if t1 == 0 and t2 < 0:
            continue
        g = 1 if (t1 == 0 and t2 == 0) else 2
        e = [mp.erf(t1 + x * t2) for x in xs]
        ww = w1 * w2 * g
        for k, t in enumerate(tuples):
            p = ww
            for i in t:
                p *= e[i]
            acc[k] += p
for t, v in zip(tuples, acc):
    print(",".join(map(str, t)), mp.nstr(v, 70))

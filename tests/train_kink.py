#!/usr/bin/env python3
"""`neft train --order 1` for relu and leaky-relu: the n^{-1/2} kink term.

After one step of gradient descent, at a training input A, the kink term has
a closed form (docs/train-theory.md, "The relu kink"): with slope k left of
the kink, gates g_B = k + (1 - k) H(z_B) on the other training inputs and

    s-(A) = sum_{B != A} g_B Theta1(A, B) e_B + k Theta1(A, A) e_A,
    s+(A) = s-(A) + (1 - k) Theta1(A, A) e_A,          e = G - y,

    alpha_mean(A) = (1 - k)/4 eta^2 E|a|^3 (2 pi K1_AA)^{-1/2} E[s+|s+| - s-|s-|],
    alpha_var(A)  = 2 Cov(f0_1(A), X_1(A)),

the outer expectation over the directions of the first-layer weights in the
plane z_A = 0 (here: a fine midpoint rule on the circle, 36 000 angles) and
the inner one over the Gaussian prior G in closed form:
E[s|s|] = (mu^2 + v)(2 Phi(m) - 1) + 2 mu sd phi(m), and for the variance the
regression of the linear f0_1(A) on s: Cov(l, s|s|) = Cov(l, s)/v Cov(s, s|s|),
E[s^2 |s|] = (mu^3 + 3 mu v)(2 Phi(m) - 1) + 2 (mu^2 sd + 2 sd^3) phi(m).
neft samples the prior (a Monte Carlo standard error): the two must agree
within 4 standard errors, and the error must be small (< 4 % of |alpha|).

Also: the relu depth-3 refusal (exit 3, one line) and that the JSON's
prediction is frozen + alpha / sqrt(width).

Usage: python3 tests/train_kink.py NEFT_BINARY RULES_DIR
"""

import json
import math
import os
import subprocess
import sys

failures = []
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "docs", "data", "learn.csv")
X = [(1, 0), (0, 1), (0.6, 0.8), (-0.5, 0.25)]
Y = [1, -1, 0.5, 0.3]
CW, CB, ETA, D = 2.0, 0.1, 0.1, 2
WIDTH = 16000


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL", msg)


def dot(p, q):
    return sum(a * b for a, b in zip(p, q))


def closed_form(k):
    """alpha_mean(A), alpha_var(A) after one step, for slope k."""
    n = len(X)
    K1 = [[CB + CW * dot(X[p], X[q]) / D for q in range(n)] for p in range(n)]
    T1 = [[1 + dot(X[p], X[q]) / D for q in range(n)] for p in range(n)]

    def gauss2(p, q):
        """E[s(u)s(v)], E[s'(u)s'(v)] for the leaky relu s, (u, v) ~ N(0, K1)."""
        r = math.sqrt(K1[p][p] * K1[q][q])
        c = max(-1.0, min(1.0, K1[p][q] / r))
        th = math.acos(c)
        pp = r * (math.sin(th) + (math.pi - th) * c) / (2 * math.pi)   # E[u+ v+]
        # s = k z + (1 - k) z+: E[s s] = k^2 K + 2 k (1 - k) K/2 + (1 - k)^2 E[u+ v+]
        ess = k * k * K1[p][q] + k * (1 - k) * K1[p][q] + (1 - k) ** 2 * pp
        edd = k * k + k * (1 - k) + (1 - k) ** 2 * (math.pi - th) / (2 * math.pi)
        return ess, edd

    K = [[0.0] * n for _ in range(n)]
    H = [[0.0] * n for _ in range(n)]
    for p in range(n):
        for q in range(n):
            ess, edd = gauss2(p, q)
            K[p][q] = CB + CW * ess
            H[p][q] = ETA * (1 + ess + CW * edd * T1[p][q])
    Ea3 = CW ** 1.5 * 2 * math.sqrt(2 / math.pi)
    Phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
    phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)

    def moments(w):
        """mu, v of s = w.e and E[s|s|], Cov(s, s|s|)."""
        mu = -dot(w, Y)
        v = sum(w[p] * K[p][q] * w[q] for p in range(n) for q in range(n))
        sd = math.sqrt(v)
        if sd == 0:
            return mu, v, mu * abs(mu), 0.0
        m = mu / sd
        e1 = (mu * mu + v) * (2 * Phi(m) - 1) + 2 * mu * sd * phi(m)
        e2 = (mu ** 3 + 3 * mu * v) * (2 * Phi(m) - 1) + 2 * (mu * mu * sd + 2 * sd ** 3) * phi(m)
        return mu, v, e1, e2 - mu * e1

    am, av = [], []
    M = 36000
    for A in range(n):
        vA = [math.sqrt(CB), math.sqrt(CW / D) * X[A][0], math.sqrt(CW / D) * X[A][1]]
        # the plane v_A . w = 0: two orthonormal vectors by cross products
        t = [0.0, 0.0, 1.0] if abs(vA[2]) < 0.9 * math.sqrt(dot(vA, vA)) else [1.0, 0.0, 0.0]
        cr = lambda a, b: [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                           a[0] * b[1] - a[1] * b[0]]
        e1 = cr(vA, t)
        e1 = [c / math.sqrt(dot(e1, e1)) for c in e1]
        e2 = cr(vA, e1)
        e2 = [c / math.sqrt(dot(e2, e2)) for c in e2]
        counts = {}
        vs = [[math.sqrt(CB), math.sqrt(CW / D) * X[B][0], math.sqrt(CW / D) * X[B][1]]
              for B in range(n)]
        for j in range(M):
            ph = 2 * math.pi * (j + 0.5) / M
            w = [math.cos(ph) * a + math.sin(ph) * b for a, b in zip(e1, e2)]
            g = tuple(int(dot(vs[B], w) > 0) for B in range(n))
            counts[g] = counts.get(g, 0) + 1
        # f0_1(A) = G_A - sum_B H_AB (G_B - y_B): its coefficients on G
        lc = [(1.0 if B == A else 0.0) - H[A][B] for B in range(n)]
        sm = sv = 0.0
        for g, cnt in counts.items():
            wt = cnt / M
            wm = [(k + (1 - k) * g[B]) * T1[A][B] if B != A else k * T1[A][A] for B in range(n)]
            wp = list(wm)
            wp[A] += (1 - k) * T1[A][A]
            for sign, w in ((1, wp), (-1, wm)):
                mu, v, es, cs = moments(w)
                sm += sign * wt * es
                if v > 0:
                    beta = sum(lc[p] * K[p][q] * w[q] for p in range(n) for q in range(n)) / v
                    sv += sign * wt * beta * cs
        pre = (1 - k) / 4 * ETA ** 2 * Ea3 / math.sqrt(2 * math.pi * K1[A][A])
        am.append(pre * sm)
        av.append(2 * pre * sv)
    return am, av


def run(neft, args, timeout=300):
    p = subprocess.run([neft, "train"] + args, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def main():
    neft = sys.argv[1]
    at = ";".join("%g,%g" % x for x in X)
    for act, k, extra in (("relu", 0.0, []), ("leaky-relu", 0.2, ["--slope", "1/5"])):
        am, av = closed_form(k)
        args = ["--order", "1", "--data", DATA, "--at", at, "--activation", act] + extra + [
            "--cw", "2", "--cb", "1/10", "--depth", "2", "--width", str(WIDTH),
            "--eta", "1/10", "--steps", "0,1", "--kink-samples", "40000", "--format", "json"]
        rc, out, err = run(neft, args)
        check(rc == 0, "%s --order 1 exit %d: %s" % (act, rc, err.strip()))
        if rc != 0:
            continue
        d = json.loads(out)
        check(d.get("c_note") and d.get("kink_samples") == 40000, "%s: no c_note" % act)
        p0, p1 = d["predicted"]
        check(all(o["alpha_mean"] == 0 and o["alpha_var"] == 0 for o in p0["kink"]),
              "%s: step 0 has a kink term" % act)
        for A in range(len(X)):
            o = p1["kink"][A]
            for what, ref in (("mean", am[A]), ("var", av[A])):
                a, e = o["alpha_" + what], o["alpha_%s_err" % what]
                print("%s x%d alpha_%s: neft %+.5f +- %.5f, closed form %+.5f, pull %+.2f"
                      % (act, A, what, a, e, ref, (a - ref) / e))
                check(abs(a - ref) < 4 * e + 2e-4 * abs(ref),
                      "%s x%d alpha_%s %g +- %g against %g" % (act, A, what, a, e, ref))
                check(e < 0.04 * abs(ref), "%s x%d alpha_%s: error %g too large for the test"
                      % (act, A, what, e))
                check(o["c"] is None, "%s: c given" % act)
            f = float(p1["frozen"][A]["mid"])
            check(abs(o["mean"] - (f + o["alpha_mean"] / math.sqrt(WIDTH))) < 1e-12,
                  "%s x%d: mean is not frozen + alpha/sqrt(n)" % (act, A))
            fv = float(p1["frozen_var"][A]["mid"])
            check(abs(o["var"] - (fv + o["alpha_var"] / math.sqrt(WIDTH))) < 1e-12,
                  "%s x%d: var is not frozen + alpha/sqrt(n)" % (act, A))

    # with trained nets: the pulls against frozen + alpha/sqrt(n) (both errors in quadrature)
    rc, out, err = run(neft, ["--ensemble", "--order", "1", "--data", DATA, "--at", "1,1;0.5,-0.5",
                              "--activation", "relu", "--cw", "2", "--cb", "1/10", "--depth", "2",
                              "--width", "20", "--models", "512", "--eta", "1/10", "--steps", "1,3",
                              "--kink-samples", "500", "--format", "json"])
    check(rc == 0, "relu --ensemble --order 1 exit %d: %s" % (rc, err.strip()))
    if rc == 0:
        d = json.loads(out)
        for st in d["trained"]:
            for b, o in enumerate(st["kink"]):
                m, v = st["mean"][b], st["cov"][b][b]
                for what, e in (("mean", m), ("var", v)):
                    f = float(e["frozen"]["mid"])
                    pred = f + o["alpha_" + what] / math.sqrt(20)
                    pull = (e["value"] - pred) / math.hypot(e["stderr"], o[what + "_err"])
                    check(abs(o[what] - pred) < 1e-12 and abs(o["pull_" + what] - pull) < 1e-3,
                          "ensemble step %d x%d %s: %r against %r, pull %r against %r"
                          % (st["step"], b, what, o[what], pred, o["pull_" + what], pull))

    # refusals: depth 3 (exit 3, one line on stderr, nothing on stdout)
    rc, out, err = run(neft, ["--order", "1", "--data", DATA, "--at", "1,1", "--activation",
                              "relu", "--cw", "2", "--cb", "1/10", "--depth", "3", "--width",
                              "20", "--eta", "1/10", "--steps", "10"])
    check(rc == 3 and err.count("\n") == 1 and out == "",
          "relu depth 3: exit %d, stderr %r" % (rc, err))

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

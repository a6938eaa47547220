#!/usr/bin/env python3
"""`neft posterior` and `neft train` against direct computations written here.

The kernels: the linear activation in exact fractions (K' = C_b + C_W K,
Theta' = lambda_b + lambda_W K + C_W Theta), ReLU with the Cho-Saul arc-cosine
kernels in floats.  The posterior: Gaussian elimination on K_AA + s2 I (in
fractions, or floats with partial pivoting).  Training: the gradient-descent
recursion itself, f_{t+1}(x) = f_t(x) - eta sum_a Theta(x, x_a) (f_t(x_a) - y_a),
iterated step by step on the affine map f_0 -> f_t, whose mean (f_0 = 0) and
covariance L K L^T are the ensemble's.  Continuous time: a fine discretisation
of the flow; at large time and depth 1 with lambda = (C_b, C_W) the trained
ensemble is the noise-free posterior.  Bad data files: exit 2, one line naming
the file and line.

Usage: python3 tests/learn.py NEFT_BINARY RULES_DIR
"""

import json
import math
import os
import subprocess
import sys
import tempfile
from fractions import Fraction as F

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL", msg)


def run(neft, args):
    p = subprocess.run([neft] + args, capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def mid_rad(b):
    return float(b["mid"]), float(b["rad"])


def near(ball, ref, tol):
    m, r = mid_rad(ball)
    return abs(m - float(ref)) <= r + tol * (1 + abs(float(ref)))


# ---- kernels ---------------------------------------------------------------

def kernels_linear(X, cw, cb, lb, lw, depth):
    d = len(X[0])
    P = len(X)
    K = [[cb + cw * sum(F(u) * F(v) for u, v in zip(X[a], X[b])) / d for b in range(P)]
         for a in range(P)]
    T = [[lb + lw * sum(F(u) * F(v) for u, v in zip(X[a], X[b])) / d for b in range(P)]
         for a in range(P)]
    for _ in range(depth - 1):
        T = [[lb + lw * K[a][b] + cw * T[a][b] for b in range(P)] for a in range(P)]
        K = [[cb + cw * K[a][b] for b in range(P)] for a in range(P)]
    return K, T


def kernels_relu(X, cw, cb, lb, lw, depth):
    d = len(X[0])
    P = len(X)
    dot = [[sum(u * v for u, v in zip(X[a], X[b])) / d for b in range(P)] for a in range(P)]
    K = [[cb + cw * dot[a][b] for b in range(P)] for a in range(P)]
    T = [[lb + lw * dot[a][b] for b in range(P)] for a in range(P)]
    for _ in range(depth - 1):
        K2 = [[0.0] * P for _ in range(P)]
        T2 = [[0.0] * P for _ in range(P)]
        for a in range(P):
            for b in range(P):
                n = math.sqrt(K[a][a] * K[b][b])
                c = max(-1.0, min(1.0, K[a][b] / n))
                t = math.acos(c)
                ss = n * (math.sin(t) + (math.pi - t) * c) / (2 * math.pi)   # degree 1
                dd = (math.pi - t) / (2 * math.pi)                           # degree 0
                K2[a][b] = cb + cw * ss
                T2[a][b] = lb + lw * ss + cw * dd * T[a][b]
        K, T = K2, T2
    return K, T


# ---- linear algebra --------------------------------------------------------

def solve(A, B):
    """A X = B by Gaussian elimination (partial pivoting for floats)."""
    n = len(A)
    M = [list(A[i]) + list(B[i]) for i in range(n)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        for r in range(n):
            if r != c and M[r][c] != 0:
                f = M[r][c] / M[c][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [[M[i][j] / M[i][i] for j in range(n, len(M[0]))] for i in range(n)]


def posterior(K, y, nA, s2):
    P = len(K)
    A = [[K[i][j] + (s2 if i == j else 0) for j in range(nA)] for i in range(nA)]
    B = [[y[i]] + [K[i][j] for j in range(nA, P)] for i in range(nA)]
    X = solve(A, B)
    nB = P - nA
    mean = [sum(K[nA + i][k] * X[k][0] for k in range(nA)) for i in range(nB)]
    cov = [[K[nA + i][nA + j] - sum(K[nA + i][k] * X[k][j + 1] for k in range(nA))
            for j in range(nB)] for i in range(nB)]
    return mean, cov


def gd(K, T, y, nA, eta, steps):
    """f_t = L f_0 + c by the GD recursion on all P points; mean c, cov L K L^T."""
    P = len(K)
    zero = K[0][0] * 0
    L = [[zero + (1 if i == j else 0) for j in range(P)] for i in range(P)]
    c = [zero] * P
    for _ in range(steps):
        # residual r_a = f_t(x_a) - y_a  (affine in f_0: rows L[a], c[a] - y[a])
        rL = [L[a] for a in range(nA)]
        rc = [c[a] - y[a] for a in range(nA)]
        L = [[L[i][j] - eta * sum(T[i][a] * rL[a][j] for a in range(nA)) for j in range(P)]
             for i in range(P)]
        c = [c[i] - eta * sum(T[i][a] * rc[a] for a in range(nA)) for i in range(P)]
    nB = P - nA
    rows = [L[nA + i] for i in range(nB)]
    cov = [[sum(rows[i][p] * K[p][q] * rows[j][q] for p in range(P) for q in range(P))
            for j in range(nB)] for i in range(nB)]
    return c[nA:], cov


# ---- the cases -------------------------------------------------------------

def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def main():
    neft = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="neft-learn-")
    data = os.path.join(tmp, "d.csv")
    write(data, "# x1, x2, y\n1, 0, 1\n0, 1, -1\n\n0.6, 0.8, 1/2\n-0.5,0.25,0.3\n")
    Xa = [["1", "0"], ["0", "1"], ["0.6", "0.8"], ["-0.5", "0.25"]]
    ya = [F(1), F(-1), F(1, 2), F(3, 10)]
    at = "1,1;0.5,-0.5;0,0.3"
    Xb = [["1", "1"], ["0.5", "-0.5"], ["0", "0.3"]]
    X = Xa + Xb
    nA = len(Xa)

    # 1. posterior, linear, exact
    cw, cb, s2, depth = F(3, 2), F(1, 10), F(1, 100), 3
    rc, out, err = run(neft, ["posterior", "--data", data, "--at", at, "--activation", "linear",
                              "--cw", "3/2", "--cb", "1/10", "--depth", "3", "--noise", "1/100",
                              "--format", "json"])
    check(rc == 0, "posterior linear: exit %d %s" % (rc, err))
    if rc == 0:
        j = json.loads(out)
        K, _ = kernels_linear(X, cw, cb, F(1), F(1), depth)
        mean, cov = posterior(K, ya, nA, s2)
        check([F(s) for s in j["mean_exact"]] == mean, "posterior linear: mean_exact %s, direct %s"
              % (j["mean_exact"], mean))
        check([[F(s) for s in r] for r in j["cov_exact"]] == cov, "posterior linear: cov_exact")
        for i in range(3):
            check(near(j["mean"][i], mean[i], 0), "posterior linear: the ball of mean %d" % i)
            for k in range(3):
                check(near(j["cov"][i][k], cov[i][k], 0), "posterior linear: cov ball %d %d" % (i, k))

    # 2. posterior, relu depth 3, balls against floats
    Xf = [[float(F(v)) for v in x] for x in X]
    rc, out, err = run(neft, ["posterior", "--data", data, "--at", at, "--activation", "relu",
                              "--cw", "2", "--cb", "1/5", "--depth", "3", "--noise", "1/50",
                              "--format", "json"])
    check(rc == 0, "posterior relu: exit %d %s" % (rc, err))
    if rc == 0:
        j = json.loads(out)
        K, _ = kernels_relu(Xf, 2.0, 0.2, 1.0, 1.0, 3)
        mean, cov = posterior(K, [float(v) for v in ya], nA, 0.02)
        check("mean_exact" not in j, "posterior relu: no exact rationals expected")
        for i in range(3):
            check(near(j["mean"][i], mean[i], 1e-10), "posterior relu: mean %d %s vs %r"
                  % (i, j["mean"][i], mean[i]))
            for k in range(3):
                check(near(j["cov"][i][k], cov[i][k], 1e-10), "posterior relu: cov %d %d" % (i, k))

    # 3. train, linear, exact, 25 steps
    eta = F(1, 5)
    rc, out, err = run(neft, ["train", "--data", data, "--at", at, "--activation", "linear",
                              "--cw", "3/2", "--cb", "1/10", "--depth", "2", "--eta", "1/5",
                              "--steps", "25", "--lambda-b", "1/2", "--lambda-w", "2",
                              "--format", "json"])
    check(rc == 0, "train linear: exit %d %s" % (rc, err))
    if rc == 0:
        j = json.loads(out)
        K, T = kernels_linear(X, cw, cb, F(1, 2), F(2), 2)
        mean, cov = gd(K, T, ya, nA, eta, 25)
        check([F(s) for s in j["mean_exact"]] == mean, "train linear: mean_exact %s, GD %s"
              % (j["mean_exact"], [str(m) for m in mean]))
        check([[F(s) for s in r] for r in j["cov_exact"]] == cov, "train linear: cov_exact")
        for i in range(3):
            check(near(j["mean"][i], mean[i], 0), "train linear: the ball of mean %d" % i)

    # 4. train, relu depth 3, 200 steps, balls against the GD recursion in floats
    rc, out, err = run(neft, ["train", "--data", data, "--at", at, "--activation", "relu",
                              "--cw", "2", "--cb", "0", "--depth", "3", "--eta", "1/10",
                              "--steps", "200", "--format", "json"])
    check(rc == 0, "train relu: exit %d %s" % (rc, err))
    if rc == 0:
        j = json.loads(out)
        K, T = kernels_relu(Xf, 2.0, 0.0, 1.0, 1.0, 3)
        mean, cov = gd(K, T, [float(v) for v in ya], nA, 0.1, 200)
        for i in range(3):
            check(near(j["mean"][i], mean[i], 1e-9), "train relu: mean %d %s vs %r"
                  % (i, j["mean"][i], mean[i]))
            for k in range(3):
                check(near(j["cov"][i][k], cov[i][k], 1e-9), "train relu: cov %d %d %s vs %r"
                      % (i, k, j["cov"][i][k], cov[i][k]))

    # 5. continuous time against the flow discretised in 2000 steps (error O(1/2000))
    rc, out, err = run(neft, ["train", "--data", data, "--at", at, "--activation", "relu",
                              "--cw", "2", "--cb", "0", "--depth", "3", "--eta", "1/10",
                              "--time", "20", "--format", "json"])
    rc2, out2, err2 = run(neft, ["train", "--data", data, "--at", at, "--activation", "relu",
                                 "--cw", "2", "--cb", "0", "--depth", "3", "--eta", "1/1000",
                                 "--steps", "2000", "--format", "json"])
    check(rc == 0 and rc2 == 0, "train --time: exit %d %d %s %s" % (rc, rc2, err, err2))
    if rc == 0 and rc2 == 0:
        j, j2 = json.loads(out), json.loads(out2)
        for i in range(3):
            a, b = mid_rad(j["mean"][i])[0], mid_rad(j2["mean"][i])[0]
            check(abs(a - b) < 2e-3 * (1 + abs(a)), "train --time 20 vs 2000 small steps: "
                  "mean %d %r vs %r" % (i, a, b))

    # 6. depth 1, lambda = (C_b, C_W): Theta = K, and the flow at large time is
    #    the noise-free posterior (3 examples: K^(1) of 2-D inputs has rank 3)
    data3 = os.path.join(tmp, "d3.csv")
    write(data3, "1, 0, 1\n0, 1, -1\n0.6, 0.8, 1/2\n")
    rc, out, err = run(neft, ["train", "--data", data3, "--at", at, "--activation", "tanh",
                              "--cw", "3/2", "--cb", "1/10", "--depth", "1", "--eta", "1",
                              "--time", "100000", "--lambda-b", "1/10", "--lambda-w", "3/2",
                              "--format", "json"])
    rc2, out2, err2 = run(neft, ["posterior", "--data", data3, "--at", at, "--activation", "tanh",
                                 "--cw", "3/2", "--cb", "1/10", "--depth", "1", "--format",
                                 "json"])
    check(rc == 0 and rc2 == 0, "train vs posterior: exit %d %d %s %s" % (rc, rc2, err, err2))
    if rc == 0 and rc2 == 0:
        j, j2 = json.loads(out), json.loads(out2)
        for i in range(3):
            a, b = mid_rad(j["mean"][i])[0], mid_rad(j2["mean"][i])[0]
            check(abs(a - b) < 1e-8, "train t -> inf vs posterior: mean %d %r vs %r" % (i, a, b))
            for k in range(3):
                a, b = mid_rad(j["cov"][i][k])[0], mid_rad(j2["cov"][i][k])[0]
                check(abs(a - b) < 1e-8, "train t -> inf vs posterior: cov %d %d" % (i, k))

    # 7. the same data as JSON
    djson = os.path.join(tmp, "d.json")
    write(djson, json.dumps({"inputs": [[1, 0], [0, 1], [0.6, 0.8], [-0.5, 0.25]],
                             "targets": [1, -1, 0.5, 0.3]}))
    a = run(neft, ["posterior", "--data", data, "--at", at, "--activation", "linear",
                   "--cw", "1", "--cb", "0", "--depth", "2", "--noise", "1", "--format", "json"])
    b = run(neft, ["posterior", "--data", djson, "--at", at, "--activation", "linear",
                   "--cw", "1", "--cb", "0", "--depth", "2", "--noise", "1", "--format", "json"])
    check(a[0] == 0 and b[0] == 0 and json.loads(a[1])["mean_exact"]
          == json.loads(b[1])["mean_exact"], "CSV and JSON data differ: %s %s" % (a[2], b[2]))

    # 8. bad data files: exit 2, one line "neft: FILE:LINE: expected ..."
    bad = [("1,0,1\n1,2\n", 2, "expected 3 comma-separated fields"),
           ("# c\n1,x,1\n", 2, "expected a number"),
           ("1\n", 1, "at least 2 fields"),
           ("# only a comment\n", 1, "at least one example"),
           ('{"inputs": [[1,0],[0,1]], "targets": [1]}', 1, "expected 2 targets"),
           ('{"inputs": [[1,0],\n[0]], "targets": [1, 2]}', 2, "array of as many numbers"),
           ('{"inputs": [[1,0]], "targets": ["a"]}', 1, "expected a number"),
           ('{"inputs": [[1,0]]', 1, "")]
    for k, (text, line, what) in enumerate(bad):
        path = os.path.join(tmp, "bad%d.txt" % k)
        write(path, text)
        for cmd in (["posterior"], ["train", "--eta", "1", "--steps", "1"]):
            rc, out, err = run(neft, cmd + ["--data", path, "--at", "1,1", "--activation",
                                            "relu", "--cw", "2", "--cb", "0", "--depth", "2"])
            lines = err.strip().split("\n")
            check(rc == 2 and out == "" and len(lines) == 1
                  and lines[0].startswith("neft: %s:%d:" % (path, line)) and what in lines[0],
                  "bad data %r (%s): exit %d, stderr %r" % (text, cmd[0], rc, err))
    # a test point of the wrong dimension, a singular noise-free system
    rc, out, err = run(neft, ["posterior", "--data", data, "--at", "1,1,1", "--activation",
                              "relu", "--cw", "2", "--cb", "0", "--depth", "2"])
    check(rc == 2 and "--at expects" in err, "wrong test dimension: %d %r" % (rc, err))
    dup = os.path.join(tmp, "dup.csv")
    write(dup, "1,0,1\n1,0,2\n")
    rc, out, err = run(neft, ["posterior", "--data", dup, "--at", "1,1", "--activation",
                              "linear", "--cw", "1", "--cb", "0", "--depth", "2"])
    check(rc == 1 and "singular" in err and out == "", "duplicate inputs, no noise: %d %r"
          % (rc, err))

    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    if failures:
        print("learn: FAIL (%d)" % len(failures))
        return 1
    print("learn: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())

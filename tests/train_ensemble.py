#!/usr/bin/env python3
"""`neft train --ensemble`: sampled finite-width nets trained by gradient descent.

1. The arithmetic: model 0's initial parameters (--trace) are trained here by
   an independent full-batch GD in plain Python floats (forward pass,
   backpropagation, the RYH rates eta lambda_b and eta lambda_W / n_{l-1}), and
   its NTK sum_mu lambda_mu df/dtheta df'/dtheta computed from the same
   parameters; both against neft's (relu, tanh; depths 2 and 3).
2. The same nets as `neft sample`: the prior's G^(2) of the ensemble equals
   `neft sample --npt 2`'s bit for bit; threads 1 and 2 give the same output.
3. Width 500 against the frozen-NTK prediction: every mean and covariance and
   the NTK within 4 errors.
4. Checkpoints: a run extended from a checkpoint of fewer models equals the
   run from scratch; SIGINT stops within a second with the state saved.
5. The figure (--figure): its coordinates are the JSON's numbers.
6. Bad input: exit 2 (steps not increasing), 3 (an activation without a
   derivative).

Usage: python3 tests/train_ensemble.py NEFT_BINARY RULES_DIR
"""

import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

failures = []
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "docs", "data", "learn.csv")


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL", msg)


def run(neft, args, timeout=300):
    p = subprocess.run([neft] + args, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def read_data(path):
    xs, ys = [], []
    for line in open(path):
        line = line.split("#")[0].strip()
        if line:
            vals = [float(Fraction(v.strip())) for v in line.split(",")]
            xs.append(vals[:-1])
            ys.append(vals[-1])
    return xs, ys


ACTS = {
    "relu": (lambda z: max(z, 0.0), lambda z: 1.0 if z > 0 else 0.0),
    "tanh": (math.tanh, lambda z: 1.0 - math.tanh(z) ** 2),
}


def unpack(n, params):
    """layers of (W rows, b) from the draw order: per unit its weights then its bias"""
    layers, k = [], 0
    for l in range(1, len(n)):
        W, b = [], []
        for i in range(n[l]):
            W.append(list(params[k:k + n[l - 1]]))
            k += n[l - 1]
            b.append(params[k])
            k += 1
        layers.append([W, b])
    assert k == len(params)
    return layers


def forward(layers, x, act):
    """pre-activations z^(l) and activations (h^(0) = x); output z^(L)[0]"""
    hs, zs = [x], []
    for l, (W, b) in enumerate(layers):
        z = [b[i] + sum(W[i][j] * hs[-1][j] for j in range(len(hs[-1]))) for i in range(len(W))]
        zs.append(z)
        if l < len(layers) - 1:
            hs.append([act[0](v) for v in z])
    return zs, hs


def deltas(layers, zs, act):
    """df/dz^(l) for every layer, top down"""
    L = len(layers)
    d = [None] * L
    d[L - 1] = [1.0]
    for l in range(L - 2, -1, -1):
        W = layers[l + 1][0]
        d[l] = [act[1](zs[l][j]) * sum(W[i][j] * d[l + 1][i] for i in range(len(W)))
                for j in range(len(zs[l]))]
    return d


def gd(layers, xs, ys, eta, lb, lw, act, steps, test):
    """full-batch GD; the outputs at the test inputs at the recorded steps"""
    out, T = [], max(steps)
    for t in range(T + 1):
        if t in steps:
            out.append([forward(layers, x, act)[0][-1][0] for x in test])
        if t == T:
            break
        grads = [[[[0.0] * len(W[0]) for _ in W], [0.0] * len(b)] for W, b in layers]
        for x, y in zip(xs, ys):
            zs, hs = forward(layers, x, act)
            e = zs[-1][0] - y
            d = deltas(layers, zs, act)
            for l in range(len(layers)):
                for i in range(len(d[l])):
                    grads[l][1][i] += e * d[l][i]
                    for j in range(len(hs[l])):
                        grads[l][0][i][j] += e * d[l][i] * hs[l][j]
        for l, (W, b) in enumerate(layers):
            nin = len(W[0])
            for i in range(len(W)):
                b[i] -= eta * lb * grads[l][1][i]
                for j in range(nin):
                    W[i][j] -= eta * lw / nin * grads[l][0][i][j]
    return out


def ntk(layers, pts, act, lb, lw):
    info = []
    for x in pts:
        zs, hs = forward(layers, x, act)
        info.append((hs, deltas(layers, zs, act)))
    P = len(pts)
    T = [[0.0] * P for _ in range(P)]
    for a in range(P):
        for b in range(P):
            s = 0.0
            for l in range(len(layers)):
                ha, da = info[a][0][l], info[a][1][l]
                hb, db = info[b][0][l], info[b][1][l]
                dd = sum(u * v for u, v in zip(da, db))
                ss = sum(u * v for u, v in zip(ha, hb))
                s += dd * (lb + lw / len(ha) * ss)
            T[a][b] = s
    return T


def rel(a, b):
    return abs(a - b) / max(1.0, abs(b))


def test_arithmetic(neft):
    xs, ys = read_data(DATA)
    test = [[1.0, 1.0], [0.5, -0.5]]
    cases = [("relu", "2", "1/10", 2, 4, "1/10", "1", "1", [0, 1, 7, 20]),
             ("tanh", "3/2", "1/10", 3, 3, "1/20", "1/2", "3/2", [0, 2, 9]),
             ("tanh", "1", "0", 2, 5, "1/5", "1", "0", [1, 3])]
    for act, cw, cb, depth, width, eta, lb, lw, steps in cases:
        rc, out, err = run(neft, ["train", "--ensemble", "--data", DATA, "--at", "1,1;0.5,-0.5",
                                  "--activation", act, "--cw", cw, "--cb", cb, "--depth",
                                  str(depth), "--width", str(width), "--models", "512",
                                  "--eta", eta, "--lambda-b", lb, "--lambda-w", lw, "--steps",
                                  ",".join(map(str, steps)), "--seed", "7", "--trace"])
        check(rc == 0, "trace %s: exit %d %s" % (act, rc, err))
        if rc:
            continue
        tr = json.loads(out)
        n = tr["n"]
        check(n == [2] + [width] * (depth - 1) + [1], "trace %s: widths %s" % (act, n))
        f = lambda q: float(q.split("/")[0]) / float(q.split("/")[1]) if "/" in q else float(q)
        layers = unpack(n, tr["params"])
        th = ntk(layers, xs + test, ACTS[act], f(lb), f(lw))
        worst = max(rel(tr["ntk"][a][b], th[a][b]) for a in range(6) for b in range(6))
        check(worst < 1e-12, "%s depth %d: NTK differs from the Python one by %g"
              % (act, depth, worst))
        ref = gd(layers, xs, ys, f(eta), f(lb), f(lw), ACTS[act], steps, test)
        worst = max(rel(tr["out"][s][b], ref[s][b]) for s in range(len(steps)) for b in range(2))
        check(worst < 1e-11, "%s depth %d: the trained outputs differ from Python GD by %g "
              "(neft %s, Python %s)" % (act, depth, worst, tr["out"], ref))
        # and the check has teeth: training moved the outputs
        moved = max(abs(ref[-1][b] - forward(unpack(n, tr["params"]), test[b], ACTS[act])[0][-1][0])
                    for b in range(2))
        check(moved > 1e-2, "%s: training did not move the outputs (%g)" % (act, moved))
        print("arithmetic %s depth %d width %d: outputs agree to %.1e" % (act, depth, width, worst))


def ens_args(width, models, extra=()):
    return ["train", "--ensemble", "--data", DATA, "--at", "1,1;0.5,-0.5", "--activation",
            "relu", "--cw", "2", "--cb", "1/10", "--depth", "2", "--width", str(width),
            "--models", str(models), "--eta", "1/10", "--steps", "0,5,20"] + list(extra)


def test_same_nets(neft):
    rc, out, err = run(neft, ens_args(8, 1000, ["--format", "json", "--threads", "1"]))
    check(rc == 0, "ensemble: exit %d %s" % (rc, err))
    rc2, out2, _ = run(neft, ens_args(8, 1000, ["--format", "json", "--threads", "2"]))
    check(rc2 == 0 and out == out2, "threads 1 and 2 differ")
    res = json.loads(out)
    pts = ";".join(",".join("%.17g" % c for c in p) for p in res["inputs"])
    rc, sout, err = run(neft, ["sample", "--activation", "relu", "--d-in", "2", "--width", "8",
                               "--models", "1000", "--at", pts, "--npt", "2", "--cw", "2",
                               "--cb", "0.1", "--format", "json"])
    check(rc == 0, "sample: exit %d %s" % (rc, err))
    if rc == 0:
        got = {tuple(c["indices"]): c["full"]["mean"] for c in json.loads(sout)["correlators"]}
        same = 0
        for c in res["prior_g2"]:
            key = (c["i"], c["j"])
            check(got.get(key) == c["value"], "G2%s: train %r, sample %r"
                  % (key, c["value"], got.get(key)))
            same += got.get(key) == c["value"]
        check(same == len(res["prior_g2"]) == 21, "prior G2 identical: %d" % same)


def test_wide(neft):
    rc, out, err = run(neft, ens_args(500, 2048, ["--format", "json"]))
    check(rc == 0, "width 500: exit %d %s" % (rc, err))
    if rc:
        return
    res = json.loads(out)
    check(res["frozen_ok"], "width 500: frozen side not certified")
    pulls = []
    for st in res["trained"]:
        for item in st["mean"] + [c for row in st["cov"] for c in row]:
            if item["pull"] is not None:
                pulls.append(abs(item["pull"]))
    for row in res["ntk"]:
        for item in row:
            pulls.append(abs(item["pull"]))
    check(len(pulls) >= 3 * 2 + 3 * 4 + 36 - 2, "width 500: %d pulls" % len(pulls))
    check(max(pulls) < 4, "width 500: largest pull %.2f" % max(pulls))
    # teeth: at step 20 the mean moved well away from the prior's 0
    m = res["trained"][2]["mean"][0]
    check(abs(m["value"]) > 10 * m["stderr"], "width 500: the mean did not move: %s" % m)
    print("width 500: %d pulls, largest %.2f" % (len(pulls), max(pulls)))


def test_checkpoint(neft, tmp):
    ck = os.path.join(tmp, "t.ck")
    rc, _, err = run(neft, ens_args(6, 768, ["--checkpoint", ck]))
    check(rc == 0 and os.path.exists(ck), "checkpoint run: exit %d %s" % (rc, err))
    rc, ext, err = run(neft, ens_args(6, 1536, ["--checkpoint", ck]))
    rc2, fresh, _ = run(neft, ens_args(6, 1536))
    check(rc == 0 and rc2 == 0 and ext == fresh, "extended run differs from the fresh one")
    # a checkpoint of other training settings is refused
    other = ens_args(6, 1536, ["--checkpoint", ck])
    other[other.index("--eta") + 1] = "1/5"
    rc, _, err = run(neft, other)
    check(rc == 2 and "eta" in err, "foreign checkpoint: exit %d %s" % (rc, err))
    # SIGINT: stops within a second, state saved, resumable
    ck2 = os.path.join(tmp, "s.ck")
    args = ens_args(200, 4000000, ["--checkpoint", ck2, "--threads", "2", "--max-work", "1e16"])
    args[args.index("--steps") + 1] = "0,200"
    p = subprocess.Popen([neft] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    t0 = time.time()
    p.send_signal(signal.SIGINT)
    try:
        _, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    dt = time.time() - t0
    check(p.returncode == 130, "SIGINT: exit %d %s" % (p.returncode, err))
    check(dt < 1.0, "SIGINT: stopped after %.2f s" % dt)
    check(os.path.exists(ck2), "SIGINT: no checkpoint")
    print("SIGINT: stopped in %.2f s" % dt)


def test_figure(neft, tmp):
    fig = os.path.join(tmp, "band.tex")
    rc, out, err = run(neft, ens_args(8, 512, ["--format", "json", "--figure", fig]))
    check(rc == 0 and os.path.exists(fig), "figure: exit %d %s" % (rc, err))
    if rc:
        return
    res = json.loads(out)
    tex = open(fig).read()
    plots = re.findall(r"\\addplot\[([^\]]*)\] coordinates \{\n(.*?)\};", tex, re.S)
    check(len(plots) == 6, "figure: %d curves" % len(plots))
    pts = [re.findall(r"^  \(([-\d.e+]+), ([-\d.e+]+)\)", body, re.M) for _, body in plots]
    means = [(float(x), float(y)) for x, y in pts[0]]
    want = [(st["step"], st["mean"][0]["value"]) for st in res["trained"]]
    check(len(means) == len(want) and all(abs(a[0] - b[0]) < 1e-9 and rel(a[1], b[1]) < 1e-8
                                          for a, b in zip(means, want)),
          "figure: trained means %s, JSON %s" % (means, want))
    fro = [float(y) for _, y in pts[3]]
    want = [float(st["mean"][0]["frozen"]["mid"]) for st in res["trained"]]
    check(all(rel(a, b) < 1e-8 for a, b in zip(fro, want)) and len(fro) == 3,
          "figure: frozen means %s, JSON %s" % (fro, want))


def gauss_expect(f, K, n=801, span=12.0):
    """E f(z), z ~ N(0, K), by the trapezoid rule (exponentially accurate here)"""
    h = 2 * span / (n - 1)
    s = 0.0
    for i in range(n):
        t = -span + i * h
        s += f(math.sqrt(K) * t) * math.exp(-0.5 * t * t)
    return s * h / math.sqrt(2 * math.pi)


def curves(tex):
    plots = re.findall(r"\\addplot\[([^\]]*)\] coordinates \{\n(.*?)\};", tex, re.S)
    return [[(float(x), float(y)) for x, y in
             re.findall(r"^  \(([-\d.e+]+), ([-\d.e+]+)\)", body, re.M)] for _, body in plots]


def test_onen_figures(neft, tmp):
    """`neft onen --figure depth|phase`: the plotted numbers against independent values"""
    fig = os.path.join(tmp, "depth.tex")
    rc, out, err = run(neft, ["onen", "--figure", "depth", "--activation", "relu", "--cw", "2",
                              "--cb", "0", "--depth", "8", "--k1", "1", "--lambda-b", "1/2",
                              "--lambda-w", "1", "--figure-file", fig])
    check(rc == 0 and os.path.exists(fig), "depth figure: exit %d %s" % (rc, err))
    if rc == 0:
        c = curves(open(fig).read())
        check(len(c) == 2 and len(c[0]) == 8 and len(c[1]) == 8, "depth figure: curves %s" % c)
        # ReLU at criticality: Theta^(l) = l (lambda_b + lambda_W K/2) = l; V/K^2 = 5 (l - 1)
        check(all(abs(y - x) < 1e-9 for x, y in c[0]), "depth figure: Theta %s" % c[0])
        check(all(abs(y - 5 * (x - 1)) < 1e-9 for x, y in c[1]), "depth figure: V/K^2 %s" % c[1])
    fig = os.path.join(tmp, "phase.tex")
    rc, out, err = run(neft, ["onen", "--figure", "phase", "--activation", "tanh", "--cb",
                              "0.05", "--cw-range", "0.8,2.4", "--points", "3",
                              "--figure-file", fig])
    check(rc == 0 and os.path.exists(fig), "phase figure: exit %d %s" % (rc, err))
    if rc:
        return
    c = curves(open(fig).read())
    check(len(c) == 3 and len(c[0]) == 3, "phase figure: %d curves" % len(c))
    sech2 = lambda z: 1 / math.cosh(z) ** 2
    for (cw, chi_perp), (_, chi_par) in zip(c[0], c[1]):
        K = 1.0
        for _ in range(2000):      # the fixed point by iteration (stable: chi_par < 1)
            K = 0.05 + cw * gauss_expect(lambda z: math.tanh(z) ** 2, K)
        cp = cw * gauss_expect(lambda z: sech2(z) ** 2, K)
        # chi_par = C_W d<tanh^2>/dK = C_W <(tanh^2)''>/2 = C_W <sech^2 (sech^2 - 2 tanh^2)>
        cq = cw * gauss_expect(lambda z: sech2(z) * (sech2(z) - 2 * math.tanh(z) ** 2), K)
        check(abs(chi_perp - cp) < 1e-7 and abs(chi_par - cq) < 1e-7,
              "phase figure at C_W = %g: chi_perp %g (Python %g), chi_par %g (Python %g)"
              % (cw, chi_perp, cp, chi_par, cq))
    line = c[2]
    check(len(line) > 20, "phase figure: %d points on the critical line" % len(line))
    worst = 0.0
    for cb, cw in line[::8]:
        K = cb + cw
        for _ in range(3000):
            K = cb + cw * gauss_expect(lambda z: math.tanh(z) ** 2, K)
        worst = max(worst, abs(cw * gauss_expect(lambda z: sech2(z) ** 2, K) - 1))
    check(worst < 1e-4, "phase figure: chi_perp on the critical line is off 1 by %g" % worst)
    print("figures: depth exact, phase chi's agree, critical line chi_perp - 1 <= %.1e" % worst)


def test_bad(neft):
    args = ens_args(8, 512)
    args[args.index("--steps") + 1] = "5,3"
    rc, out, err = run(neft, args)
    check(rc == 2 and out == "" and err.count("\n") == 1, "steps 5,3: exit %d %r" % (rc, err))
    args = ens_args(8, 512)
    args[args.index("--activation") + 1] = "gauss"
    rc, out, err = run(neft, args)
    check(rc == 3 and out == "", "gauss: exit %d %r" % (rc, err))


def main():
    neft = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        test_arithmetic(neft)
        test_same_nets(neft)
        test_wide(neft)
        test_checkpoint(neft, tmp)
        test_figure(neft, tmp)
        test_onen_figures(neft, tmp)
        test_bad(neft)
    if failures:
        print("%d failures" % len(failures))
        sys.exit(1)
    print("train_ensemble: all passed")


if __name__ == "__main__":
    main()

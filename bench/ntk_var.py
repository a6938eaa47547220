#!/usr/bin/env python3
"""The NTK at O(1/n) against the empirical NTK of sampled nets (docs/onen.md,
"The NTK at finite width").  For each net and width: `neft train --ensemble`
measures the mean and variance of the NTK at initialisation over M nets;
`neft onen --ntk --order 1` gives Theta, Theta1, A + 2B.  Prints, per width,
the measured mean, the leading order Theta, Theta + Theta1/n, the pulls, and
n Var against A + 2B.  Usage: bench/ntk_var.py [--neft build/neft]
[--models M] [--widths 10,20,50,100]"""
import argparse, json, os, subprocess, sys, tempfile

CASES = [
    # name, activation, cw, cb, depth, x (d_in = 1), lambda_b, lambda_w
    ("relu L=3", "relu", "2", "0", 3, "1", "1", "1"),
    ("relu L=4, C_b=1/10", "relu", "2", "1/10", 4, "1", "1", "1"),
    ("tanh L=5, lambda_b=0", "tanh", "1", "0", 5, "1/2", "0", "1"),
    ("tanh L=3, C_b=1/10", "tanh", "1", "1/10", 3, "1", "1", "1"),
]


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), r.stderr))
    return r.stdout


def mid(b):
    return float(b["mid"]) if isinstance(b, dict) else float(b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--neft", default="build/neft")
    ap.add_argument("--models", type=int, default=40000)
    ap.add_argument("--widths", default="10,20,50,100")
    a = ap.parse_args()
    widths = [int(w) for w in a.widths.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        for name, act, cw, cb, L, x, lb, lw in CASES:
            data = os.path.join(tmp, "one.csv")
            with open(data, "w") as f:
                f.write("# x, y\n%s, 1\n" % x)
            print("## %s: C_W = %s, C_b = %s, x = %s, lambda_b = %s, lambda_W = %s, %d nets"
                  % (name, cw, cb, x, lb, lw, a.models))
            print("| width | measured E[H] | Theta | Theta + Theta1/n | pull LO | pull O(1/n) "
                  "| measured n Var H | A + 2B | pull |")
            print("|---|---|---|---|---|---|---|---|---|")
            for n in widths:
                o = json.loads(run([a.neft, "onen", "--ntk", "--order", "1", "--activation",
                                    act, "--cw", cw, "--cb", cb, "--depth", str(L), "--at", x,
                                    "--d-in", "1", "--lambda-b", lb, "--lambda-w", lw,
                                    "--width", str(n), "--prec", "64", "--format", "json"]))
                top = o["ntk"][-1]
                th, th1, var = mid(top["theta"]), mid(top["theta1"]), mid(top["var"])
                e = json.loads(run([a.neft, "train", "--ensemble", "--data", data, "--at", x,
                                    "--activation", act, "--cw", cw, "--cb", cb, "--depth",
                                    str(L), "--width", str(n), "--models", str(a.models),
                                    "--eta", "1/10", "--steps", "1", "--lambda-b", lb,
                                    "--lambda-w", lw, "--prec", "64", "--format", "json"]))
                m, v = e["ntk"][0][0], e["ntk_var"][0][0]
                p0 = (m["value"] - th) / m["stderr"]
                p1 = (m["value"] - th - th1 / n) / m["stderr"]
                pv = (n * v["value"] - var) / (n * v["stderr"])
                print("| %d | %.5f ± %.5f | %.5f | %.5f | %.1f | %.1f | %.4f ± %.4f | %.4f | %.1f |"
                      % (n, m["value"], m["stderr"], th, th + th1 / n, p0, p1, n * v["value"],
                         n * v["stderr"], var, pv))
                sys.stdout.flush()
            print()


if __name__ == "__main__":
    main()

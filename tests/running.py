#!/usr/bin/env python3
"""The running read locally through the commands (docs/eft.md, "The running
read locally").

    python3 running.py NEFT_BINARY RULES_DIR

1. `neft fit` on exact bias-free ReLU data (lambda(L) = -25/(2 N sw^8 L^5)):
   the local slopes are balls containing -5, the betas contain the closed
   form (lambda(L_{i+1}) - lambda(L_i)) / log(L_{i+1}/L_i), the last decade
   is the cutoffs 1..10 with slope -5 and expected -5; text and JSON.
2. `neft fit` on sampled Erf data at 5 cutoffs 7..1e5: the local slopes have
   positive propagated errors, run monotonically towards -1, and the last
   decade's local slope range brackets its fitted slope.
3. `neft validate --quick`: report.json's "running" has "sampled" and
   "exact" with the local slopes and the last decade; the summary prints
   them; the running figure has the second panel with the expected slope.
"""
import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction
from math import log

failures = 0


def check(cond, msg):
    global failures
    if not cond:
        failures += 1
        print("FAIL: " + msg)


def run(neft, *args, cwd=None):
    p = subprocess.run([neft, *args], capture_output=True, text=True, cwd=cwd)
    check(p.returncode == 0, f"neft {' '.join(args)} exited {p.returncode}: {p.stderr[:300]}")
    return p


def contains(b, q):
    mid, rad = Fraction(b["mid"]), Fraction(b["rad"])
    return mid - rad <= q <= mid + rad


def exact_relu(neft, tmp):
    data = os.path.join(tmp, "relu20.json")
    p = run(neft, "exact", "--activation", "relu", "--d-in", "1", "--width", "20",
            "--at", "0.2;0.45;0.7;0.95;1.2", "--npt", "2,4", "--format", "json")
    with open(data, "w") as f:
        f.write(p.stdout)
    cuts = [1, 2, 5, 10]
    text = run(neft, "fit", data, "--cutoff", ",".join(map(str, cuts))).stdout
    check("running of lambda over the last decade (4 cutoffs 1 .. 10): p = [-5.0" in text
          and "(expected p = -5: beta = -5 lambda)" in text
          and "local running of lambda:" in text, f"fit text: {text}")
    lines = text[text.index("local running"):].strip().split("\n")[1:]
    check(len(lines) == 3 and all("[-5.000000000 +/-" in l for l in lines),
          f"three local slopes -5: {lines}")
    out = json.loads(run(neft, "fit", data, "--cutoff", ",".join(map(str, cuts)),
                         "--format", "json").stdout)
    r = out["running"]["lambda"]
    lam = [Fraction(-25, 2 * 20) / Fraction(L) ** 5 for L in cuts]
    check(len(r["local"]) == 3, f"local: {r['local']}")
    for i, q in enumerate(r["local"]):
        check(contains(q["slope"], -5) and Fraction(q["slope"]["rad"]) < Fraction(1, 10**12),
              f"local slope {i}: {q['slope']}")
        beta = float(lam[i + 1] - lam[i]) / log(cuts[i + 1] / cuts[i])
        mid, rad = float(q["beta"]["mid"]), float(q["beta"]["rad"])
        check(abs(mid - beta) <= rad + 1e-14 * abs(beta), f"beta {i}: {q['beta']} vs {beta}")
        check(abs(q["cutoff"] - (cuts[i] * cuts[i + 1]) ** 0.5) < 1e-8, f"cutoff {i}")
    d = r["last_decade"]
    check(d["from"] == 1 and d["to"] == 10 and d["cutoffs"] == 4 and contains(d["slope"], -5)
          and d["expected"] == -5 and abs(d["local_slopes"][0] + 5) < 1e-12
          and abs(d["local_slopes"][1] + 5) < 1e-12, f"last decade: {d}")


def sampled_erf(neft, tmp):
    data = os.path.join(tmp, "erf.json")
    p = run(neft, "sample", "--activation", "erf", "--d-in", "1", "--width", "5", "--models",
            "4000", "--at", "-1;-0.2;0.6;1", "--npt", "2,4", "--sw", "1", "--sb", "1",
            "--format", "json")
    with open(data, "w") as f:
        f.write(p.stdout)
    cuts = [7 * (1e5 / 7) ** (i / 4) for i in range(5)]
    out = json.loads(run(neft, "fit", data, "--cutoff", ",".join("%.10g" % c for c in cuts),
                         "--format", "json").stdout)
    r = out["running"].get("lambda")
    if r is None:
        check(False, f"sampled Erf: no running ({out['running']})")
        return
    s = [float(q["slope"]["mid"]) for q in r["local"]]
    e = [float(q["slope_stderr"]["mid"]) for q in r["local"]]
    check(all(x > 0 for x in e), f"sampled local slopes have errors: {e}")
    check(all(-1.05 < a < b < -0.3 for a, b in zip(s[1:], s)), f"local slopes run to -1: {s}")
    d = r["last_decade"]
    lo, hi = d["local_slopes"]
    p = float(d["slope"]["mid"])
    check(d["expected"] == -1 and lo <= p <= hi and float(d["stderr"]["mid"]) > 0,
          f"sampled last decade: {d}")


def validate(neft, tmp):
    out = os.path.join(tmp, "v")
    p = run(neft, "validate", "--quick", "--out", out)
    check("  last decade (3 cutoffs, 1 to 5): p = -5.0000" in p.stdout
          and "local slope d log|lambda| / d log(cutoff)" in p.stdout, f"summary: {p.stdout}")
    with open(os.path.join(out, "report.json")) as f:
        rep = json.load(f)
    run_ = rep["running"]
    for k in ("sampled", "exact"):
        check(k in run_ and len(run_[k]["local"]) == 2 and "last_decade" in run_[k],
              f"report.json running.{k}: {run_.get(k)}")
    check(contains(run_["exact"]["last_decade"]["slope"], -5)
          and run_["sampled"]["last_decade"]["expected"] == -5, f"exact running: {run_}")
    with open(os.path.join(out, "running.tex")) as f:
        tex = f.read()
    check(tex.count("\\begin{axis}") == 2 and "Local slope of the running" in tex
          and "dashed" in tex, "running figure: two panels, expected slope dashed")


def main():
    neft = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        exact_relu(neft, tmp)
        sampled_erf(neft, tmp)
        validate(neft, tmp)
    print("running: " + ("FAIL" if failures else "PASS"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

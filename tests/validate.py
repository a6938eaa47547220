#!/usr/bin/env python3
"""`neft validate --quick` end to end (docs/cmd-validate.md).

    python3 validate.py NEFT_BINARY RULES_DIR

Checks on the report of the quick configuration (ReLU, sigma_b = 0, d_in = 1,
fixed seed): the fit to exact data gives lambda(L) = -25/(2 N L^5) (docs/eft.md)
and the running slope -5; the fit to sampled data agrees with it within 4
standard errors; with the fitted lambda the 6-point prediction is closer to
the sampled G6 than the GP alone at N = 20; report.json/report.tex and the
figures are written, and report.tex compiles when pdflatex is installed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

failures = 0


def check(cond, msg):
    global failures
    if not cond:
        failures += 1
        print("FAIL: " + msg)


def main():
    neft = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report")
        p = subprocess.run([neft, "validate", "--quick", "--out", out, "--threads", "2"],
                           capture_output=True, text=True)
        check(p.returncode == 0, f"validate exited {p.returncode}: {p.stderr.strip()[-400:]}")
        if p.returncode != 0:
            print(f"validate: FAIL ({failures} failures)")
            return 1
        check("running:" in p.stdout and "report:" in p.stdout, "summary table incomplete")
        check("validate: width 20" in p.stderr, "no progress lines on stderr")
        with open(os.path.join(out, "report.json")) as f:
            rep = json.load(f)
        check(rep["fit_width"] == 20 and len(rep["cutoffs"]) == 3, "report layout")
        for c in rep["cutoffs"]:
            L = Fraction(c["cutoff"])
            want = Fraction(-25, 40) / L ** 5
            ex = c["lambda_exact"]
            mid, rad = Fraction(ex["mid"]), Fraction(ex["rad"])
            check(mid - rad <= want <= mid + rad, f"L={L}: exact-data lambda {ex} != {want}")
            got = float(c["lambda_sampled"]["mid"])
            check(abs(got - float(want)) < 4 * c["lambda_stderr"],
                  f"L={L}: sampled lambda {got} +- {c['lambda_stderr']} vs exact {float(want)}")
            check(c["g6_eft_pull"] < c["g6_gp_pull"],
                  f"L={L}: EFT prediction of G6 not closer than GP "
                  f"({c['g6_eft_pull']} vs {c['g6_gp_pull']} standard errors)")
            check(abs(c["g6_eft_over_sampled"] - 1) < abs(c["g6_gp_over_sampled"] - 1),
                  f"L={L}: G6_EFT/G6 {c['g6_eft_over_sampled']} not closer to 1 than "
                  f"G6_GP/G6 {c['g6_gp_over_sampled']}")
        s = rep["running"]["slope_exact"]
        check(Fraction(s["mid"]) - Fraction(s["rad"]) <= -5 <= Fraction(s["mid"]) + Fraction(s["rad"]),
              f"exact running slope {s} does not contain -5")
        w = rep["widths"]
        check(w[0]["dev4"] > w[-1]["dev4"], "the deviation from GP does not fall with width")
        for name in ("falloff", "running", "sixpt"):
            check(os.path.exists(os.path.join(out, name + ".tex")), f"{name}.tex missing")
        if shutil.which("pdflatex"):
            for name in ("falloff", "running", "sixpt"):
                check(os.path.exists(os.path.join(out, name + ".pdf")), f"{name}.pdf missing")
            q = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                                "report.tex"], cwd=out, capture_output=True, text=True)
            check(q.returncode == 0 and os.path.getsize(os.path.join(out, "report.pdf")) > 10000,
                  "report.tex does not compile: " + q.stdout[-600:])
        else:
            print("validate: pdflatex not found: compiling report.tex skipped "
                  "(the other checks ran)")
        # bad input: one line, exit 2, nothing half-written
        bad = subprocess.run([neft, "validate", "--quick", "--widths", "5,0", "--out",
                              os.path.join(tmp, "bad")], capture_output=True, text=True)
        check(bad.returncode == 2 and bad.stderr.count("\n") == 1, f"bad widths: {bad.stderr}")
        check(not os.path.exists(os.path.join(tmp, "bad")), "a report folder for bad input")
    print(f"validate: {'FAIL' if failures else 'PASS'} ({failures} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

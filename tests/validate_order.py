#!/usr/bin/env python3
"""`neft validate` at O(1/N^2) (docs/cmd-validate.md, docs/eft.md "Power counting").

    python3 validate_order.py NEFT_BINARY RULES_DIR

`neft validate --quick` (bias-free ReLU, d_in = 1, positive inputs, widths
5, 20, 100, fit width 20, cutoffs 1, 2, 5):

1. kappa fitted to the exact G6c with the lambda^2 exchange diagrams is
   371 / (3 N^2 L^7) (sigma_w = 1, N = 20); the sampled one agrees with it
   within 3 of its errors (lambda's error propagated).
2. The full G6 predicted at O(1/N) with the exact fit's lambda scaled as
   1/N misses the exact G6 by G6c: mean |G6c| / G6_GP = 44 / N^2, so the
   miss x N^2 is 44 at every width; at O(1/N^2) (lambda, lambda^2, kappa
   ~ 1/N^2) the miss is 0 within the balls' radius at every width (single-
   layer correlators have no 1/N^3 part, and the vertices are exactly local).
3. The summary has the table, the report the figure order.tex.
"""
import json
import os
import subprocess
import sys
import tempfile

failures = 0


def check(cond, msg):
    global failures
    if not cond:
        failures += 1
        print("FAIL: " + msg)


def main():
    neft = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "rep")
        p = subprocess.run([neft, "validate", "--quick", "--out", out, "--threads", "1"],
                           capture_output=True, text=True, timeout=600)
        check(p.returncode == 0, f"validate --quick exited {p.returncode}: {p.stderr[-300:]}")
        if p.returncode != 0:
            return 1
        with open(os.path.join(out, "report.json")) as f:
            rep = json.load(f)
        o2 = rep["order2"]
        check(o2["fit_width"] == 20, f"fit width {o2['fit_width']}")
        check(len(o2["cutoffs"]) == 3, "three cutoffs")
        for c in o2["cutoffs"]:
            L = c["cutoff"]
            want = 371 / (3 * 20 * 20 * L ** 7)
            ke, ks, kerr = c.get("kappa_exact"), c.get("kappa_sampled"), c.get("kappa_sampled_err")
            check(ke is not None and abs(ke - want) <= 1e-9 * want,
                  f"L={L}: exact kappa {ke}, closed form {want}")
            check(ks is not None and kerr is not None and 0 < kerr
                  and abs(ks - want) <= 3 * kerr,
                  f"L={L}: sampled kappa {ks} +- {kerr}, closed form {want}")
            ws = [w["width"] for w in c["widths"]]
            check(ws == [5, 20, 100], f"widths {ws}")
            for w in c["widths"]:
                N = w["width"]
                m1, m2, e2 = w.get("miss1"), w.get("miss2"), w.get("miss2_err")
                check(m1 is not None and abs(m1 * N * N - 44) <= 1e-9 * 44,
                      f"L={L} N={N}: O(1/N) miss x N^2 = {m1 and m1 * N * N}, want 44")
                check(m2 is not None and e2 is not None and m2 <= e2 and e2 * N ** 3 < 1e-8,
                      f"L={L} N={N}: O(1/N^2) miss {m2} +- {e2} is not 0 within the balls")
        check("O(1/N^2): kappa fitted to G6c" in p.stdout and "0 (within" in p.stdout,
              "summary table")
        check(os.path.isfile(os.path.join(out, "order.tex")), "figure order.tex")
    print(f"validate_order: {'FAIL' if failures else 'PASS'} ({failures} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

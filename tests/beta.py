#!/usr/bin/env python3
"""`neft beta` and `neft fit --beta` (docs/cmd-beta.md).

    python3 beta.py NEFT_BINARY

1. Erf (sigma_b = 1), exact width-5 correlators on six inputs: the running of
   the lambda fitted to them, d log lambda/d log L at L = 100, from the
   boundary derivatives (`neft beta --data`, "fit") agrees with a central
   finite difference of `neft fit` at L (1 +- h), Richardson-extrapolated
   over h = 2^-9, 2^-10 (to 1e-8); the formula's beta/lambda from
   dG/dlog L = 0 differs from it by the residuals' term, here 4e-3.
2. Bias-free ReLU on positive inputs: beta_lambda/lambda = -5 exactly
   (lambda = -25/(2 N sw^8 L^5)): `neft beta` and, next to the measured
   local slopes, `neft fit --beta` (formula_slope, formula_fit_slope).
3. A coupling weighted by |y|^P: beta = -(5 + P) exactly for bias-free ReLU.
4. The outputs: text, JSON, LaTeX; and refusals: no --kernel, --at with
   --data, a zero or infinite cutoff, an unknown format (exit 2), Erf in
   d_in = 3 (exit 3: the derivative over the cube's faces is not done), a
   non-local coupling (exit 3);
   bias-free ReLU in d_in = 2 gives -(4 + 2) = -6.
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import neftio  # noqa: E402

check = neftio.Checks()


def run(args, code=0):
    return neftio.run_expect(check, NEFT, *args, expect=code)


def mid(ball):
    return float(ball["mid"])


contains = neftio.ball_contains


NEFT = sys.argv[1]
tmp = tempfile.mkdtemp()
erf = os.path.join(tmp, "erf5.json")
with open(erf, "w") as f:
    f.write(run(["exact", "--activation", "erf", "--d-in", "1", "--width", "5", "--at",
                 "-1;-0.6;-0.2;0.2;0.6;1", "--npt", "2,4", "--sw", "1", "--sb", "1",
                 "--format", "json"]).stdout)

# 1. the fit's running against finite differences of the fit
L = 100.0
S = []
for e in (9, 10):
    h = 2.0 ** -e
    cuts = "%.17g,%.17g" % (L * (1 - h), L * (1 + h))   # exact binary numbers
    out = json.loads(run(["fit", erf, "--cutoff", cuts, "--prec", "128",
                          "--format", "json"]).stdout)
    S.append(mid(out["running"]["lambda"]["local"][0]["slope"]))
rich = (4 * S[1] - S[0]) / 3
b = json.loads(run(["beta", "--data", erf, "--cutoff", "100", "--format", "json"]).stdout)
row = b["data"]["cutoffs"][0]
fit, formula = mid(row["fit"]), mid(row["formula"])
check(abs(fit - rich) < 1e-8, "erf: fit running %.12g, finite differences %.12g" % (fit, rich))
check(abs(formula - fit) > 1e-3,
      "erf: formula %.12g and fit running %.12g: the residuals' term vanished?" % (formula, fit))
lam = b["beta"]["lambda"]["cutoffs"][0]["coefficients"][0]
check(lam["monomial"] == "lambda" and abs(mid(lam["value"]) - formula) < 1e-12,
      "erf: beta coefficient %s and the data's formula %.12g differ (unit weights both)"
      % (lam, formula))

# 2. bias-free ReLU on positive inputs
relu = os.path.join(tmp, "relu.json")
with open(relu, "w") as f:
    f.write(run(["exact", "--activation", "relu", "--d-in", "1", "--width", "7", "--at",
                 "0.3;1;2.5", "--npt", "2,4", "--sw", "1.5", "--sb", "0",
                 "--format", "json"]).stdout)
b = json.loads(run(["beta", "--kernel", "relu", "--sw", "1.5", "--at", "0.3;1;2.5",
                    "--cutoff", "1,3", "--format", "json"]).stdout)
for c in b["beta"]["lambda"]["cutoffs"]:
    v = c["coefficients"][0]
    check(contains(v["value"], -5, 0) and float(v["value"]["rad"]) < 1e-12
          and v["tuples"] == [-5, -5], "relu: beta/lambda %s at %s" % (v, c["cutoff"]))
out = json.loads(run(["fit", relu, "--cutoff", "1,2,4", "--beta", "--format", "json"]).stdout)
loc = out["running"]["lambda"]["local"]
check(len(loc) == 2, "relu: %d intervals" % len(loc))
for r in loc:
    check(contains(r["slope"], -5, 1e-9) and contains(r["formula_slope"], -5, 1e-12)
          and contains(r["formula_fit_slope"], -5, 1e-12),
          "relu fit --beta: %s" % json.dumps(r))
txt = run(["fit", relu, "--cutoff", "1,2", "--beta"]).stdout
check("from dG/dlog(cutoff) = 0" in txt, "fit --beta text: no formula column:\n" + txt)
txt = run(["fit", relu, "--cutoff", "1,2"]).stdout
check("dG/dlog" not in txt, "fit without --beta shows the formula")

# sampled data: the formula (with the fit's error weights), no fit column
smp = os.path.join(tmp, "erfs.json")
with open(smp, "w") as f:
    f.write(run(["sample", "--activation", "erf", "--d-in", "1", "--width", "5", "--models",
                 "2000", "--at", "-1;-0.2;0.6;1", "--npt", "2,4", "--sw", "1", "--sb", "1",
                 "--seed", "3", "--format", "json"]).stdout)
out = json.loads(run(["fit", smp, "--cutoff", "10,1000", "--beta", "--format", "json"]).stdout)
r = out["running"]["lambda"]["local"][0]
check("formula_slope" in r and "formula_fit_slope" not in r
      and -1 < mid(r["formula_slope"]) < -0.9, "sampled fit --beta: %s" % json.dumps(r))

b = json.loads(run(["beta", "--data", smp, "--cutoff", "10", "--format", "json"]).stdout)
row = b["data"]["cutoffs"][0]
check(row["fit"] is None and -1 < mid(row["formula"]) < -0.5,
      "sampled beta --data: %s (the fit's slope has no statistical error here: null)" % row)

# 3. outputs and refusals
txt = run(["beta", "--kernel", "gauss", "--sb", "1", "--at", "-1;0;1", "--cutoff", "10"]).stdout
check("beta_lambda = dlambda/dlog(cutoff) = b[lambda] lambda" in txt
      and "beta_kappa: n/a" in txt, "text output:\n" + txt)
tex = run(["beta", "--kernel", "erf", "--at", "0.5;1", "--format", "latex"]).stdout
check("\\begin{align*}" in tex and "\\beta_{\\lambda}" in tex, "latex output:\n" + tex)
o2 = json.loads(run(["beta", "--kernel", "relu", "--at", "0.5;1", "--order", "2",
                     "--format", "json"]).stdout)
check(o2["beta"]["kappa"]["monomials"] == ["kappa", "lambda^2"]
      and len(o2["correlators"]) == 2, "order 2: %s" % json.dumps(o2)[:300])
run(["beta", "--at", "1"], 2)
run(["beta", "--kernel", "erf"], 2)
run(["beta", "--data", erf, "--at", "1"], 2)
run(["beta", "--kernel", "erf", "--at", "1", "--cutoff", "0"], 2)
run(["beta", "--kernel", "erf", "--at", "1", "--cutoff", "inf"], 2)
# a cutoff beyond a double's range was printed as inf (invalid JSON): refused
run(["beta", "--kernel", "relu", "--at", "0.5;1", "--cutoff", "1e99999999999"], 2)
run(["beta", "--kernel", "erf", "--at", "1", "--format", "xml"], 2)
run(["beta", "--kernel", "nosuch", "--at", "1"], 2)
p = run(["beta", "--kernel", "erf", "--d-in", "3", "--at", "1,0,0;0,1,0"], 3)
check("not done here" in p.stderr, "d_in = 3 refusal: " + p.stderr)
# a position-weighted coupling (rules/nnqft-three-operator.rules' lambda2):
# the boundary terms carry the weight, L^(P+1) (F(L) + F(-L)); bias-free ReLU's
# integrand is homogeneous of degree 4 + P, so beta = -(5 + P) lambda2 exactly
# (before: exit 3 "position-weighted"; tests/t-beta.c checks Erf and ReLU with
# sigma_b = 1 against finite differences)
pw = os.path.join(tmp, "pw.rules")
for P in (1, 2):
    with open(pw, "w") as f:
        f.write("name pw\ncoupling lam2 legs 4 weight 1 position |y|^%d\n" % P)
    b = json.loads(run(["beta", pw, "--kernel", "relu", "--sw", "1.5", "--at", "-0.4;1;2.5",
                        "--cutoff", "1,3", "--format", "json"]).stdout or "{}")
    for c in b.get("beta", {}).get("lam2", {}).get("cutoffs", [None]):
        v = c and c["coefficients"][0]
        check(v is not None and contains(v["value"], -5 - P, 0)
              and float(v["value"]["rad"]) < 1e-12 and v["tuples"] == [-5 - P, -5 - P],
              "relu |y|^%d: beta/lam2 %s, not %d" % (P, v, -5 - P))
# non-local couplings: refused, not answered with the local vertex's
# derivative (before: exit 0)
nl = os.path.join(tmp, "nl.rules")
with open(nl, "w") as f:
    f.write("name nl\ncoupling lam legs 4 weight 1\ncoupling mu legs 2+2 weight 1\n")
p = run(["beta", nl, "--kernel", "erf", "--at", "0.5;1", "--cutoff", "10"], 3)
check("non-local" in p.stderr and p.stdout == "", "non-local: " + p.stderr)
b = json.loads(run(["beta", "--kernel", "relu", "--d-in", "2", "--at", "1,0;0.5,0.5",
                    "--format", "json"]).stdout)
v = b["beta"]["lambda"]["cutoffs"][0]["coefficients"][0]["value"]
check(contains(v, -6, 1e-9), "relu d_in = 2: beta/lambda %s, not -6" % v)

check.finish("beta.py: {passed} of {total} checks hold")

#!/usr/bin/env python3
"""Every activation of the table: `neft sample` against `neft exact` (issue 15).

Usage: python3 tests/activations.py NEFT_BINARY RULES_DIR [--quick] [NAME ...]   (cwd tests/)

For each activation (all ten rows of neft/act.h unless names are given): a
depth-2 net with d_in 1, width 3 (so that the 1/N effects are large), two
inputs, sigma_w 2 (1 for GaussNet, with smaller inputs: its tails), sigma_b 0.3, G2 and connected G4 sampled from some 10^4
models; |sampled - exact| <= 4 standard errors for the full G2 and the
connected G4 of every tuple, the exact balls much tighter than the standard errors, and at least one
connected G4 resolved above 3 standard errors (else the test is too weak).
leaky-relu runs at its default slope and at --slope 1/4.  The exact values
come from the closed forms (relu, leaky-relu, linear, sin, gauss) or the
rigorous integrator (tanh, erf, gelu, silu, sigmoid) at --prec 32.
"""

import json
import subprocess
import sys

NEFT = sys.argv[1]
QUICK = "--quick" in sys.argv[3:]
ONLY = [a for a in sys.argv[3:] if not a.startswith("--")]
ACTIVATIONS = ["relu", "leaky-relu", "linear", "tanh", "erf", "gelu", "silu", "sigmoid",
               "sin", "gauss", "softplus"]
failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what, flush=True)


def run_json(args):
    p = subprocess.run([NEFT] + args + ["--format", "json"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=600)
    if p.returncode != 0:
        fail("neft %s: exit %d: %s" % (" ".join(args), p.returncode,
                                       p.stderr.decode().strip()))
        return None
    return json.loads(p.stdout.decode())


def by_key(doc):
    return {(c["npt"], tuple(c["indices"])): c for c in doc["correlators"]}


def check(label, act_args, models, seed):
    # GaussNet's exp(z - k) has heavy tails: a smaller sigma_w and inputs there
    sw, at = ("1", "0.3;-0.5") if act_args[1] == "gauss" else ("2", "0.5;-1.0")
    common = act_args + ["--d-in", "1", "--width", "3", "--sw", sw, "--sb", "0.3",
                         "--at", at, "--npt", "2,4"]
    ex_doc = run_json(["exact"] + common + ["--prec", "32"])
    sa_doc = run_json(["sample"] + common + ["--models", str(models), "--seed", str(seed)])
    if ex_doc is None or sa_doc is None:
        return
    ex, sa = by_key(ex_doc), by_key(sa_doc)
    if set(ex) != set(sa) or not ex:
        fail("%s: exact and sample list different tuples" % label)
        return
    worst, resolved = 0.0, 0
    for key in sorted(sa):
        kind = "full" if key[0] == 2 else "connected"
        mid, rad = float(ex[key][kind]["mid"]), float(ex[key][kind]["rad"])
        m, se = sa[key][kind]["mean"], sa[key][kind]["stderr"]
        if not se > 0:
            fail("%s %s %s: no standard error (%r)" % (label, key, kind, se))
            continue
        if not rad <= 0.01 * se:
            fail("%s %s %s: exact ball too wide (%g +/- %g) for the comparison"
                 % (label, key, kind, mid, rad))
        z = abs(m - mid) / se
        worst = max(worst, z)
        if z > 4:
            fail("%s %s %s: sampled %.6g +/- %.2g, exact %.10g (%.1f standard errors)"
                 % (label, key, kind, m, se, mid, z))
        if key[0] == 4 and abs(mid) > 3 * se:
            resolved += 1
    if resolved == 0:
        fail("%s: no connected G4 resolved above 3 standard errors; test too weak" % label)
    print("%-22s %d tuples, worst %.2f standard errors, %d connected G4 resolved"
          % (label, len(sa), worst, resolved), flush=True)


models = 20000 if QUICK else 40000
cases = []
for act in ONLY or ACTIVATIONS:
    cases.append((act, ["--activation", act]))
    if act == "leaky-relu":
        cases.append(("leaky-relu slope 1/4", ["--activation", act, "--slope", "1/4"]))
# the unbounded rows' 4-point estimators are heavy-tailed (products of up to
# eight Gaussians for linear, exponentials for GaussNet): their standard errors
# are themselves noisy, so they get four times the models
heavy = ("linear", "gauss")
for i, (label, args) in enumerate(cases):
    check(label, args, 4 * models if args[1] in heavy else models, 1000 + i)

if failures:
    print("activations: %d failure(s)" % len(failures))
    sys.exit(1)
print("activations: PASS")

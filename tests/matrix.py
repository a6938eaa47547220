"""Every activation of the table through every command.

The matrix below is the specification (docs/extending.md, "Which command
accepts which activation"): sample, exact and onen accept every activation;
eval, fit and validate those with a Gaussian-process kernel in closed form.
For each accepted pair the command runs on a tiny input, exits 0 and names
the activation in its output; the numbers of different activations differ
(an activation answered by another's code would repeat its numbers).  For
each refused pair, and for the cases a command does not implement for an
activation, the command exits 3 (unsupported) and names the activation.

usage: matrix.py NEFT RULES_DIR [--quick]"""
import json
import os
import subprocess
import sys
import tempfile

from neftio import Checks

ACTS = ["relu", "leaky-relu", "linear", "tanh", "erf", "gelu", "silu", "sigmoid", "sin",
        "gauss", "softplus"]
GP_KERNEL = {"relu", "leaky-relu", "linear", "erf", "sin", "gauss"}
# exact at three points spanning 3 directions (docs/cmd-exact.md): closed forms
# (gauss, sin, linear), relu's cone method, the 3-D rule for the bounded rows;
# leaky-relu on a 3-D span and the rows without a declared bound are refused
EXACT_ANY_POINTS = {"gauss", "sin", "linear", "relu", "tanh", "erf", "sigmoid"}
PARAM = {"leaky-relu": ["--slope", "0.25"]}
UNSUPPORTED = 3

neft, rules = sys.argv[1], sys.argv[2]
quick = "--quick" in sys.argv[3:]
check = Checks()
tmp = tempfile.mkdtemp(prefix="neft-matrix-")


def run(args):
    import time
    t = time.time()
    p = subprocess.run([neft] + args, capture_output=True, text=True, timeout=300)
    if os.environ.get("MATRIX_TIMES") and time.time() - t > 1:
        print(f"{time.time() - t:.1f}s", " ".join(args[:3]))
    return p.returncode, p.stdout, p.stderr


def accepted(act, what, args):
    """Runs the command; checks exit 0; returns stdout (None on failure)."""
    code, out, err = run(args)
    ok = check(code == 0, f"{what} --activation {act}: exit {code}, expected 0: {err.strip()[:300]}")
    return out if ok else None


def refused(act, what, args):
    """Checks exit 3 and a message naming the activation and 'unsupported'."""
    code, out, err = run(args)
    check(code == UNSUPPORTED,
          f"{what} {act}: exit {code}, expected {UNSUPPORTED} (unsupported): {err.strip()[:300]}")
    check(act.split("-")[0] in err and "unsupported" in err,
          f"{what} {act}: the refusal does not name the activation and 'unsupported': "
          f"{err.strip()[:300]}")
    check(out == "", f"{what} {act}: a refusal printed on stdout")


def distinct(values, what):
    """No two activations give the same number (within 1e-12 relative)."""
    items = sorted(values.items(), key=lambda kv: kv[1])
    for (a, x), (b, y) in zip(items, items[1:]):
        check(abs(x - y) > 1e-12 * max(abs(x), abs(y), 1e-300),
              f"{what}: {a} and {b} give the same value {x!r}")


at = "0.5;1"
exact_g2, sample_g2, onen_k2 = {}, {}, {}
for act in ACTS:
    par = PARAM.get(act, [])
    # sample (depth 2; GaussNet deeper is unsupported)
    out = accepted(act, "sample", ["sample", "--activation", act] + par + [
        "--d-in", "1", "--width", "3", "--models", "2000" if quick else "4000",
        "--at", at, "--npt", "2,4", "--seed", "7", "--format", "json"])
    if out is not None:
        doc = json.loads(out)
        check(doc.get("activation") == act, f"sample {act}: JSON activation {doc.get('activation')!r}")
        sample_g2[act] = doc["correlators"][0]["full"]["mean"]
    args = ["sample", "--activation", act] + par + ["--d-in", "1", "--depth", "3",
            "--widths", "3,3", "--models", "1000", "--at", at]
    if act == "gauss":
        refused(act, "sample --depth 3", args)
    else:
        accepted(act, "sample --depth 3", args)

    # exact: one hidden layer; >= 3 distinct points spanning 3 directions are
    # implemented for the activations with closed forms at any points
    out = accepted(act, "exact", ["exact", "--activation", act] + par + [
        "--d-in", "1", "--width", "3", "--at", at, "--npt", "2,4", "--format", "json"])
    if out is not None:
        doc = json.loads(out)
        check(doc.get("activation") == act, f"exact {act}: JSON activation {doc.get('activation')!r}")
        exact_g2[act] = float(doc["correlators"][0]["full"]["mid"])
        with open(os.path.join(tmp, act + ".json"), "w") as f:
            f.write(out)
    args = ["exact", "--activation", act] + par + [
        "--d-in", "2", "--width", "3", "--sb", "0.5", "--at", "1,0;0,1;1,1", "--npt", "4"]
    if act in EXACT_ANY_POINTS:
        accepted(act, "exact 3 points d_in 2", args)
    else:
        refused(act, "exact 3 points d_in 2", args)

    # onen: every activation at depth 2; GaussNet only there
    out = accepted(act, "onen", ["onen", "--activation", act] + par + [
        "--cw", "1", "--cb", "0", "--depth", "2", "--k1", "0.7", "--format", "json"])
    if out is not None:
        doc = json.loads(out)
        check(doc.get("activation") == act, f"onen {act}: JSON activation {doc.get('activation')!r}")
        onen_k2[act] = float(doc["layers"][-1]["K"]["mid"])
    args = ["onen", "--activation", act] + par + ["--cw", "1", "--cb", "0", "--depth", "3",
                                                  "--k1", "1"]
    if act == "gauss":
        refused(act, "onen --depth 3", args)
    else:
        accepted(act, "onen --depth 3", args)

    # eval, fit, validate: a closed-form GP kernel
    kpar = par
    args = ["eval", os.path.join(rules, "single-layer.rules"), "-n", "2", "-o", "1",
            "--kernel", act] + kpar + ["--d-in", "1", "--cutoff", "2",
                                       "--set", "lambda=0.1,kappa=0", "--at", at,
                                       "--format", "json"]
    if act in GP_KERNEL:
        out = accepted(act, "eval", args)
        if out is not None:
            doc = json.loads(out)
            check(doc["kernel"]["name"] == act, f"eval {act}: kernel {doc['kernel']['name']!r}")
    else:
        refused(act, "eval --kernel", args)

    data = os.path.join(tmp, act + ".json")
    args = ["fit", data, "--cutoff", "2", "--format", "json"]
    if not os.path.exists(data):
        check(False, f"fit {act}: no exact data to fit")
    elif act in GP_KERNEL:
        out = accepted(act, "fit", args)
        if out is not None:
            check(json.loads(out).get("kernel") == act, f"fit {act}: kernel not {act}")
    else:
        refused(act, "fit", args)

    outdir = os.path.join(tmp, "validate-" + act)
    # sigma_b = 0: the exact moments of the smooth activations are then 1-D
    # integrals (with the paper's sigma_b = 1, erf's quick run takes minutes)
    args = ["validate", "--quick", "--activation", act] + par + ["--sb", "0", "--out", outdir]
    if act in GP_KERNEL:
        if accepted(act, "validate", args) is not None:
            with open(os.path.join(outdir, "report.json")) as f:
                check(json.load(f).get("activation") == act, f"validate {act}: report activation")
    else:
        refused(act, "validate", args)
        check(not os.path.exists(outdir), f"validate {act}: a refused run created {outdir}")

distinct(exact_g2, "exact G2(x1,x1)")
distinct(sample_g2, "sampled G2(x1,x1)")
distinct(onen_k2, "onen K^(2)")
check(len(exact_g2) == len(ACTS), f"exact answered {len(exact_g2)} of {len(ACTS)} activations")
check.finish("matrix: {passed} of {total} checks passed")

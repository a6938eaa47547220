#!/usr/bin/env python3
"""`neft onen` predictions against deep sampled ensembles (`neft sample --depth`).

Usage: python3 tests/onen_samples.py NEFT_BINARY RULES_DIR [--quick]   (cwd tests/)

Every comparison goes through `neft onen --compare-samples FILE` on real
`neft sample --format json` output, so the two modules' conventions (C_W/n_prev,
C_b, L = number of weight layers, output z^(L), K^(1) = C_b + C_W x.x/d_in) are
checked against each other.  The predictions are truncated series:

    E[z^2]   = K + G1/n + O(1/n^2),      E[z^4]_c = 3V/n + O(1/n^2),

so each check allows   4 * stderr + |next order|,   where the next order is
  - ReLU (C_b = 0): known exactly -- the exact finite-width cumulant of G^(L)
    (tests/onen.py: products of chi^2 with Binomial(n, 1/2) degrees of freedom)
    minus its 1/n term; the measurement is also checked against the exact value;
  - tanh, and ReLU's mixed two-input 4-point functions (against the two-input
    vertex V_(ab)(cd)): estimated from a run at a small width n_s, assuming the remainder
    scales as 1/n^2:  |next(n)| <= (n_s^2 |m(n_s) - LO(n_s)| + 3 n_s^2 se(n_s)) / n^2.
A check fails as too weak unless the effect tested (3V/n, G1/n) exceeds
3 stderr + |next order|.  --quick (sanitizer build): fewer models and cases.
"""

import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onen as onen_ref  # noqa: E402  (exact finite-width ReLU cumulants)

QUICK = "--quick" in sys.argv[3:]
failures = []
TMP = tempfile.mkdtemp(prefix="neft-onen-samples-")


def fail(what):
    print("FAIL:", what, flush=True)
    failures.append(what)


def run(args, timeout=600):
    p = subprocess.run([NEFT] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    if p.returncode != 0:
        raise SystemExit("neft %s failed (%d): %s" % (" ".join(args), p.returncode,
                                                       p.stderr.decode()))
    return p.stdout.decode()


def measure(act, cw, cb, depth, width, x, models, seed, d_in=1):
    """Samples, then compares with `neft onen --compare-samples`; returns
    {(npt, indices): (measured mean, stderr, predicted mid, predicted rad)}."""
    path = os.path.join(TMP, "s-%s-%d-%d-%d.json" % (act, depth, width, seed))
    with open(path, "w") as f:
        f.write(run(["sample", "--activation", act, "--d-in", str(d_in), "--depth", str(depth),
                     "--width", str(width), "--cw", str(cw), "--cb", str(cb), "--at", x,
                     "--npt", "2,4", "--models", str(models), "--seed", str(seed),
                     "--format", "json"]))
    doc = json.loads(run(["onen", "--compare-samples", path, "--activation", act,
                          "--cw", str(cw), "--cb", str(cb), "--depth", str(depth),
                          "--width", str(width), "--format", "json"]))
    if doc["width"] != width or doc["depth"] != depth or doc["models"] != models:
        fail("compare-samples header %r" % {k: doc[k] for k in ("width", "depth", "models")})
    out = {}
    for c in doc["compare"]:
        out[(c["npt"], tuple(c["indices"]))] = (c["measured"]["mean"], c["measured"]["stderr"],
                                                float(c["predicted"]["mid"]),
                                                float(c["predicted"]["rad"]))
    return out


def check(label, meas, se, pred, next_order, effect):
    """|meas - pred| <= 4 se + |next_order|; `effect` must exceed 3 se + |next_order|."""
    allow = 4 * se + abs(next_order)
    dev = meas - pred
    ok = abs(dev) <= allow
    print("%-44s measured %.6g +/- %.2g, predicted %.6g, next order %.2g: %s"
          % (label, meas, se, pred, next_order, "ok" if ok else "FAILED"), flush=True)
    if not ok:
        fail("%s: %.8g +/- %.3g vs %.8g (allowed %.3g)" % (label, meas, se, pred, allow))
    if effect is not None and abs(effect) < 3 * se + abs(next_order):
        fail("%s: the effect %.3g is not resolved by the allowance %.3g (test too weak)"
             % (label, effect, allow))


def relu_case(depth, width, models, seed):
    cw, x = 2, 1
    k1 = F(cw) * x * x
    m = measure("relu", cw, 0, depth, width, str(x), models, seed)
    kap = onen_ref.exact_cumulants(k1, cw, [1] * (depth - 1), True)
    xn = F(1, width)
    exact2 = sum(c * xn ** i for i, c in enumerate(kap[0]))
    exact4 = 3 * sum(c * xn ** i for i, c in enumerate(kap[1]))   # E[z^4]_c = 3 kappa_2(G)
    lo4 = 3 * onen_ref.coeff(kap[1], 1) * xn
    mean2, se2, p2, r2 = m[(2, (0, 0))]
    mean4, se4, p4, r4 = m[(4, (0, 0, 0, 0))]
    # the predictions printed by compare-samples are the exact leading terms
    if abs(p2 - float(exact2)) > r2 + 1e-12 * abs(p2) or abs(p4 - float(lo4)) > r4 + 1e-12 * p4:
        fail("relu L=%d: compare-samples predictions %g, %g vs exact K %s, 3V/n %s"
             % (depth, p2, p4, exact2, lo4))
    lab = "relu C_W=2 L=%d n=%d" % (depth, width)
    check(lab + " E[z^2] (exact, G1=0)", mean2, se2, p2, 0.0, None)
    check(lab + " E[z^4]_c vs 3V/n", mean4, se4, p4, float(exact4 - lo4), p4)
    check(lab + " E[z^4]_c vs exact finite n", mean4, se4, float(exact4), 0.0, p4)


def tanh_case(depth, width, models, small, small_models, seed, g1=False):
    cw, cb, x = 1, 0, "1"
    big = measure("tanh", cw, cb, depth, width, x, models, seed)
    sm = measure("tanh", cw, cb, depth, small, x, small_models, seed + 1)
    lab = "tanh C_W=1 L=%d n=%d" % (depth, width)
    mean4, se4, p4, _ = big[(4, (0, 0, 0, 0))]
    ms, ses, ps, _ = sm[(4, (0, 0, 0, 0))]
    nxt = (small ** 2 * abs(ms - ps) + 3 * small ** 2 * ses) / width ** 2
    check(lab + " E[z^4]_c vs 3V/n", mean4, se4, p4, nxt, p4)
    mean2, se2, p2, _ = big[(2, (0, 0))]
    ms2, ses2, ps2, _ = sm[(2, (0, 0))]
    nxt2 = (small ** 2 * abs(ms2 - ps2) + 3 * small ** 2 * ses2) / width ** 2
    check(lab + " E[z^2] vs K + G1/n", mean2, se2, p2, nxt2, None)
    if g1:
        # G1 itself: at the small width G1/n_s is resolved; its next order from n = 4
        tiny = measure("tanh", cw, cb, depth, 4, x, small_models, seed + 2)
        mt, set_, pt, _ = tiny[(2, (0, 0))]
        nxt_s = (16 * abs(mt - pt) + 3 * 16 * set_) / small ** 2
        lo = json.loads(run(["onen", "--activation", "tanh", "--cw", "1", "--cb", "0",
                             "--depth", str(depth), "--k1", "1", "--format", "json"]))
        K = float(lo["layers"][-1]["K"]["mid"])
        G1 = float(lo["layers"][-1]["G1"]["mid"])
        check("tanh C_W=1 L=%d n=%d E[z^2] - K vs G1/n" % (depth, small), ms2 - K, ses2,
              G1 / small, nxt_s, G1 / small)


def relu2_case(depth, width, models, small, small_models, seed):
    """Two inputs: the mixed connected 4-point functions against the two-input
    vertex, (V_(ab)(cd) + V_(ac)(bd) + V_(ad)(bc))/n; next order from width `small`."""
    at = "1,0;0.6,0.8"
    big = measure("relu", 2, 0, depth, width, at, models, seed, d_in=2)
    sm = measure("relu", 2, 0, depth, small, at, small_models, seed + 1, d_in=2)
    for idx in ((0, 0, 0, 1), (0, 0, 1, 1), (0, 1, 1, 1)):
        if (4, idx) not in big or (4, idx) not in sm:
            fail("relu two inputs: compare-samples has no prediction for %r" % (idx,))
            continue
        mean, se, p, _ = big[(4, idx)]
        ms, ses, ps, _ = sm[(4, idx)]
        nxt = (small ** 2 * abs(ms - ps) + 3 * small ** 2 * ses) / width ** 2
        check("relu 2 inputs L=%d n=%d E[z%s]_c" % (depth, width, "".join(map(str, idx))),
              mean, se, p, nxt, p)


def tanh2_case(depth, width, models, small, small_models, seed):
    """Two inputs of tanh (the integrated vertex and G1, src/onen/vertex2_gen.c):
    the mixed connected 4-point functions against (V + V + V)/n and the mixed
    2-point E[z_0 z_1] against K_01 + G1_01/n, at `width` and at `small` (two
    widths); next order from `small`, assuming 1/n^2."""
    at, cw, cb = "0.6;1", 1.5, 0.1
    big = measure("tanh", cw, cb, depth, width, at, models, seed)
    sm = measure("tanh", cw, cb, depth, small, at, small_models, seed + 1)
    lo = json.loads(run(["onen", "--activation", "tanh", "--cw", str(cw), "--cb", str(cb),
                         "--depth", str(depth), "--at", at, "--d-in", "1", "--prec", "64",
                         "--format", "json"]))
    k01 = float(lo["kernel"][-1]["K"][0][1]["mid"])
    for idx in ((0, 1), (0, 0, 0, 1), (0, 0, 1, 1), (0, 1, 1, 1)):
        key = (len(idx), idx)
        if key not in big or key not in sm:
            fail("tanh two inputs: compare-samples has no prediction for %r" % (idx,))
            continue
        mean, se, p, _ = big[key]
        ms, ses, ps, _ = sm[key]
        nxt = (small ** 2 * abs(ms - ps) + 3 * small ** 2 * ses) / width ** 2
        lab = "tanh 2 inputs L=%d n=%d E[z%s]%s" % (depth, width, "".join(map(str, idx)),
                                                    "_c" if len(idx) == 4 else "")
        # the connected 4-point effects are resolved by the normal build's 2e5
        # nets; --quick (the sanitizer build) checks agreement only
        check(lab, mean, se, p, nxt, p if len(idx) == 4 and not QUICK else None)
        if len(idx) == 2:
            # at the small width G1/n is resolved: K alone misses, K + G1/n does not
            print("  n=%d: measured %.6g +/- %.2g, K %.6g, K + G1/n %.6g"
                  % (small, ms, ses, k01, ps), flush=True)
            if abs(ms - ps) >= abs(ms - k01):
                fail("tanh two inputs n=%d: G1_01/n does not close the gap (%.5g, %.5g, %.5g)"
                     % (small, ms, k01, ps))


def main():
    global NEFT
    if len(sys.argv) < 2:
        print("usage: onen_samples.py NEFT_BINARY RULES_DIR [--quick]")
        return 2
    NEFT = sys.argv[1]
    if QUICK:
        relu_case(3, 50, 50000, 1)
        relu2_case(3, 50, 50000, 10, 300000, 40)
        tanh_case(3, 50, 50000, 10, 500000, 20)
        tanh2_case(3, 40, 100000, 10, 300000, 50)
    else:
        relu_case(3, 50, 100000, 1)
        relu_case(5, 100, 30000, 2)
        relu2_case(3, 50, 100000, 10, 500000, 40)
        tanh_case(3, 50, 100000, 10, 1000000, 20, g1=True)
        tanh_case(4, 50, 100000, 10, 500000, 30)
        tanh2_case(3, 40, 200000, 10, 500000, 50)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("onen_samples: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
